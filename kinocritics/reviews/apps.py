from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kinocritics.reviews"
    label = "reviews"
