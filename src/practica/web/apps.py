from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "practica.web"
    label = "web"
