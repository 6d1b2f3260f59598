"""Demo programme feeds for Hamburg, generated for the two weeks from a given day."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

DAYS = 14
HAMBURG = ZoneInfo("Europe/Berlin")
GERMAN_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


@dataclass(frozen=True)
class Listing:
    """A film as one cinema lists it: its title and version words, and what the feed states."""

    title: str
    label: str = ""
    audio: str = ""
    subtitles: tuple[str, ...] = ()
    year: int | None = None
    video_format: str = ""


ABATON = (
    Listing("Tokyo Story", "OmU", "ja", ("de",), 1953),
    Listing("À bout de souffle", "OmU", "fr", ("de",), 1960),
    Listing("Der Himmel über Berlin", "DFmenglU", "de", ("en",), 1987),
    Listing("Seppuku", "OmeU", "ja", ("en",), 1962),
    Listing("Red Rocket", "OV", "en", (), 2021),
    Listing("Cléo de 5 à 7", "OmU", "fr", ("de",), 1962),
    Listing("Angst essen Seele auf", "DFmenglU", "de", ("en",), 1974),
    Listing("Vertigo", "OV", "en", (), 1958),
)
ABATON_IMAX = Listing("Vertigo", "OV", "en", (), 1958, video_format="IMAX")

# Savoy puts the version in the title, the description or a category: all three occur.
SAVOY = (
    Listing("Sunset Boulevard (OV)", audio="en"),
    Listing("Breathless", "OmeU", "fr", ("en",)),
    Listing("The Third Man (OV)", audio="en"),
    Listing("Do the Right Thing", "OV", "en"),
    Listing("Withnail and I (OV)"),
    Listing("Das Boot", "DFmenglU", "de", ("en",)),
    Listing("Chinatown (OV)", audio="en"),
    Listing("Red Rocket (OV)"),
)
SAVOY_SNEAK = Listing("Sneak Preview (engl. OV)")

HAMBURG_OV = {
    "zeise": (
        Listing("Withnail and I", "OV (englisch)", "en"),
        Listing("Phoenix", "DFmenglU", "de", ("en",), 2014),
        Listing("Cure", "engl. UT", "ja", ("en",), 1997),
        Listing("Gegen die Wand", "DFmenglU", "de", ("en",)),
        Listing("La Haine", "OmU", "fr", ("de",)),
    ),
    "studio-kino": (
        Listing("Angst essen Seele auf", "DFmenglU", "de", ("en",)),
        Listing("Cléo de 5 à 7", "OmdU", "fr", ("de",)),
        Listing("Red Rocket – OmU", year=2021),
        Listing("Der Himmel über Berlin", "DFmenglU"),
    ),
    "passage": (
        Listing("Chinatown (D)", audio="de"),
        Listing("Das Boot", audio="de"),
        Listing("Vertigo (D)"),
        Listing("Sunset Boulevard", "OmU", "en", ("de",)),
        Listing("The Third Man", "OV"),
    ),
    "metropolis": (
        Listing("Seppuku", "OmeU", "ja", ("en",)),
        Listing("Der amerikanische Freund", "OV", year=1977),
        Listing("Tokyo Story", "OmU", "ja", ("de",)),
        Listing("Phoenix", "OmeU", "de", ("en",), 2014),
    ),
    "3001-kino": (
        Listing("Do the Right Thing", "OmU", "en", ("de",)),
        Listing("La Haine", "OmeU", "fr", ("en",), 1995),
        Listing("Cure", "OmU", "ja", ("de",), 1997),
        Listing("Gegen die Wand", "DFmenglU", "de", ("en",), 2004),
    ),
}
METROPOLIS_SHORTS = Listing("Kurzfilmnacht: Hamburger Shorts", "OmeU")

# Start times each cinema uses; a day takes two to five of them.
TIMES = {
    "abaton": ("14:30", "16:00", "17:45", "19:00", "20:15", "22:30"),
    "savoy": ("12:00", "14:30", "17:15", "20:00", "22:45"),
    "zeise": ("14:00", "16:30", "17:45", "20:00", "20:30", "22:45"),
    "studio-kino": ("15:30", "18:00", "20:30", "22:30"),
    "passage": ("14:15", "17:00", "19:45", "20:15", "22:30"),
    "metropolis": ("17:00", "19:00", "21:15", "22:30"),
    "3001-kino": ("16:00", "18:15", "20:30", "22:30"),
}
AUDITORIUMS = {
    "abaton": ("Saal 1", "Saal 2", "Saal 3"),
    "zeise": ("Kino 1", "Kino 2"),
    "passage": ("Saal 1", "Saal 2", "Saal 3"),
}


@dataclass(frozen=True)
class Show:
    cinema: str
    start: dt.datetime
    listing: Listing
    auditorium: str
    number: int  # the show's place in the cinema's fortnight, for ticket links and UIDs


def demo_feeds(*, today: dt.date) -> dict[str, str]:
    """File name → content of the three demo feeds for the 14 days from today."""
    return {
        "abaton.jsonld.html": _abaton_page(_programme(cinema="abaton", films=ABATON, today=today)),
        "savoy.ics": _savoy_calendar(_programme(cinema="savoy", films=SAVOY, today=today)),
        "hamburg-ov.csv": _hamburg_csv(
            [
                show
                for cinema, films in HAMBURG_OV.items()
                for show in _programme(cinema=cinema, films=films, today=today)
            ]
        ),
    }


def _programme(*, cinema: str, films: tuple[Listing, ...], today: dt.date) -> list[Show]:
    """A cinema's shows for the fortnight: the same every run for the same day."""
    rng = random.Random(f"{today.isoformat()}:{cinema}")  # noqa: S311 - demo data, not secrets
    times = TIMES[cinema]
    rooms = AUDITORIUMS.get(cinema, ("",))
    # The films rotate so each one shows up; the offset varies the pairing of films and days.
    next_film = rng.randrange(len(films))
    shows: list[Show] = []
    for offset in range(DAYS):
        day = today + dt.timedelta(days=offset)
        slots = sorted(rng.sample(times, rng.randint(2, min(5, len(times)))))
        for index, hhmm in enumerate(slots):
            listing = films[next_film % len(films)]
            next_film += 1
            last = index == len(slots) - 1
            if cinema == "abaton" and offset == 4 and last:
                listing = ABATON_IMAX
            elif cinema == "savoy" and day.weekday() == 0 and last:
                listing, hhmm = SAVOY_SNEAK, "22:45"
            elif cinema == "metropolis" and day.weekday() == 5 and last:
                listing, hhmm = METROPOLIS_SHORTS, "22:30"
            hours, minutes = map(int, hhmm.split(":"))
            shows.append(
                Show(
                    cinema=cinema,
                    start=dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=HAMBURG),
                    listing=listing,
                    auditorium=rooms[index % len(rooms)],
                    number=len(shows) + 1,
                )
            )
    return shows


def _abaton_page(shows: list[Show]) -> str:
    """Abaton's programme page: schema.org MovieTheater with its ScreeningEvents."""
    theater = {
        "@context": "https://schema.org",
        "@type": "MovieTheater",
        "@id": "https://abaton.example.org/#kino",
        "name": "Abaton",
        "url": "https://abaton.example.org/",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Hamburg",
            "addressCountry": "DE",
        },
        "event": [_screening_event(show) for show in shows],
    }
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Abaton Kino",
        "url": "https://abaton.example.org/",
    }
    blocks = "\n".join(
        '<script type="application/ld+json">\n'
        # "<\/" keeps a "</script>" inside a string from ending the block early.
        + json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
        + "\n</script>"
        for data in (website, theater)
    )
    rows = "\n".join(
        f"<li>{show.start:%d.%m. %H:%M} – {html.escape(_event_name(show.listing))}</li>"
        for show in shows
    )
    return (
        '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Abaton – Programm</title>\n{blocks}\n</head>\n<body>\n"
        f"<h1>Programm</h1>\n<ul>\n{rows}\n</ul>\n</body>\n</html>\n"
    )


def _event_name(listing: Listing) -> str:
    return f"{listing.title} ({listing.label})" if listing.label else listing.title


def _screening_event(show: Show) -> dict[str, Any]:
    """One show as a schema.org ScreeningEvent, the way a cinema's CMS writes it."""
    listing = show.listing
    event: dict[str, Any] = {
        "@type": "ScreeningEvent",
        "name": _event_name(listing),
        "startDate": show.start.isoformat(),
        "location": {
            "@type": "Place",
            "name": show.auditorium,
            "containedInPlace": {"@id": "https://abaton.example.org/#kino"},
        },
        "workPresented": {"@type": "Movie", "name": listing.title},
        "offers": {
            "@type": "Offer",
            "url": f"https://tickets.example.org/abaton/{show.start:%Y%m%d-%H%M}-{show.number}",
            "priceCurrency": "EUR",
            "price": "10.50",
        },
    }
    if listing.year:
        event["workPresented"]["dateCreated"] = str(listing.year)
    if listing.audio:
        event["inLanguage"] = listing.audio
    if listing.subtitles:
        event["subtitleLanguage"] = [
            {"@type": "Language", "name": "Deutsch" if code == "de" else "Englisch"}
            for code in listing.subtitles
        ]
    if listing.video_format:
        event["videoFormat"] = listing.video_format
    return event


def _savoy_calendar(shows: list[Show]) -> str:
    """Savoy's programme as iCalendar, one VEVENT per show, the second show cancelled."""
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", "-//Savoy Filmtheater//Programm//DE")
    calendar.add("X-WR-CALNAME", "Savoy Programm")
    for show in shows:
        listing = show.listing
        event = icalendar.Event()
        event.add("UID", f"{show.start:%Y%m%dT%H%M}-{show.number}@savoy.example.org")
        event.add("DTSTAMP", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        event.add("SUMMARY", listing.title)
        event.add("DTSTART", show.start)
        event.add("DURATION", dt.timedelta(hours=2))
        event.add("LOCATION", "Savoy")
        event.add("URL", f"https://savoy.example.org/tickets/{show.start:%Y%m%d-%H%M}")
        description = "Savoy Filmtheater, Hamburg."
        if listing.label:
            description += f"\nVersion: {listing.label}"
        event.add("DESCRIPTION", description)
        if listing.audio:
            event.add("X-LANGUAGE", listing.audio)
        if listing.subtitles:
            event.add("X-SUBTITLES", ",".join(listing.subtitles))
        if show.number == 2:
            event.add("STATUS", "CANCELLED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def _hamburg_csv(shows: list[Show]) -> str:
    """The partner CSV for five cinemas, dates written as cinemas print them: 'Do 26.11.'."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "cinema",
            "title",
            "date",
            "time",
            "version",
            "audio_language",
            "subtitle_languages",
            "auditorium",
            "ticket_url",
            "year",
        ]
    )
    for show in shows:
        listing = show.listing
        day = show.start.date()
        # 3001 links its programme page only, so its rows carry no ticket link.
        ticket_url = (
            ""
            if show.cinema == "3001-kino"
            else f"https://tickets.example.org/{show.cinema}/{show.start:%Y%m%d-%H%M}"
        )
        writer.writerow(
            [
                show.cinema,
                listing.title,
                f"{GERMAN_WEEKDAYS[day.weekday()]} {day:%d.%m.}",
                f"{show.start:%H:%M}",
                listing.label,
                listing.audio,
                "|".join(listing.subtitles),
                show.auditorium,
                ticket_url,
                listing.year or "",
            ]
        )
    return out.getvalue()
