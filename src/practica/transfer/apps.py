from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "practica.transfer"
    label = "transfer"
