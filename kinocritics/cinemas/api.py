"""Read-only JSON API for screenings and cinemas, documented at /api/v1/docs (OpenAPI)."""

import datetime as dt

from django.http import QueryDict
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kinocritics.core.jsonld import absolute

from . import selectors
from .versions import version_words

api = NinjaAPI(
    title="KinoCritics showtimes API",
    version="1.0",
    description="Original-language screenings in German cinemas, as shown on kinocritics.de. "
    "Read-only; times are ISO 8601 with offset.",
    urls_namespace="api-v1",
)


class CitySchema(Schema):
    name: str
    slug: str
    time_zone: str


class CinemaSchema(Schema):
    name: str
    slug: str
    city: CitySchema
    address: str
    latitude: float | None
    longitude: float | None
    website: str
    programme_url: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())


class FilmRefSchema(Schema):
    title: str
    slug: str
    year: int | None
    wikidata_id: str | None
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute(obj.get_absolute_url())


class ScreeningSchema(Schema):
    id: int
    start: dt.datetime
    cinema: str
    cinema_name: str
    auditorium: str
    title: str
    film: FilmRefSchema | None
    version: str
    version_words: str
    audio_language: str | None
    subtitle_languages: list[str]
    english_friendly: bool
    formats: list[str]
    event: str
    ticket_url: str | None
    programme_url: str | None
    raw_title: str

    @staticmethod
    def resolve_cinema(obj) -> str:
        return obj.cinema.slug

    @staticmethod
    def resolve_cinema_name(obj) -> str:
        return obj.cinema.name

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.film.title if obj.film else obj.title

    @staticmethod
    def resolve_version_words(obj) -> str:
        return version_words(obj.version, obj.audio_language, obj.subtitle_languages)

    @staticmethod
    def resolve_audio_language(obj) -> str | None:
        return obj.audio_language or None

    @staticmethod
    def resolve_ticket_url(obj) -> str | None:
        return obj.ticket_url or None

    @staticmethod
    def resolve_programme_url(obj) -> str | None:
        return None if obj.ticket_url else (obj.cinema.programme_url or None)


class ScreeningFilters(Schema):
    city: str | None = None
    cinema: list[str] = []
    day: dt.date | None = None
    from_time: str | None = None
    version: str | None = None
    audio: str | None = None
    film: str | None = None


@api.get("/screenings", response=list[ScreeningSchema], tags=["screenings"])
@paginate(LimitOffsetPagination)
def list_screenings(request, filters: Query[ScreeningFilters]):
    """Screenings in the next 7 days (or on `day`); `version=english` for English-friendly shows."""
    from .views import filters_from_query

    query = QueryDict(mutable=True)
    for key, value in filters.dict().items():
        if key == "cinema":
            query.setlist("cinema", value)
        elif value is not None:
            query["from" if key == "from_time" else key] = str(value)
    return selectors.showtimes(filters_from_query(query))


@api.get("/cinemas", response=list[CinemaSchema], tags=["cinemas"])
def list_cinemas(request, city: str | None = None):
    """Active cinemas, optionally in one city (by slug)."""
    cinemas = selectors.cinema_list()
    return cinemas.filter(city__slug=city) if city else cinemas
