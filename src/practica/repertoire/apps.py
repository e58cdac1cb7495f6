from django.apps import AppConfig


class RepertoireConfig(AppConfig):
    name = "practica.repertoire"
    label = "repertoire"
