from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kinocritics.search"
    label = "kcsearch"
    verbose_name = "Search and openings"

    def ready(self):
        from . import signals

        signals.connect()
