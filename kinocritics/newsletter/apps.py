from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "kinocritics.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from . import signals

        signals.connect()
