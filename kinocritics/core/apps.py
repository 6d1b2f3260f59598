from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinocritics.core"
    label = "core"
    verbose_name = "KinoCritics core"

    def ready(self):
        from . import signals

        signals.connect()
