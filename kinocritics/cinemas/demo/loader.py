"""Demo cinemas: Hamburg's original-language cinemas and three feeds, one per format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

from ..models import Cinema, City, Source
from ..services import ImportRun, screening_import
from .feeds import demo_feeds

# Names and street addresses are facts; check them against each cinema's own site before launch.
HAMBURG_CINEMAS = [
    ("Abaton", "abaton", "Allendeplatz 3, 20146 Hamburg"),
    ("Savoy", "savoy", "Steindamm 54, 20099 Hamburg"),
    ("Zeise", "zeise", "Friedensallee 7–9, 22765 Hamburg"),
    ("Studio", "studio-kino", "Bernstorffstraße 93–95, 22767 Hamburg"),
    ("Passage", "passage", "Mönckebergstraße 17, 20095 Hamburg"),
    ("Metropolis", "metropolis", "Kleine Theaterstraße 10, 20354 Hamburg"),
    ("3001", "3001-kino", "Schanzenstraße 75, 20357 Hamburg"),
    ("Holi", "holi", "Schlankreye 69, 20144 Hamburg"),
    ("Alabama", "alabama", "Jarrestraße 20, 22303 Hamburg"),
    ("B-Movie", "b-movie", "Brigittenstraße 5, 20359 Hamburg"),
    ("Koralle", "koralle", "Kattjahren 1, 22359 Hamburg"),
    ("CinemaxX Dammtor", "cinemaxx-dammtor", "Dammtordamm 1, 20354 Hamburg"),
    ("UCI", "uci", ""),
]

SOURCES = [
    (
        "Abaton programme (JSON-LD)",
        "abaton-jsonld",
        Source.Kind.JSONLD,
        "abaton.jsonld.html",
        ["abaton"],
    ),
    ("Savoy programme (iCalendar)", "savoy-ical", Source.Kind.ICAL, "savoy.ics", ["savoy"]),
    (
        "Hamburg OV cinemas (CSV)",
        "hamburg-ov-csv",
        Source.Kind.CSV,
        "hamburg-ov.csv",
        ["zeise", "studio-kino", "passage", "metropolis", "3001-kino"],
    ),
]  # fmt: skip


def demo_feed_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "demo-feeds"


def cinemas_demo_load(*, today: dt.date) -> list[ImportRun]:
    """Create the Hamburg cinemas and demo sources, write today's feed files and import them."""
    hamburg, _ = City.objects.get_or_create(
        slug="hamburg",
        defaults={"name": "Hamburg", "time_zone": "Europe/Berlin", "latitude": 53.55108,
                  "longitude": 9.99368},
    )  # fmt: skip
    for name, slug, address in HAMBURG_CINEMAS:
        Cinema.objects.get_or_create(
            slug=slug, defaults={"name": name, "city": hamburg, "address": address}
        )
    folder = demo_feed_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, content in demo_feeds(today=today).items():
        (folder / file_name).write_text(content, encoding="utf-8")
    runs = []
    for name, slug, kind, file_name, cinema_slugs in SOURCES:
        source, created = Source.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "location": str(folder / file_name)}
        )
        if created:
            source.cinemas.set(Cinema.objects.filter(slug__in=cinema_slugs))
        runs.append(screening_import(source=source))
    return runs
