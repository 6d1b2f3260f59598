"""Reads for critics."""

from django.db.models import Count, Q, QuerySet

from .models import Critic


def critic_list() -> QuerySet[Critic]:
    return Critic.objects.select_related("photo").annotate(
        review_count=Count("reviews", filter=Q(reviews__live=True))
    )
