from django.apps import AppConfig


class CriticsConfig(AppConfig):
    name = "kinocritics.critics"
    label = "critics"
