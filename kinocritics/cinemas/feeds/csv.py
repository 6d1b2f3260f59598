"""CSV programme feeds: the format a cinema or partner can send us.

The file
    UTF-8, with or without a byte-order mark. Fields are separated by ``;`` or ``,`` (whichever
    the header row uses more). Quote a field with double quotes when it contains the separator or a
    line break. Blank lines are skipped.

The header row (line 1, required)
    Names the columns, in any order and any letter case ("Ticket URL" and "ticket-url" mean
    ticket_url). Unknown columns are ignored.

==================  ========  ==============================  ===================================
column              required  example                         meaning
==================  ========  ==============================  ===================================
cinema              no        ``zeise``                       the cinema's slug or name; leave
                                                              the column out when the feed covers
                                                              one cinema
title               yes       ``Past Lives (OmU)``            the title as you list it; labels
                                                              inside it are fine
date                yes       ``2026-11-26``, ``26.11.2026``,  the day the show starts
                              ``26.11.``, ``Do 26.11.``
time                yes       ``20:15``, ``20.15``,           the start time, local time of the
                              ``20:15 Uhr``                   cinema (Europe/Berlin in Hamburg)
version             no        ``OmU``, ``OV (englisch)``      the version label as you print it
audio_language      no        ``en``                          ISO 639-1 code of the spoken
                                                              language (a name like "Englisch"
                                                              is understood too)
subtitle_languages  no        ``"en|de"``                     ISO 639-1 codes separated by ``|``
                                                              or ``,`` (quote the field when
                                                              ``,`` is the separator)
auditorium          no        ``Saal 2``                      the screen, when the cinema has
                                                              several
ticket_url          no        ``https://…``                   the booking link for this show;
                                                              http or https only
year                no        ``2021``                        the film's production year; tells
                                                              films of the same title apart
status              no        ``abgesagt``                    ``cancelled``, ``canceled``,
                                                              ``abgesagt``, ``entfällt`` mark a
                                                              cancelled show; anything else
                                                              (``ausverkauft``) leaves it on
==================  ========  ==============================  ===================================

Dates and times
    A date without a year gets the year that puts it nearest to today, looking up to about ten
    months ahead and two months back: "08.01." read in late December is next January, "29.12." read
    on 2 January is last December. A weekday (Mo Di Mi Do Fr Sa So or Mon Tue Wed Thu Fri Sat Sun)
    must match the date; when it does not, the row is reported, not guessed. A show after midnight
    belongs to the date it starts on (Saturday 00:30, not "Friday night 24:30"). On the night clocks
    go forward, 02:00–02:59 does not exist and such a row is reported; on the night clocks go back,
    02:00–02:59 happens twice and the first (summer-time) occurrence is taken.

Errors
    A row that cannot be read is reported as "line N: what is wrong" (line 1 is the header) and
    skipped; every other row still imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

from kinocritics.cinemas.feeds.base import FeedError, FeedResult, RawShowing
from kinocritics.cinemas.feeds.common import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    aware_local,
    check_ticket_url,
    check_title,
    clean_text,
    language_code,
    plausible_year,
    resolve_yearless_date,
    shorten,
    split_languages,
)

REQUIRED_COLUMNS = ("title", "date", "time")
CANCELLED_WORDS = frozenset({"cancelled", "canceled", "abgesagt", "entfällt", "entfaellt"})

_WEEKDAY = r"(?:(?P<weekday>[^\W\d_]{2,3})\.?,?\s*)?"
_DATE_DOTTED = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})(?:\.(?P<year>\d{4})?)?")
_DATE_ISO = re.compile(_WEEKDAY + r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_TIME = re.compile(r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*uhr)?", re.IGNORECASE)


def parse_csv(text: str, *, tz: ZoneInfo, today: dt.date | None = None) -> FeedResult:
    """Showings from a CSV feed; unreadable rows become errors with their line number."""
    today = today or dt.datetime.now(tz).date()
    result = FeedResult()
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    # The header row decides the separator: titles in data rows may hold either character.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        result.errors.append(FeedError("line 1", f"the header row cannot be read as CSV ({exc})."))
        return result
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        # "Ticket URL" and "ticket-url" are what people type for ticket_url.
        columns.setdefault(re.sub(r"[\s-]+", "_", clean_text(name).lower()), index)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        result.errors.append(
            FeedError(
                "line 1",
                f"the header row has no {', '.join(missing)} column{'s' * (len(missing) > 1)}; "
                "the first line must name the columns, at least title, date and time.",
            )
        )
        return result

    last_line = reader.line_num
    while True:
        position = f"line {last_line + 1}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            last_line = reader.line_num
            result.errors.append(FeedError(position, f"cannot be read as CSV ({exc})."))
            continue
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            result.errors.append(
                FeedError(
                    position,
                    f"has {len(row)} fields but the header has {len(header)}; put double quotes "
                    f"around fields that contain {delimiter!r}.",
                )
            )
            continue
        try:
            showing = _row_showing(row=row, columns=columns, position=position, tz=tz, today=today)
        except ValueError as exc:
            result.errors.append(FeedError(position, str(exc)))
            continue
        result.showings.append(showing)
    return result


def _row_showing(
    *, row: list[str], columns: dict[str, int], position: str, tz: ZoneInfo, today: dt.date
) -> RawShowing:
    """One data row as a RawShowing; raises ValueError with a message for the partner."""

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    title = check_title(cell("title"))
    day = parse_date(cell("date"), today=today)
    start_time = parse_time(cell("time"))
    start = aware_local(naive=dt.datetime.combine(day, start_time), tz=tz)

    audio_language = None
    if cell("audio_language"):
        audio_language = _language(cell("audio_language"), column="audio_language")
    subtitles = tuple(
        dict.fromkeys(
            _language(part, column="subtitle_languages")
            for part in split_languages(cell("subtitle_languages"))
        )
    )
    year = None
    if cell("year"):
        year = plausible_year(cell("year")) if cell("year").isdigit() else None
        if year is None:
            raise ValueError(
                f"year {shorten(cell('year'))!r} is not a production year; write it as 2021."
            )
    return RawShowing(
        position=position,
        cinema=clean_text(cell("cinema")),
        title=title,
        start=start,
        label=clean_text(cell("version")),
        audio_language=audio_language,
        subtitle_languages=subtitles,
        auditorium=clean_text(cell("auditorium")),
        ticket_url=check_ticket_url(cell("ticket_url")),
        year=year,
        cancelled=cell("status").lower() in CANCELLED_WORDS,
    )


def parse_date(value: str, *, today: dt.date) -> dt.date:
    """A listing date in any of the documented forms; raises ValueError with what to write."""
    match = _DATE_DOTTED.fullmatch(value) or _DATE_ISO.fullmatch(value)
    if not match:
        if not value:
            raise ValueError("has no date; write it as 26.11.2026 or 2026-11-26.")
        raise ValueError(
            f"date {shorten(value)!r} is not in a form we read; write it as 26.11.2026, "
            "2026-11-26 or Do 26.11."
        )
    weekday = None
    if match.group("weekday"):
        weekday = WEEKDAYS.get(match.group("weekday").lower())
        if weekday is None:
            raise ValueError(
                f"{match.group('weekday')!r} in date {shorten(value)!r} is not a weekday; "
                "use Mo Di Mi Do Fr Sa So or Mon Tue Wed Thu Fri Sat Sun."
            )
    day, month = int(match.group("day")), int(match.group("month"))
    if not match.group("year"):
        try:
            dt.date(2000, month, day)  # a leap year, so 29.02. passes this check
        except ValueError:
            raise ValueError(f"date {value!r} is not a real date.") from None
        return resolve_yearless_date(day=day, month=month, today=today, weekday=weekday)
    try:
        date = dt.date(int(match.group("year")), month, day)
    except ValueError:
        raise ValueError(f"date {value!r} is not a real date.") from None
    if weekday is not None and date.weekday() != weekday:
        raise ValueError(
            f"{date:%d.%m.%Y} is a {WEEKDAY_NAMES[date.weekday()]}, not a "
            f"{WEEKDAY_NAMES[weekday]}. Check the date or the weekday."
        )
    return date


def parse_time(value: str) -> dt.time:
    """A start time like 20:15, 20.15 or '20:15 Uhr'; raises ValueError with what to write."""
    match = _TIME.fullmatch(value)
    if not match:
        if not value:
            raise ValueError("has no time; write it as 20:15.")
        raise ValueError(f"time {shorten(value)!r} is not in a form we read; write it as 20:15.")
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    if hour > 23 or minute > 59:
        raise ValueError(f"time {value!r} is not a time of day; write it as 20:15.")
    return dt.time(hour, minute)


def _language(value: str, *, column: str) -> str:
    """An ISO 639-1 code from a CSV language cell; raises ValueError for an unknown language."""
    code = language_code(value)
    if code is None:
        raise ValueError(
            f"{column} {shorten(value)!r} is not a language we know; use an ISO 639-1 code "
            "such as en, fr or ja."
        )
    return code
