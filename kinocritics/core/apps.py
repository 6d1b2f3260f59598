from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinocritics.core"
    label = "core"
    verbose_name = "KinoCritics core"
