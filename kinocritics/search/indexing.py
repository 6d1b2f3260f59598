"""Build and keep current the search index: one SearchEntry (plus its tokens) per object.

`rebuild()` does the whole catalogue in bulk (`manage.py search_rebuild`); `reindex()` and
`remove()` serve the signals, one object at a time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from kinocritics.critics.models import Critic
from kinocritics.festivals.models import ArticlePage
from kinocritics.films.models import Credit, Film, FilmAlias, Person
from kinocritics.reviews.models import ReviewPage
from kinocritics.reviews.ratings import stars_display

from .models import SearchEntry, SearchToken
from .text import variants

VOCAB_VERSION_KEY = "kcsearch:vocab-version"
BATCH = 2000
SECONDARY = "||"  # in SearchEntry.text: the names after it are mentioned, not the subject
ROLE_WORDS = {"director": "Director", "writer": "Writer", "actor": "Actor"}


@dataclass
class Doc:
    kind: str
    object_id: int
    title: str
    subtitle: str
    url: str
    year: int | None
    names: list[str]
    weight: float
    also: list[str] = field(default_factory=list)  # names it mentions, matched less strongly

    def folded_text(self) -> str:
        primary = list(dict.fromkeys(f for name in self.names if name for f in variants(name)))
        text = " | ".join(primary)
        also = [
            f
            for name in self.also
            if name
            for f in dict.fromkeys(variants(name))
            if f not in primary
        ]
        if also:
            text = f"{text} {SECONDARY} {' | '.join(dict.fromkeys(also))}"
        return text


def _entry_and_tokens(doc: Doc) -> tuple[SearchEntry, set[str]]:
    text = doc.folded_text()
    entry = SearchEntry(
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title[:300],
        subtitle=doc.subtitle[:300],
        url=doc.url,
        year=doc.year,
        text=text,
        weight=round(doc.weight, 3),
    )
    words = {w[:60] for w in text.replace(SECONDARY, " ").replace("|", " ").split()}
    return entry, words


# --- documents per kind ---------------------------------------------------------------------


def film_docs(ids: Iterable[int] | None = None) -> Iterator[Doc]:
    films = Film.objects.order_by("id")
    credits = Credit.objects.filter(role=Credit.Role.DIRECTOR)
    aliases = FilmAlias.objects.all()
    reviews = ReviewPage.objects.live().exclude(film=None)
    if ids is not None:
        ids = list(ids)
        films, credits = films.filter(pk__in=ids), credits.filter(film_id__in=ids)
        aliases, reviews = aliases.filter(film_id__in=ids), reviews.filter(film_id__in=ids)
    directors: dict[int, list[str]] = defaultdict(list)
    for film_id, name in credits.order_by("sort_order", "id").values_list(
        "film_id", "person__name"
    ):
        directors[film_id].append(name)
    other_titles: dict[int, list[str]] = defaultdict(list)
    for film_id, title in aliases.values_list("film_id", "title"):
        other_titles[film_id].append(title)
    review_counts = dict(
        reviews.values("film_id").annotate(n=Count("id")).values_list("film_id", "n")
    )
    credit_counts = dict(
        Credit.objects.filter(film_id__in=ids)
        .values("film_id")
        .annotate(n=Count("id"))
        .values_list("film_id", "n")
        if ids is not None
        else Credit.objects.values("film_id").annotate(n=Count("id")).values_list("film_id", "n")
    )
    for f in films.values_list(
        "id",
        "title",
        "original_title",
        "german_title",
        "english_title",
        "slug",
        "year",
        "german_opening",
    ):
        pk, title, original, german, english, slug, year, opening = f
        facts = [str(year) if year else "", ", ".join(directors.get(pk, [])[:2])]
        if opening:
            facts.append(f"Opening {opening:%-d %b %Y}")
        yield Doc(
            kind=SearchEntry.Kind.FILM,
            object_id=pk,
            title=title,
            subtitle=" · ".join(x for x in facts if x),
            url=reverse("films:detail", kwargs={"slug": slug}),
            year=year,
            names=[title, original, german, english, *other_titles.get(pk, [])],
            weight=4 * review_counts.get(pk, 0)
            + math.log1p(credit_counts.get(pk, 0))
            + (1 if opening else 0),
        )


def person_docs(ids: Iterable[int] | None = None) -> Iterator[Doc]:
    people = Person.objects.order_by("id")
    credits = Credit.objects.all()
    if ids is not None:
        ids = list(ids)
        people, credits = people.filter(pk__in=ids), credits.filter(person_id__in=ids)
    roles: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, role, n in (
        credits.values("person_id", "role")
        .annotate(n=Count("id"))
        .values_list("person_id", "role", "n")
    ):
        roles[person_id][role] += n
    for pk, name, slug in people.values_list("id", "name", "slug"):
        counts = roles.get(pk, {})
        films = sum(counts.values())
        jobs = [ROLE_WORDS[r] for r in ("director", "writer", "actor") if counts.get(r)]
        subtitle = " · ".join(
            x for x in (", ".join(jobs), f"{films} film{'s' if films != 1 else ''}") if x
        )
        yield Doc(
            kind=SearchEntry.Kind.PERSON,
            object_id=pk,
            title=name,
            subtitle=subtitle if films else "",
            url=reverse("films:person", kwargs={"slug": slug}),
            year=None,
            names=[name],
            weight=math.log1p(films) + 0.5 * math.log1p(counts.get("director", 0)),
        )


def review_docs(ids: Iterable[int] | None = None) -> Iterator[Doc]:
    reviews = ReviewPage.objects.live().select_related("film", "critic").order_by("id")
    if ids is not None:
        reviews = reviews.filter(pk__in=list(ids))
    for review in reviews:
        film = review.film
        by = f"Review by {review.critic.name}" if review.critic else "Review"
        stars = stars_display(review.rating)
        names = [review.title]
        if film:
            names += [film.title, film.original_title, film.german_title, film.english_title]
        yield Doc(
            kind=SearchEntry.Kind.REVIEW,
            object_id=review.pk,
            title=film.title if film else review.title,
            subtitle=" · ".join(x for x in (by, stars) if x),
            url=review.get_url() or "",
            year=film.year if film else None,
            names=names,
            weight=2.0,
        )


def article_docs(ids: Iterable[int] | None = None) -> Iterator[Doc]:
    articles = ArticlePage.objects.live().prefetch_related("people", "authors").order_by("id")
    if ids is not None:
        articles = articles.filter(pk__in=list(ids))
    for article in articles:
        people = [p.name for p in article.people.all()]
        yield Doc(
            kind=SearchEntry.Kind.ARTICLE,
            object_id=article.pk,
            title=article.title,
            subtitle=f"{article.get_kind_display()} · by {article.byline}",
            url=article.get_url() or "",
            year=article.first_published_at.year if article.first_published_at else None,
            names=[article.title],
            also=people,
            weight=1.5 + (1 if people else 0),
        )


def critic_docs(ids: Iterable[int] | None = None) -> Iterator[Doc]:
    critics = Critic.objects.order_by("id")
    if ids is not None:
        critics = critics.filter(pk__in=list(ids))
    counts = dict(
        ReviewPage.objects.live()
        .exclude(critic=None)
        .values("critic_id")
        .annotate(n=Count("id"))
        .values_list("critic_id", "n")
    )
    for critic in critics:
        n = counts.get(critic.pk, 0)
        yield Doc(
            kind=SearchEntry.Kind.CRITIC,
            object_id=critic.pk,
            title=critic.name,
            subtitle=f"KinoCritics critic · {n} review{'s' if n != 1 else ''}",
            url=critic.get_absolute_url(),
            year=None,
            names=[critic.name],
            weight=3 + math.log1p(n),
        )


BUILDERS = {
    SearchEntry.Kind.FILM: film_docs,
    SearchEntry.Kind.PERSON: person_docs,
    SearchEntry.Kind.REVIEW: review_docs,
    SearchEntry.Kind.ARTICLE: article_docs,
    SearchEntry.Kind.CRITIC: critic_docs,
}


# --- writing --------------------------------------------------------------------------------


def _write(docs: Iterable[Doc]) -> int:
    written = 0
    batch: list[tuple[SearchEntry, set[str]]] = []

    def flush():
        entries = SearchEntry.objects.bulk_create([e for e, _ in batch], batch_size=BATCH)
        SearchToken.objects.bulk_create(
            [
                SearchToken(entry_id=entry.pk, token=token)
                for entry, (_, words) in zip(entries, batch, strict=True)
                for token in words
            ],
            batch_size=5000,
        )
        batch.clear()

    for doc in docs:
        batch.append(_entry_and_tokens(doc))
        written += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return written


def index_changed() -> None:
    """Tell every process its cached token vocabulary is out of date."""
    cache.delete(VOCAB_VERSION_KEY)


def rebuild(kinds: Iterable[str] | None = None, *, progress=None) -> dict[str, int]:
    """Replace the index for the given kinds (all by default); returns entries per kind."""
    counts = {}
    for kind in kinds or BUILDERS:
        with transaction.atomic():
            SearchToken.objects.filter(entry__kind=kind).delete()
            SearchEntry.objects.filter(kind=kind).delete()
            counts[kind] = _write(BUILDERS[kind]())
        if progress:
            progress(kind, counts[kind])
    if connection.vendor == "postgresql":
        # Bulk inserts wait in the GIN indexes' pending lists, which makes every search scan
        # them; merge them now and refresh the planner's statistics.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('kcsearch_entry_text_trgm'::regclass)")
            cursor.execute("SELECT gin_clean_pending_list('kcsearch_entry_text_fts'::regclass)")
            cursor.execute("ANALYZE kcsearch_searchentry")
            cursor.execute("ANALYZE kcsearch_searchtoken")
    index_changed()
    return counts


def reindex(kind: str, ids: Iterable[int]) -> None:
    """Bring the entries of these objects up to date (removing those no longer indexable)."""
    ids = list(ids)
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        _write(BUILDERS[kind](ids))
    index_changed()


def remove(kind: str, ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).delete()
    index_changed()
