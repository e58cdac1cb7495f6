from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "practica.mentoring"
    label = "mentoring"
