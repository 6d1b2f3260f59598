"""German openings by week (films open on Thursdays): the /openings/ page, its iCalendar feed
and its ItemList JSON-LD."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone
from icalendar import Calendar, Event

from kinocritics.cinemas.models import Screening
from kinocritics.cinemas.versions import ORIGINAL_LANGUAGE_VERSIONS
from kinocritics.core import jsonld
from kinocritics.films.models import Credit, Film
from kinocritics.films.selectors import films_opening

WEEKS_PER_PAGE = 6
FEED_DAYS_BACK = 28
FEED_DAYS_AHEAD = 365
PRODID = "-//KinoCritics//German openings//EN"


def thursday_of(day: dt.date) -> dt.date:
    """The Thursday that starts the cinema week (Thursday to Wednesday) holding `day`."""
    return day - dt.timedelta(days=(day.weekday() - 3) % 7)


@dataclass
class OriginalLanguage:
    shows: int = 0
    cities: list[str] = field(default_factory=list)


@dataclass
class OpeningWeek:
    thursday: dt.date
    films: list[Film]

    @property
    def wednesday(self) -> dt.date:
        return self.thursday + dt.timedelta(days=6)


def _with_facts(films: list[Film], *, now: dt.datetime) -> list[Film]:
    """Attach `original_language` (upcoming original-language shows) to each film: one query."""
    shows: dict[int, OriginalLanguage] = defaultdict(OriginalLanguage)
    rows = (
        Screening.objects.filter(
            film_id__in=[f.pk for f in films],
            start__gte=now,
            cancelled=False,
            cinema__active=True,
            version__in=ORIGINAL_LANGUAGE_VERSIONS,
        )
        .values("film_id", "cinema__city__name")
        .annotate(n=Count("id"))
        .order_by("film_id", "-n", "cinema__city__name")
    )
    for row in rows:
        entry = shows[row["film_id"]]
        entry.shows += row["n"]
        entry.cities.append(row["cinema__city__name"])
    for film in films:
        film.original_language = shows.get(film.pk, OriginalLanguage())
    return films


def _openings(start: dt.date, end: dt.date):
    return films_opening(start=start, end=end).prefetch_related(
        Prefetch(
            "credits",
            Credit.objects.filter(role=Credit.Role.DIRECTOR)
            .select_related("person")
            .order_by("sort_order", "id"),
            to_attr="director_credits",
        )
    )


def opening_weeks(
    first_thursday: dt.date, *, weeks: int = WEEKS_PER_PAGE, now: dt.datetime | None = None
) -> list[OpeningWeek]:
    """`weeks` cinema weeks from `first_thursday`, each with its films (title order)."""
    first_thursday = thursday_of(first_thursday)
    end = first_thursday + dt.timedelta(weeks=weeks)
    films = _with_facts(list(_openings(first_thursday, end)), now=now or timezone.now())
    by_week: dict[dt.date, list[Film]] = defaultdict(list)
    for film in films:
        by_week[thursday_of(film.german_opening)].append(film)
    return [
        OpeningWeek(thursday=t, films=by_week.get(t, []))
        for t in (first_thursday + dt.timedelta(weeks=i) for i in range(weeks))
    ]


def item_list(weeks: list[OpeningWeek], *, url: str) -> dict:
    """schema.org ItemList of the films on the page, in the order they are listed."""
    elements = []
    for week in weeks:
        for film in week.films:
            movie = {
                "@type": "Movie",
                "name": film.title,
                "url": jsonld.absolute(film.get_absolute_url()),
                "datePublished": film.german_opening.isoformat(),
            }
            directors = [c.person for c in getattr(film, "director_credits", [])]
            if directors:
                movie["director"] = [jsonld.person(p, url=p.get_absolute_url()) for p in directors]
            if film.live_reviews:
                movie["review"] = [jsonld.review(film.live_reviews[0])]
            elements.append(
                {
                    "@type": "ListItem",
                    "position": len(elements) + 1,
                    "name": film.title,
                    "item": movie,
                }
            )
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": "Films opening in German cinemas",
        "url": jsonld.absolute(url),
        "numberOfItems": len(elements),
        "itemListElement": elements,
    }


def openings_calendar(*, today: dt.date) -> bytes:
    """A VCALENDAR with one all-day VEVENT per German opening, a month back to a year ahead."""
    films = _openings(
        today - dt.timedelta(days=FEED_DAYS_BACK), today + dt.timedelta(days=FEED_DAYS_AHEAD)
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "KinoCritics: German openings")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    site = settings.SITE_URL.rstrip("/")
    for film in films:
        event = Event()
        event.add("uid", f"opening-{film.pk}@kinocritics")
        event.add("summary", f"Opening: {film.title}")
        event.add("dtstart", film.german_opening)
        event.add("dtend", film.german_opening + dt.timedelta(days=1))
        event.add("dtstamp", film.updated_at.astimezone(dt.UTC))
        event.add("transp", "TRANSPARENT")
        event.add("url", f"{site}{film.get_absolute_url()}")
        lines = []
        directors = ", ".join(c.person.name for c in film.director_credits)
        if directors:
            lines.append(f"Directed by {directors}")
        if film.live_reviews:
            review = film.live_reviews[0]
            by = f" by {review.critic.name}" if review.critic else ""
            lines.append(f"Our review{by}: {site}{review.url}")
        lines.append(f"{site}{film.get_absolute_url()}")
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
