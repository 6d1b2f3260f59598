"""iCalendar programme feeds: one VEVENT per showing.

What is read from each VEVENT
    ``SUMMARY`` is the title, labels and all. ``DTSTART`` is the start: with ``TZID`` (an IANA name
    or a zone the file defines in a VTIMEZONE) or in UTC (``…Z``) it is taken as given; a floating
    time (no zone) is local time in the cinema's time zone; an all-day date is reported, as is a
    TZID we cannot resolve. ``STATUS:CANCELLED`` marks a cancelled show. ``URL`` is the ticket link
    (http or https, or the event is reported).

Conventions
    ``LOCATION`` is "Cinema Name, Saal 2": the part before the first comma is the cinema, and a
    later part that names a room (Saal, Kino 1, Screen, Hall, Auditorium …) is the auditorium;
    other parts (street, town) are ignored. A LOCATION that is only a room ("Saal 2") gives the
    auditorium of the source's one cinema.

    The label is built from a ``DESCRIPTION`` line "Version: OmU" (or "Fassung: OmU"; the rest of
    the description is ignored) followed by the ``CATEGORIES`` values, joined with ", ".
    ``X-LANGUAGE`` is the audio language and ``X-SUBTITLES`` the subtitle languages (ISO codes,
    BCP-47 tags or names, separated by ``,`` or ``|``); languages we do not know are left out.

    A repeating event (``RRULE``/``RDATE``) is reported rather than guessed at: list each showing.
    Events are numbered in file order, with their UID: "event 3 (UID 1234@savoy)".

Bytes that are not UTF-8 are read as Windows-1252, which older exporters write.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from kinocritics.cinemas.feeds.base import FeedError, FeedResult, RawShowing
from kinocritics.cinemas.feeds.common import (
    aware_local,
    check_ticket_url,
    check_title,
    clean_text,
    join_label,
    language_code,
    shorten,
    split_languages,
    split_location,
)

_VERSION_LINE = re.compile(r"^\s*(?:version|fassung)\s*:\s*(?P<label>.+?)\s*$", re.I | re.M)


def parse_ical(data: str | bytes, *, tz: ZoneInfo, today: dt.date | None = None) -> FeedResult:
    """Showings from an iCalendar feed; bad events become errors, a broken file one error."""
    # today is part of every parser's signature; iCalendar dates carry their year.
    result = FeedResult()
    text = _decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # any parser failure means a broken file
        problem = shorten(str(exc), 80)
    else:
        # A file cut off before its END lines parses to nothing rather than failing.
        problem = "" if calendars else "no complete calendar"
    if problem:
        result.errors.append(
            FeedError(
                "calendar",
                f"cannot be read as iCalendar ({problem}); check that the file starts with "
                "BEGIN:VCALENDAR and ends with END:VCALENDAR.",
            )
        )
        return result
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    for number, event in enumerate(events, start=1):
        uid = clean_text(_first_text(event.get("UID")))
        position = f"event {number} (UID {shorten(uid, 80)})" if uid else f"event {number}"
        try:
            result.showings.append(_showing(event=event, position=position, tz=tz))
        except ValueError as exc:
            result.errors.append(FeedError(position, str(exc)))
    return result


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _showing(*, event: icalendar.Event, position: str, tz: ZoneInfo) -> RawShowing:
    """One VEVENT as a RawShowing; raises ValueError with a message for the cinema."""
    title = check_title(_first_text(event.get("SUMMARY")))
    if event.get("RRULE") is not None or event.get("RDATE") is not None:
        raise ValueError(
            "repeats (RRULE/RDATE); list each showing as its own event with its own DTSTART."
        )
    cinema, auditorium = split_location(clean_text(_first_text(event.get("LOCATION"))))
    versions = _VERSION_LINE.findall(_first_text(event.get("DESCRIPTION")))
    categories = [
        clean_text(str(category))
        for prop in _as_list(event.get("CATEGORIES"))
        for category in getattr(prop, "cats", [prop])
    ]
    audio = language_code(_first_text(event.get("X-LANGUAGE")))
    subtitles = [
        language_code(part) for part in split_languages(_first_text(event.get("X-SUBTITLES")))
    ]
    return RawShowing(
        position=position,
        cinema=cinema,
        title=title,
        start=_start(event=event, tz=tz),
        label=join_label(*(clean_text(v) for v in versions), *categories),
        audio_language=audio,
        subtitle_languages=tuple(dict.fromkeys(code for code in subtitles if code)),
        auditorium=auditorium,
        ticket_url=check_ticket_url(_first_text(event.get("URL"))),
        cancelled=_first_text(event.get("STATUS")).strip().upper() == "CANCELLED",
    )


def _start(*, event: icalendar.Event, tz: ZoneInfo) -> dt.datetime:
    """DTSTART as an aware datetime in tz; raises ValueError when it is missing or a bare date."""
    prop = event.get("DTSTART")
    if prop is None:
        raise ValueError("has no DTSTART; every showing needs its start time.")
    if isinstance(prop, list):
        raise ValueError("has more than one DTSTART; give each showing its own event.")
    try:
        start = prop.dt
    except ValueError:
        raise ValueError(
            f"DTSTART {shorten(str(prop))!r} is not a date and time; write it as "
            "DTSTART;TZID=Europe/Berlin:20261126T201500."
        ) from None
    if not isinstance(start, dt.datetime):
        raise ValueError(
            f"is an all-day event on {start:%d.%m.%Y}; give the start time, as in "
            "DTSTART;TZID=Europe/Berlin:20261126T201500."
        )
    if start.tzinfo is None:
        tzid = prop.params.get("TZID")
        if tzid:
            raise ValueError(
                f"time zone {shorten(str(tzid))!r} is unknown; use a name such as Europe/Berlin "
                "or include its VTIMEZONE."
            )
        return aware_local(naive=start, tz=tz)
    if isinstance(start.tzinfo, ZoneInfo):
        # Checks for a time skipped by the spring change, which the parser lets through.
        start = aware_local(naive=start.replace(tzinfo=None), tz=start.tzinfo)
    return start.astimezone(tz)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_text(value: Any) -> str:
    """The first value of a property that may appear more than once, as a string."""
    values = _as_list(value)
    return str(values[0]) if values else ""
