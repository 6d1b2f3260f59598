"""Drafting a monthly issue from the site's content: the month's reviews and articles, films
opening in Germany next month, and original-language highlights for the coming weeks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .models import Issue, IssueItem

OPENINGS_MAX = 20
HIGHLIGHTS_MAX = 8
HIGHLIGHT_DAYS = 21


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_range(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time(0), tzinfo=tz)
    return start, dt.datetime.combine(next_month(month), dt.time(0), tzinfo=tz)


def review_items(month: dt.date) -> list[IssueItem]:
    from kinocritics.reviews.models import ReviewPage

    start, end = _month_range(month)
    reviews = (
        ReviewPage.objects.live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .select_related("film", "critic")
        .order_by("first_published_at", "pk")
    )
    items = []
    for review in reviews:
        meta = [f"by {review.critic}" if review.critic_id else ""]
        if review.rating:
            meta.insert(0, review.stars)
        if review.film_id and review.film.german_opening:
            meta.append(f"opens {review.film.german_opening:%-d %b %Y}")
        items.append(
            IssueItem(
                section=IssueItem.Section.REVIEW,
                title=review.film.title if review.film_id else review.title,
                url=review.url or "",
                meta=" · ".join(m for m in meta if m),
                text=review.summary or review.search_description or "",
            )
        )
    return items


def article_items(month: dt.date) -> list[IssueItem]:
    from kinocritics.festivals.models import ArticlePage

    start, end = _month_range(month)
    articles = (
        ArticlePage.objects.live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .prefetch_related("authors")
        .order_by("first_published_at", "pk")
    )
    return [
        IssueItem(
            section=IssueItem.Section.ARTICLE,
            title=article.title,
            url=article.url or "",
            meta=" · ".join(x for x in (article.get_kind_display(), article.byline) if x),
            text=article.summary,
        )
        for article in articles
    ]


def opening_items(month: dt.date) -> list[IssueItem]:
    """Films opening in German cinemas in the month after the issue's month."""
    from kinocritics.films.models import Film

    start = next_month(month)
    films = Film.objects.filter(
        german_opening__gte=start, german_opening__lt=next_month(start)
    ).order_by("german_opening", "sort_title")[:OPENINGS_MAX]
    return [
        IssueItem(
            section=IssueItem.Section.OPENING,
            title=film.title,
            url=film.get_absolute_url(),
            meta=f"opens {film.german_opening:%-d %b}"
            + (f" · {film.year}" if film.year and film.year != film.german_opening.year else ""),
        )
        for film in films
    ]


def showtime_items(*, now: dt.datetime | None = None) -> list[IssueItem]:
    """The films with the most English-friendly shows in the coming weeks."""
    from kinocritics.cinemas.models import Screening
    from kinocritics.films.models import Film

    now = now or timezone.now()
    rows = (
        Screening.objects.filter(
            start__gte=now,
            start__lt=now + dt.timedelta(days=HIGHLIGHT_DAYS),
            english_friendly=True,
            cancelled=False,
            cinema__active=True,
            film__isnull=False,
        )
        .values("film_id")
        .annotate(shows=Count("id"), cinemas=Count("cinema", distinct=True))
        .order_by("-shows", "film_id")[:HIGHLIGHTS_MAX]
    )
    films = Film.objects.in_bulk([r["film_id"] for r in rows])
    items = []
    for row in rows:
        film = films[row["film_id"]]
        items.append(
            IssueItem(
                section=IssueItem.Section.SHOWTIME,
                title=film.title,
                url=f"/showtimes/?film={film.slug}&version=english",
                meta=(
                    f"{row['shows']} show{plural(row['shows'])} in English or with English "
                    f"subtitles at {row['cinemas']} cinema{plural(row['cinemas'])}"
                ),
            )
        )
    return items


def plural(n: int) -> str:
    return "" if n == 1 else "s"


def _free_slug(month: dt.date) -> str:
    base = f"{month:%Y-%m}"
    slug, n = base, 2
    while Issue.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def issue_draft(*, month: dt.date, now: dt.datetime | None = None) -> Issue:
    """Create a draft issue for `month` with items from that month's content."""
    month = month_start(month)
    items = [
        *review_items(month),
        *article_items(month),
        *opening_items(month),
        *showtime_items(now=now),
    ]
    with transaction.atomic():
        issue = Issue(
            subject=f"KinoCritics in {date_format(month, 'F Y')}",
            slug=_free_slug(month),
            month=month,
        )
        for position, item in enumerate(items):
            item.sort_order = position
        issue.items = items
        issue.save()
    return issue
