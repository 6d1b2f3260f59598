"""Reads for reviews: lists, archives, the newest review."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth

from kinocritics.core.models import CreditedImage
from kinocritics.films.models import FilmCountry

from .models import ReviewPage


def review_list(
    *, year: int | None = None, month: int | None = None, critic_id: int | None = None
) -> QuerySet[ReviewPage]:
    """Live reviews, newest first, with film, critic and still loaded."""
    qs = (
        ReviewPage.objects.live()
        .select_related("film", "critic")
        .prefetch_related(
            Prefetch("still", CreditedImage.objects.prefetch_renditions()),
            Prefetch("film__film_countries", FilmCountry.objects.select_related("country")),
        )
        # Cards show the summary: the body and the critic's biography stay in the database.
        .defer("body", "critic__bio")
        # Tie-break on the page's own tree path: ordering by id becomes page_ptr_id, which
        # makes SQLite ignore the first_published_at index and sort every row.
        .order_by("-first_published_at", "-path")
    )
    if year:
        qs = qs.filter(first_published_at__year=year)
    if month:
        qs = qs.filter(first_published_at__month=month)
    if critic_id:
        qs = qs.filter(critic_id=critic_id)
    return qs


ARCHIVE_CACHE_KEY = "reviews:archive-months"


def review_archive_months() -> list[dict]:
    """Every month with reviews, newest first, ready to print (cached until a review changes).

    [{'year': 2022, 'month': '04', 'label': 'Apr', 'count': 3}, …]
    """

    def months() -> list[dict]:
        rows = (
            ReviewPage.objects.live()
            .annotate(month=TruncMonth("first_published_at"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("-month")
        )
        return [
            {
                "year": row["month"].year,
                "month": f"{row['month'].month:02d}",
                "label": row["month"].strftime("%b"),
                "count": row["count"],
            }
            for row in rows
        ]

    return cache.get_or_set(ARCHIVE_CACHE_KEY, months, timeout=None)


def review_archive_forget() -> None:
    """Drop the cached archive list; called whenever a review goes live or leaves."""
    cache.delete(ARCHIVE_CACHE_KEY)


def review_latest() -> ReviewPage | None:
    return review_list().first()
