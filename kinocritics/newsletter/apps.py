from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "kinocritics.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"
