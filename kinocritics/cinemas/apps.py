from django.apps import AppConfig


class CinemasConfig(AppConfig):
    name = "kinocritics.cinemas"
    label = "cinemas"
