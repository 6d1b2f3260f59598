from django.apps import AppConfig


class FestivalsConfig(AppConfig):
    name = "kinocritics.festivals"
    label = "festivals"
    verbose_name = "Articles and festivals"

    def ready(self):
        from . import signals  # noqa: F401
