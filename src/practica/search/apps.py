from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "practica.search"
    label = "search"

    def ready(self) -> None:
        from practica.search import checks  # noqa: F401 (registers them)
