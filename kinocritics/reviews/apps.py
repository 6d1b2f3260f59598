from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kinocritics.reviews"
    label = "reviews"

    def ready(self):
        from . import signals  # noqa: F401
