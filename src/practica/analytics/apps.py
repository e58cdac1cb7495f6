from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "practica.analytics"
    label = "analytics"
