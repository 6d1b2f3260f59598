from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "kinocritics.films"
    label = "films"
