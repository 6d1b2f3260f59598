"""Reads for films and people: one place for the queries behind pages, feeds and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from kinocritics.reviews.models import ReviewPage

from .models import Credit, Film, FilmCountry, Person


def _live_reviews() -> QuerySet[ReviewPage]:
    return (
        ReviewPage.objects.live().select_related("critic", "still").order_by("-first_published_at")
    )


def _film_base() -> QuerySet[Film]:
    return Film.objects.prefetch_related(
        Prefetch("film_countries", FilmCountry.objects.select_related("country")),
    )


def film_for_page(*, film_id: int | None = None, slug: str | None = None) -> Film:
    """A film with everything its page shows, in a fixed number of queries."""
    qs = _film_base().prefetch_related(
        "languages",
        "genres",
        Prefetch("credits", Credit.objects.select_related("person").order_by("sort_order", "id")),
        Prefetch("reviews", _live_reviews(), to_attr="live_reviews"),
    )
    film = (
        get_object_or_404(qs, pk=film_id)
        if film_id is not None
        else get_object_or_404(qs, slug=slug)
    )
    film.credit_groups = credit_groups(film.credits.all())
    return film


@dataclass
class CreditGroup:
    role: str
    label: str
    people: list[Person] = field(default_factory=list)


def credit_groups(credits) -> list[CreditGroup]:
    """Credits in the reference page's order: directors, writers, actors (billing order)."""
    groups = {role: CreditGroup(role, label) for role, label in Credit.Role.choices}
    for credit in credits:
        groups[credit.role].people.append(credit.person)
    return list(groups.values())


@dataclass(frozen=True)
class FilmFilters:
    year: int | None = None
    country: int | None = None
    genre: str | None = None
    letter: str | None = None
    order: str = "az"


def film_list(filters: FilmFilters) -> QuerySet[Film]:
    qs = _film_base()
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.country:
        qs = qs.filter(film_countries__country_id=filters.country)
    if filters.genre:
        qs = qs.filter(genres__slug=filters.genre)
    if filters.letter:
        if filters.letter == "#":
            qs = qs.exclude(sort_title__gte="a", sort_title__lt="{")
        else:
            # A range, not LIKE 'm%', so the sort_title index serves it (keys are lower ASCII).
            letter = filters.letter.lower()
            qs = qs.filter(sort_title__gte=letter, sort_title__lt=chr(ord(letter) + 1))
    if filters.order == "opening":
        qs = qs.filter(german_opening__isnull=False).order_by("-german_opening", "sort_title")
    else:
        qs = qs.order_by("sort_title", "year", "id")
    return qs


def films_opening(*, start: dt.date, end: dt.date) -> QuerySet[Film]:
    """Films whose German opening falls in [start, end)."""
    return (
        _film_base()
        .filter(german_opening__gte=start, german_opening__lt=end)
        .prefetch_related(Prefetch("reviews", _live_reviews(), to_attr="live_reviews"))
        .order_by("german_opening", "sort_title")
    )


@dataclass
class Filmography:
    person: Person
    groups: list[tuple[str, list[Credit]]]
    reviews: list[ReviewPage]
    interviews: list = field(default_factory=list)
    articles: list = field(default_factory=list)  # other articles about them


def person_filmography(*, slug: str) -> Filmography:
    person = get_object_or_404(Person, slug=slug)
    credits = list(
        Credit.objects.filter(person=person)
        .select_related("film")
        .order_by("-film__year", "film__sort_title")
    )
    groups = [
        (label, [c for c in credits if c.role == role])
        for role, label in (("director", "Directed"), ("writer", "Wrote"), ("actor", "Acted in"))
    ]
    film_ids = {c.film_id for c in credits}
    reviews = list(_live_reviews().select_related("film").filter(film_id__in=film_ids))
    reviewed = {}
    for review in reviews:
        reviewed.setdefault(review.film_id, []).append(review)
    for credit in credits:
        credit.film.live_reviews = reviewed.get(credit.film_id, [])
    interviews, articles = _articles_about(person)
    return Filmography(
        person=person,
        groups=[g for g in groups if g[1]],
        reviews=reviews,
        interviews=interviews,
        articles=articles,
    )


def _articles_about(person: Person) -> tuple[list, list]:
    """Live articles linked to the person (ArticlePage.people): interviews, then the rest."""
    from kinocritics.festivals.models import ArticlePage

    found = list(
        ArticlePage.objects.live()
        .filter(people=person)
        .prefetch_related("authors")
        .order_by("-first_published_at", "-pk")
    )
    interviews = [a for a in found if a.kind == ArticlePage.Kind.INTERVIEW]
    return interviews, [a for a in found if a.kind != ArticlePage.Kind.INTERVIEW]


def film_year_range() -> list[int]:
    return list(
        Film.objects.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
    )
