from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "practica.search"
    label = "search"
