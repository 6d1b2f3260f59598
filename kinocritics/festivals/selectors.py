"""Reads for articles and festival editions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from kinocritics.critics.models import Critic
from kinocritics.films.text import sort_key
from kinocritics.reviews.ratings import stars_display

from .models import ArticlePage, EntryRating, Festival, FestivalEdition, FestivalEntry


@dataclass(frozen=True)
class ArticleFilters:
    kind: str | None = None
    festival: str | None = None
    critic: str | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, query) -> ArticleFilters:
        year = query.get("year", "")
        kind = query.get("kind") or None
        return cls(
            kind=kind if kind in ArticlePage.Kind.values else None,
            festival=query.get("festival") or None,
            critic=query.get("critic") or None,
            year=int(year) if year.isascii() and year.isdigit() and len(year) <= 4 else None,
        )


def article_list(filters: ArticleFilters) -> QuerySet[ArticlePage]:
    qs = (
        ArticlePage.objects.live()
        .select_related("edition__festival")
        .prefetch_related("authors")
        .order_by("-first_published_at", "-id")
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.festival:
        qs = qs.filter(edition__festival__slug=filters.festival)
    if filters.critic:
        qs = qs.filter(authors__slug=filters.critic)
    if filters.year:
        qs = qs.filter(first_published_at__year=filters.year)
    return qs


def article_filter_choices() -> dict:
    live = ArticlePage.objects.live()
    return {
        "festivals": Festival.objects.filter(editions__articles__live=True).distinct(),
        "critics": Critic.objects.filter(articles__live=True).distinct(),
        "years": sorted({d.year for d in live.dates("first_published_at", "year")}, reverse=True),
    }


@dataclass
class GridRow:
    entry: FestivalEntry
    stars: dict[int, int]  # critic id → half stars
    average: float | None
    cells: list[str] = field(default_factory=list)  # stars per critic, in the grid's column order

    @property
    def average_display(self) -> str:
        return f"{self.average / 2:.1f}" if self.average is not None else "–"

    @property
    def average_stars(self) -> str:
        return stars_display(round(self.average)) if self.average is not None else ""


@dataclass
class EditionPage:
    edition: FestivalEdition
    articles: list[ArticlePage]
    reviews: list[FestivalEntry]
    capsules: list[FestivalEntry]
    prizes: list[FestivalEntry]
    critics: list[Critic]
    grid: list[GridRow]


def edition_page(*, festival: str, year: int, sort: str = "title") -> EditionPage:
    """Everything the edition page shows, in a fixed number of queries."""
    edition = get_object_or_404(
        FestivalEdition.objects.select_related("festival"), festival__slug=festival, year=year
    )
    # No article join for the rows: an article's body is large JSON, decoded once per entry.
    entries = list(
        FestivalEntry.objects.filter(edition=edition, article__live=True)
        .select_related("film", "critic")
        .order_by("title", "position")
    )
    reviews = sorted(
        (e for e in entries if e.kind == FestivalEntry.Kind.REVIEW), key=lambda e: sort_key(e.title)
    )
    stars_by_entry: dict[int, dict[int, int]] = {entry.pk: {} for entry in reviews}
    for entry_id, critic_id, half_stars in EntryRating.objects.filter(
        entry__in=list(stars_by_entry)
    ).values_list("entry_id", "critic_id", "half_stars"):
        stars_by_entry[entry_id][critic_id] = half_stars
    grid = []
    for entry in reviews:
        stars = stars_by_entry[entry.pk]
        grid.append(GridRow(entry, stars, sum(stars.values()) / len(stars) if stars else None))
    critic_ids = {critic_id for stars in stars_by_entry.values() for critic_id in stars}
    critic_map = Critic.objects.in_bulk(critic_ids)
    critics = sorted(critic_map.values(), key=lambda c: c.initials)
    for row in grid:
        row.cells = [stars_display(row.stars.get(c.pk)) for c in critics]
    by_initials = {c.initials.lower(): c.pk for c in critics}
    if sort == "average":  # stable: equal averages keep the A–Z order
        grid.sort(key=lambda row: (row.average is None, -(row.average or 0)))
    elif sort in by_initials:
        critic_id = by_initials[sort]
        grid.sort(key=lambda row: (critic_id not in row.stars, -row.stars.get(critic_id, 0)))
    articles = list(
        ArticlePage.objects.live()
        .filter(edition=edition)
        .defer("body")
        .prefetch_related("authors")
        .order_by("first_published_at")
    )
    return EditionPage(
        edition=edition,
        articles=articles,
        reviews=reviews,
        capsules=[e for e in entries if e.kind == FestivalEntry.Kind.CAPSULE],
        prizes=sorted(
            (e for e in entries if e.kind == FestivalEntry.Kind.PRIZE), key=lambda e: e.position
        ),
        critics=critics,
        grid=grid,
    )


def festival_list() -> QuerySet[Festival]:
    return Festival.objects.prefetch_related(
        Prefetch(
            "editions",
            FestivalEdition.objects.annotate(entry_count=Count("entries")).order_by("-year"),
        )
    ).order_by("name")


def film_festival_entries(*, film_id: int) -> list[FestivalEntry]:
    # Most films were never at a festival we covered: a one-table check first costs a fifth
    # of building the four-table query below.
    if not FestivalEntry.objects.filter(film_id=film_id).exists():
        return []
    return list(
        FestivalEntry.objects.filter(film_id=film_id, article__live=True)
        .exclude(kind=FestivalEntry.Kind.PRIZE)
        .select_related("critic", "edition__festival", "article")
        .defer("article__body")
        .prefetch_related(Prefetch("ratings", EntryRating.objects.select_related("critic")))
        .order_by("-edition__year", "position")
    )


def critic_festival_entries(*, critic_id: int, limit: int = 50) -> list[FestivalEntry]:
    return list(
        FestivalEntry.objects.filter(critic_id=critic_id, article__live=True)
        .exclude(kind=FestivalEntry.Kind.PRIZE)
        .select_related("film", "edition__festival", "article")
        .defer("article__body")
        .order_by("-edition__year", "title")[:limit]
    )
