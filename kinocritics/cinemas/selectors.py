"""Reads for showtimes: the filters behind /showtimes/, cinema and film pages, feeds, the API."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from .models import Cinema, City, Screening, ShowWording, Source
from .versions import ORIGINAL_LANGUAGE_VERSIONS, Version

DAYS_AHEAD = 7
FILM_PAGE_SHOWS = 120  # a film page lists this many; the rest are on /showtimes/?film=…
ENGLISH_FRIENDLY = "english"
ORIGINAL = "original"


@dataclass(frozen=True)
class ShowtimeFilters:
    city: str | None = None
    cinemas: tuple[str, ...] = ()
    day: dt.date | None = None
    from_time: dt.time | None = None
    version: str | None = None  # ENGLISH_FRIENDLY, ORIGINAL or a Version value
    audio: str | None = None
    film: str | None = None  # film slug
    include_cancelled: bool = False


def _window(filters: ShowtimeFilters, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    if filters.day:
        start = dt.datetime.combine(filters.day, filters.from_time or dt.time(0), tzinfo=tz)
        return max(start, now), dt.datetime.combine(
            filters.day + dt.timedelta(days=1), dt.time(0), tzinfo=tz
        )
    return now, now + dt.timedelta(days=DAYS_AHEAD)


def showtimes(filters: ShowtimeFilters, *, now: dt.datetime | None = None) -> QuerySet[Screening]:
    """Screenings in the next week (or on one day) matching the reader's filters, soonest first."""
    now = now or timezone.now()
    start, end = _window(filters, now)
    qs = Screening.objects.filter(start__gte=start, start__lt=end, cinema__active=True)
    if not filters.include_cancelled:
        qs = qs.filter(cancelled=False)
    if filters.city:
        qs = qs.filter(cinema__city__slug=filters.city)
    if filters.cinemas:
        qs = qs.filter(cinema__slug__in=filters.cinemas)
    if filters.from_time and not filters.day:
        qs = qs.filter(start__time__gte=filters.from_time)
    if filters.version == ENGLISH_FRIENDLY:
        qs = qs.filter(english_friendly=True)
    elif filters.version == ORIGINAL:
        qs = qs.filter(version__in=ORIGINAL_LANGUAGE_VERSIONS)
    elif filters.version in Version.values:
        qs = qs.filter(version=filters.version)
    if filters.audio:
        qs = qs.filter(audio_language=filters.audio)
    if filters.film:
        qs = qs.filter(film__slug=filters.film)
    return qs.select_related("cinema__city", "film").order_by("start", "cinema__name", "title")


@lru_cache(maxsize=32)
def _url_parts(name: str, script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    url = reverse(name, kwargs={"slug": _SLUG_PLACEHOLDER}, urlconf=urlconf)
    before, _, after = url.partition(_SLUG_PLACEHOLDER)
    return before, after


_SLUG_PLACEHOLDER = "slug-placeholder"


def slug_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}) from one real reverse() per URL name."""
    before, after = _url_parts(name, get_script_prefix(), get_urlconf())
    return before + quote(slug, safe="") + after


@dataclass(slots=True, eq=False)
class ListedCinema:
    """What a listing shows of a cinema: its name and links (and JSON-LD's address and geo)."""

    pk: int
    name: str
    slug: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    programme_url: str
    website: str
    _url: str | None = field(default=None, repr=False)

    def get_absolute_url(self) -> str:
        # Once per cinema: a listing links it, and its JSON-LD names it, once per show.
        if self._url is None:
            self._url = slug_url("cinemas:detail", self.slug)
        return self._url


@dataclass(slots=True, eq=False)
class ListedFilm:
    pk: int
    title: str
    slug: str
    _url: str | None = field(default=None, repr=False)

    def get_absolute_url(self) -> str:
        if self._url is None:
            self._url = slug_url("films:detail", self.slug)
        return self._url


@dataclass(slots=True, eq=False)
class ListedShow(ShowWording):
    """One screening as a listing page reads it; the same attributes as a Screening."""

    pk: int
    cinema: ListedCinema
    film: ListedFilm | None
    start: dt.datetime
    version: str
    audio_language: str
    subtitle_languages: list[str]
    formats: list[str]
    event: str
    auditorium: str
    ticket_url: str
    title: str
    title_key: str
    cancelled: bool

    @property
    def cinema_id(self) -> int:
        return self.cinema.pk

    @property
    def film_id(self) -> int | None:
        return self.film.pk if self.film else None


_LISTING_COLUMNS = (
    *("id", "start", "version", "audio_language", "subtitle_languages", "formats", "event"),
    *("auditorium", "ticket_url", "title", "title_key", "cancelled"),
    *("cinema_id", "cinema__name", "cinema__slug", "cinema__address", "cinema__latitude"),
    *("cinema__longitude", "cinema__programme_url", "cinema__website"),
    *("film_id", "film__title", "film__slug"),
)


def showtimes_listing(
    filters: ShowtimeFilters, *, limit: int, now: dt.datetime | None = None
) -> list[ListedShow]:
    """The first `limit` shows of showtimes() as plain rows: listing pages read a few columns,
    and hundreds of model instances (three per show) cost more than the query."""
    return listed_shows(showtimes(filters, now=now)[:limit])


def listed_shows(screenings: QuerySet[Screening]) -> list[ListedShow]:
    """A screening queryset read as ListedShow rows: one query, no model instances."""
    cinemas: dict[int, ListedCinema] = {}
    films: dict[int, ListedFilm] = {}
    shows = []
    for (
        pk, start, version, audio, subtitles, formats, event, auditorium, ticket_url, title,
        title_key, cancelled, cinema_id, cinema_name, cinema_slug, address, latitude, longitude,
        programme_url, website, film_id, film_title, film_slug,
    ) in screenings.values_list(*_LISTING_COLUMNS):  # fmt: skip
        cinema = cinemas.get(cinema_id)
        if cinema is None:
            cinema = cinemas[cinema_id] = ListedCinema(
                cinema_id, cinema_name, cinema_slug, address, latitude, longitude,
                programme_url, website,
            )  # fmt: skip
        film = None
        if film_id is not None:
            film = films.get(film_id)
            if film is None:
                film = films[film_id] = ListedFilm(film_id, film_title, film_slug)
        shows.append(
            ListedShow(
                pk,
                cinema,
                film,
                start,
                version,
                audio,
                subtitles or [],
                formats or [],
                event,
                auditorium,
                ticket_url,
                title,
                title_key,
                cancelled,
            )  # fmt: skip
        )
    return shows


@dataclass
class FilmShows:
    """One film's shows on one day (or in one cinema), for listing pages."""

    title: str
    film: object | None
    shows: list[Screening] = field(default_factory=list)


@dataclass
class DayShows:
    day: dt.date
    groups: list[FilmShows]


def group_by_day_and_film(screenings) -> list[DayShows]:
    """[(day, [(film title, [shows])])], keeping time order inside each film."""
    tz = timezone.get_current_timezone()
    days: OrderedDict[dt.date, OrderedDict[str, FilmShows]] = OrderedDict()
    for screening in screenings:
        day = screening.start.astimezone(tz).date()
        key = f"film:{screening.film_id}" if screening.film_id else f"title:{screening.title_key}"
        films = days.setdefault(day, OrderedDict())
        group = films.get(key)
        if group is None:
            film = screening.film
            group = films[key] = FilmShows(title=film.title if film else screening.title, film=film)
        group.shows.append(screening)
    return [
        DayShows(day=day, groups=sorted(films.values(), key=lambda g: g.title.casefold()))
        for day, films in days.items()
    ]


def group_by_day_and_cinema(screenings) -> list[tuple[dt.date, list[tuple[Cinema, list]]]]:
    tz = timezone.get_current_timezone()
    days: OrderedDict[dt.date, OrderedDict[int, tuple[Cinema, list]]] = OrderedDict()
    for screening in screenings:
        day = screening.start.astimezone(tz).date()
        cinemas = days.setdefault(day, OrderedDict())
        cinemas.setdefault(screening.cinema_id, (screening.cinema, []))[1].append(screening)
    return [
        (day, sorted(cinemas.values(), key=lambda c: c[0].name.casefold()))
        for day, cinemas in days.items()
    ]


def film_showtimes(*, film_id: int, now: dt.datetime | None = None) -> list[ListedShow]:
    """A film's original-language shows in the next week, for its page."""
    now = now or timezone.now()
    return listed_shows(
        Screening.objects.filter(
            film_id=film_id,
            start__gte=now,
            start__lt=now + dt.timedelta(days=DAYS_AHEAD),
            cancelled=False,
            cinema__active=True,
        )
        .exclude(version=Version.DE)
        .order_by("start", "cinema__name")[:FILM_PAGE_SHOWS]
    )


@dataclass(frozen=True, slots=True)
class StaleSource:
    """A feed whose last run failed, as the "as of" note names it."""

    name: str
    last_success_at: dt.datetime | None
    cinema_names: tuple[str, ...]


def stale_sources(cinema_ids: set[int]) -> list[StaleSource]:
    """Sources behind these cinemas whose last run failed: pages say 'as of'.

    One query over the few stale sources' cinemas (usually none), picked in Python: cheaper
    than joining every page's cinemas to the sources, and no model instances.
    """
    if not cinema_ids:
        return []
    rows = (
        Source.cinemas.through.objects.filter(source__stale=True)
        .order_by("source__name", "source_id", "cinema__name")
        .values_list(
            "source_id", "source__name", "source__last_success_at", "cinema_id", "cinema__name"
        )
    )
    sources: dict[int, tuple[str, dt.datetime | None, list[str], list[int]]] = {}
    for source_id, name, last_success_at, cinema_id, cinema_name in rows:
        entry = sources.setdefault(source_id, (name, last_success_at, [], []))
        entry[2].append(cinema_name)
        entry[3].append(cinema_id)
    return [
        StaleSource(name, last_success_at, tuple(names))
        for name, last_success_at, names, ids in sources.values()
        if not cinema_ids.isdisjoint(ids)
    ]


def cinema_list() -> QuerySet[Cinema]:
    now = timezone.now()
    return (
        Cinema.objects.filter(active=True)
        .select_related("city")
        .annotate(
            upcoming=Count(
                "screenings",
                filter=Q(
                    screenings__start__gte=now,
                    screenings__start__lt=now + dt.timedelta(days=DAYS_AHEAD),
                    screenings__cancelled=False,
                ),
            )
        )
        .order_by("city__name", "name")
    )


def cities_with_cinemas() -> QuerySet[City]:
    return City.objects.filter(cinemas__active=True).distinct().order_by("name")


def audio_languages_showing() -> list[str]:
    """Audio languages of the coming week's shows, for the filter (cached for ten minutes)."""

    def languages() -> list[str]:
        now = timezone.now()
        return list(
            Screening.objects.filter(start__gte=now, start__lt=now + dt.timedelta(days=DAYS_AHEAD))
            .exclude(audio_language="")
            .order_by("audio_language")
            .values_list("audio_language", flat=True)
            .distinct()
        )

    return cache.get_or_set("showtimes:audio-languages", languages, timeout=600)


def cinema_choices(*, city: str | None = None) -> list[tuple[str, str]]:
    """Active cinemas for the filter form as (slug, name), by name; no counting."""
    qs = Cinema.objects.filter(active=True).order_by("name")
    if city:
        qs = qs.filter(city__slug=city)
    return list(qs.values_list("slug", "name"))
