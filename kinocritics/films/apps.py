from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "kinocritics.films"
    label = "films"

    def ready(self) -> None:
        from . import signals

        signals.connect()
