"""Time the programme import and the showtimes pages at scale.

Run from the project root:

    .venv/bin/python bench/screenings.py                  # SQLite files cached in /tmp
    .venv/bin/python bench/screenings.py --postgres       # local PostgreSQL on 127.0.0.1
    .venv/bin/python bench/screenings.py --import-rows 100000 --screenings 1000000 \
        --cinemas 500 --requests 200 [--skip-import] [--skip-showtimes] [--fresh]

1. Import: a generated partner feed of N shows (100 cinemas in 5 cities, 14 days, ~300
   distinct titles of which ~60% are catalogue films written with all sorts of version labels)
   as CSV and as a JSON-LD list of ScreeningEvents; `screening_import(source=…, data=…)` runs
   three times on each: all new, all unchanged, and with ~10% of the shows changed, removed or
   added. Every feed kind starts from a fresh copy of the catalogue database.
2. Showtimes: N screenings (default 1,000,000) in M cinemas across 25 cities over 14 days from
   today, built once (bulk_create on SQLite, COPY on PostgreSQL, then ANALYZE) and cached
   until the day changes or --fresh is given; then /showtimes/, a film page, a cinema page and
   the screenings API are requested through django.test.Client with DEBUG off.

Cached databases: SQLite files /tmp/kino_bench_screenings_*.sqlite3; PostgreSQL databases
kino_bench_screenings_base (catalogue, the template for the import runs) and
kino_bench_showtimes. The catalogue comes from `manage.py import_films --no-progress`.
More options: --profile NAME (cProfile the page kinds whose name contains NAME),
--profile-import RUN (cProfile the import runs whose label contains RUN, e.g. "first"),
--tracemalloc (Python allocation peak of each import run; slows it down), --bulk-create
(PostgreSQL build without COPY), --sqlite-analyze, --no-explain, --keep, --db-prefix NAME
(PostgreSQL database names NAME_screenings_base, NAME_screenings_import, NAME_showtimes, so
parallel runs do not collide). The page cache is switched off (PAGE_CACHE_ENABLED=false).
Prints figures only; it never asserts on timing.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import gc
import io
import itertools
import json
import math
import os
import pstats
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from common import percentile, psql, timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.gettempdir())
SEED = 20_261_125
DAYS = 14
TZ = ZoneInfo("Europe/Berlin")

PG_BASE = "kino_bench_screenings_base"
PG_IMPORT = "kino_bench_screenings_import"
PG_SHOWTIMES = "kino_bench_showtimes"
SQLITE_BASE = TMP / "kino_bench_screenings_base.sqlite3"
SQLITE_IMPORT = TMP / "kino_bench_screenings_import.sqlite3"
SQLITE_SHOWTIMES = TMP / "kino_bench_screenings_showtimes.sqlite3"

IMPORT_CITIES = [
    ("hamburg", "Hamburg"),
    ("berlin", "Berlin"),
    ("muenchen", "München"),
    ("koeln", "Köln"),
    ("frankfurt", "Frankfurt am Main"),
]
# (slug, name, share of the cinemas)
SHOWTIME_CITIES = [
    ("berlin", "Berlin", 22),
    ("hamburg", "Hamburg", 16),
    ("muenchen", "München", 10),
    ("koeln", "Köln", 7),
    ("frankfurt", "Frankfurt am Main", 6),
    ("stuttgart", "Stuttgart", 4),
    ("duesseldorf", "Düsseldorf", 4),
    ("leipzig", "Leipzig", 3.5),
    ("dresden", "Dresden", 3),
    ("hannover", "Hannover", 3),
    ("bremen", "Bremen", 2.5),
    ("nuernberg", "Nürnberg", 2.5),
    ("essen", "Essen", 1.5),
    ("dortmund", "Dortmund", 1.5),
    ("bonn", "Bonn", 1.5),
    ("muenster", "Münster", 1.5),
    ("freiburg", "Freiburg", 1.5),
    ("heidelberg", "Heidelberg", 1.2),
    ("mannheim", "Mannheim", 1.2),
    ("karlsruhe", "Karlsruhe", 1.2),
    ("augsburg", "Augsburg", 1),
    ("wiesbaden", "Wiesbaden", 1),
    ("kiel", "Kiel", 1),
    ("luebeck", "Lübeck", 1),
    ("potsdam", "Potsdam", 1),
]
CINEMA_WORDS = [
    *("Abaton", "Zeise", "Savoy", "Metropolis", "Passage", "Studio", "Lichtspiele", "Capitol"),
    *("Filmtheater", "Kinopalast", "Atelier", "Arsenal", "Babylon", "Central", "Odeon"),
    *("Delphi", "Astor", "Schauburg", "Rex", "Union"),
]
UNKNOWN_WORDS = [
    *("Glass", "Harbour", "Midnight", "Lantern", "Quiet", "Orbit", "Paper", "Tiger", "Velvet"),
    *("Static", "Winter", "Engine", "Silver", "Horizon", "Hollow", "Crown", "Electric"),
    *("Meadow", "Copper", "Sky", "Distant", "Signal", "Nacht", "Stille", "Sommer", "Hafen"),
    *("Schatten", "Wolken", "Licht", "Fremde", "Stunde", "Brücke", "Spiegel", "Garten"),
]
FOREIGN_LANGUAGES = ["fr", "ja", "es", "it", "ko", "da", "tr", "zh", "pl", "fa", "sv", "pt"]
IMPORT_TIMES = ["10:30", "12:45", "14:15", "16:00", "17:45", "19:30", "20:15", "22:30"]


# --- database plumbing --------------------------------------------------------------------


def pg_marker(db: str) -> str:
    """The comment on a database: what the benchmark stored there, or '' when there is none."""
    # db is one of this script's constant names.
    return psql(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "  # noqa: S608
        f"WHERE datname = '{db}'"
    )


def sqlite_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def remove(paths: list[Path]) -> None:
    for path in paths:
        if path.exists():
            path.unlink()


def marker_path(path: Path) -> Path:
    return Path(f"{path}.complete")


def close_connections() -> None:
    """Close Django's connections (SQLite: after writing the WAL back into the main file)."""
    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connections.close_all()


def use_database(name: str) -> None:
    """Point the default connection at another database (a file path on SQLite)."""
    from django.db import connections

    close_connections()
    connections["default"].settings_dict["NAME"] = name


def fresh_copy(*, postgres: bool, base: str | Path, target: str | Path) -> None:
    """Replace target with a copy of the prepared base database and connect to it."""
    close_connections()
    if postgres:
        psql(f"DROP DATABASE IF EXISTS {target}")
        psql(f"CREATE DATABASE {target} TEMPLATE {base}")
    else:
        remove(sqlite_files(Path(target)))
        shutil.copyfile(base, target)
    use_database(str(target))


def execute(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def prepare_base(*, postgres: bool, ready: bool) -> None:
    """Migrate and import the catalogue into the base database, unless it is already there."""
    from django.core.management import call_command
    from django.db import connection

    from kinocritics.films.models import Film

    if ready:
        timed("migrate (cached catalogue database)", lambda: call_command("migrate", verbosity=0))
        print(f"  catalogue: {Film.objects.count():,} films (cached; --fresh rebuilds it)")
        return
    print(f"building the catalogue database ({connection.vendor}):")
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    out = io.StringIO()
    timed(
        "import_films --no-progress",
        lambda: call_command("import_films", "--no-progress", stdout=out, stderr=io.StringIO()),
    )
    print(f"    {out.getvalue().strip()}")
    close_connections()
    if postgres:
        psql(f"COMMENT ON DATABASE {PG_BASE} IS 'complete'")
    else:
        marker_path(SQLITE_BASE).touch()


# --- memory and SQL counters ----------------------------------------------------------------


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return (kb or 0) / 1024


def peak_rss_mb() -> float:
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


class SqlTimer:
    """Counts statements and adds up the time spent in cursor.execute."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.each: list[tuple[float, str]] = []
        self.keep_sql = False
        self.top: list[tuple[float, str]] = []
        self.inside_template = 0.0
        self.render_depth = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if self.render_depth:
                self.inside_template += elapsed
            if self.keep_sql:
                self.each.append((elapsed, sql))
            if len(self.top) < 3 or elapsed > self.top[-1][0]:
                # The three slowest statements, cut short: bulk INSERTs are long strings.
                self.top = sorted([*self.top, (elapsed, sql[:300])], reverse=True)[:3]


# --- 1. the import benchmark ---------------------------------------------------------------


class Style(NamedTuple):
    """How a cinema writes a version: in the title, in the version column, or both."""

    pattern: str  # the title as listed; {t} is the film's title
    label: str  # the version column (CSV) / appended to the event name (JSON-LD)
    audio: str  # "orig", "de" or "": the audio language the structured field states
    subtitles: tuple[str, ...]


ENGLISH_STYLES = [
    Style("{t} (OV)", "", "orig", ()),
    Style("{t} (engl. OV)", "", "orig", ()),
    Style("{t}", "OV (englisch)", "orig", ()),
    Style("{t} 3D (OV)", "", "orig", ()),
    Style("{t} (OmU)", "", "orig", ("de",)),
    Style("{t} (D)", "", "de", ()),
    Style("{t}", "", "", ()),
]
FOREIGN_STYLES = [
    Style("{t} OmU", "", "orig", ("de",)),
    Style("{t}", "OmeU", "orig", ("en",)),
    Style("{t} – OmeU", "", "orig", ("en",)),
    Style("{t}", "OmdU", "orig", ("de",)),
    Style("{t}", "engl. UT", "orig", ("en",)),
    Style("{t} (IMAX, OmU)", "", "orig", ("de",)),
    Style("{t} + Filmgespräch mit der Regisseurin (OmU)", "", "orig", ("de",)),
    Style("{t} (D)", "", "de", ()),
]
GERMAN_STYLES = [
    Style("{t}", "DFmenglU", "de", ("en",)),
    Style("{t} (OmeU)", "", "de", ("en",)),
    Style("{t}", "", "", ()),
]
SNEAK = Style("Sneak Preview (engl. OV)", "", "", ())


@dataclass(frozen=True)
class ListedTitle:
    name: str
    year: int | None  # the production year the feed gives, if it gives one
    language: str
    in_catalogue: bool


@dataclass(frozen=True)
class FeedShow:
    cinema: str
    start: dt.datetime
    auditorium: str
    title: ListedTitle
    style: Style
    ticket_url: str
    cancelled: bool = False


@dataclass
class CinemaHabits:
    date_format: str  # "iso", "dotted", "weekday"
    time_format: str  # "20:15" or "20.15 Uhr"
    structured: bool  # fills audio_language / subtitle_languages


def invented_titles(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    from kinocritics.films.text import normalise_title

    titles = []
    while len(titles) < count:
        words = rng.sample(UNKNOWN_WORDS, rng.randint(2, 4))
        title = " ".join(words)
        if rng.random() < 0.2:
            title = f"Die {title}" if rng.random() < 0.5 else f"The {title}"
        key = normalise_title(title)
        if key not in taken:
            taken.add(key)
            titles.append(title)
    return titles


def language_codes(film_ids: list[int]) -> dict[int, str]:
    """A film's first catalogue language as an ISO code, where it has one we know."""
    from kinocritics.cinemas.versions import LANGUAGE_NAMES
    from kinocritics.films.models import Film

    codes = {name.casefold(): code for code, name in LANGUAGE_NAMES.items()}
    found: dict[int, str] = {}
    rows = Film.languages.through.objects.filter(film_id__in=film_ids).values_list(
        "film_id", "language__name"
    )
    for film_id, name in rows.order_by("film_id", "id"):
        found.setdefault(film_id, codes.get(name.casefold(), ""))
    return {film_id: code for film_id, code in found.items() if code}


def import_titles(rng: random.Random, count: int) -> list[ListedTitle]:
    """~60% catalogue films (70% of them with a year hint), ~40% titles not in the catalogue."""
    from kinocritics.films.models import Film
    from kinocritics.films.text import normalise_title

    films = list(Film.objects.order_by("id").values_list("id", "title", "german_title", "year"))
    chosen = rng.sample(films, round(count * 0.6))
    languages = language_codes([f[0] for f in chosen])
    titles, taken = [], set()
    for film_id, title, german_title, year in chosen:
        name = german_title if german_title and rng.random() < 0.2 else title
        taken.add(normalise_title(name))
        hint = year if rng.random() < 0.7 else None
        titles.append(ListedTitle(name, hint, languages.get(film_id, "en"), True))
    for name in invented_titles(rng, count - len(titles), taken):
        language = rng.choice(["en", "en", "de", *FOREIGN_LANGUAGES])
        titles.append(ListedTitle(name, None, language, False))
    rng.shuffle(titles)
    return titles


def style_for(rng: random.Random, title: ListedTitle) -> Style:
    if title.language == "en":
        return rng.choice(ENGLISH_STYLES)
    if title.language == "de":
        return rng.choice(GERMAN_STYLES)
    return rng.choice(FOREIGN_STYLES)


def import_shows(
    rng: random.Random, *, rows: int, cinemas: list[str], titles: list[ListedTitle]
) -> list[FeedShow]:
    """rows shows: every cinema, every day, screens × fixed start times, titles Zipf-weighted."""
    today = dt.datetime.now(TZ).date()
    per_day = math.ceil(rows / (len(cinemas) * DAYS))
    weights = [1 / (rank + 4) for rank in range(len(titles))]
    styles: dict[tuple[str, str], Style] = {}
    shows: list[FeedShow] = []
    for cinema in cinemas:
        tickets = rng.random() < 0.85
        for offset in range(DAYS):
            day = today + dt.timedelta(days=offset)
            picks = rng.choices(titles, weights=weights, k=per_day)
            for slot, title in enumerate(picks):
                screen = slot // len(IMPORT_TIMES) + 1
                hours, minutes = map(int, IMPORT_TIMES[slot % len(IMPORT_TIMES)].split(":"))
                start = dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=TZ) + dt.timedelta(
                    minutes=5 * (screen - 1)
                )
                style = styles.setdefault((cinema, title.name), style_for(rng, title))
                if day.weekday() == 0 and slot == per_day - 1:
                    title, style = ListedTitle("", None, "en", False), SNEAK
                shows.append(
                    FeedShow(
                        cinema=cinema,
                        start=start,
                        auditorium=f"Saal {screen}",
                        title=title,
                        style=style,
                        ticket_url=(
                            f"https://tickets.example.org/{cinema}/{start:%Y%m%d-%H%M}-{screen}"
                            if tickets
                            else ""
                        ),
                        cancelled=rng.random() < 0.003,
                    )
                )
    # Drop shows evenly over the whole fortnight to hit the wanted count exactly.
    surplus = len(shows) - rows
    if surplus > 0:
        drop = set(rng.sample(range(len(shows)), surplus))
        shows = [show for n, show in enumerate(shows) if n not in drop]
    return shows


def changed_programme(rng: random.Random, shows: list[FeedShow]) -> list[FeedShow]:
    """The same programme an hour later: ~4% new ticket links, ~3% gone, ~3% added."""
    result: list[FeedShow] = []
    for show in shows:
        roll = rng.random()
        if roll < 0.03:
            continue
        if roll < 0.07:
            show = FeedShow(
                show.cinema,
                show.start,
                show.auditorium,
                show.title,
                show.style,
                f"https://tickets.example.org/{show.cinema}/re/{show.start:%Y%m%d-%H%M}",
                show.cancelled,
            )
        result.append(show)
    extra = round(len(shows) * 0.03)
    by_cinema_day = sorted({(s.cinema, s.start.date()) for s in shows})
    titles = [s.title for s in rng.sample(shows, min(200, len(shows))) if s.title.name]
    for n in range(extra):
        cinema, day = by_cinema_day[n % len(by_cinema_day)]
        slot = n // len(by_cinema_day)  # 0, 1, 2 …: a late open-air show each
        start = dt.datetime.combine(day, dt.time(21 + slot // 4, 15 * (slot % 4)), tzinfo=TZ)
        title = rng.choice(titles)
        result.append(
            FeedShow(
                cinema,
                start,
                "Open Air",
                title,
                style_for(rng, title),
                f"https://tickets.example.org/{cinema}/open-air/{start:%Y%m%d-%H%M}",
            )
        )
    return result


def listing_name(show: FeedShow) -> str:
    return show.style.pattern.format(t=show.title.name)


def audio_code(show: FeedShow) -> str:
    if show.style.audio == "orig":
        return show.title.language
    return show.style.audio


def as_csv(shows: list[FeedShow], habits: dict[str, CinemaHabits]) -> bytes:
    """The partner CSV: ';'-separated, dates and times written in each cinema's own way."""
    weekdays = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            *("cinema", "title", "date", "time", "version", "audio_language"),
            *("subtitle_languages", "auditorium", "ticket_url", "year", "status"),
        ]
    )
    for show in shows:
        habit = habits[show.cinema]
        day = show.start.date()
        if habit.date_format == "iso":
            date = day.isoformat()
        elif habit.date_format == "dotted":
            date = f"{day:%d.%m.%Y}"
        else:
            date = f"{weekdays[day.weekday()]} {day:%d.%m.}"
        clock = f"{show.start:%H:%M}" if habit.time_format == "20:15" else f"{show.start:%H.%M} Uhr"
        writer.writerow(
            [
                show.cinema,
                listing_name(show),
                date,
                clock,
                show.style.label,
                audio_code(show) if habit.structured else "",
                "|".join(show.style.subtitles) if habit.structured else "",
                show.auditorium,
                show.ticket_url,
                show.title.year or "",
                "abgesagt" if show.cancelled else "",
            ]
        )
    return out.getvalue().encode()


def as_jsonld(shows: list[FeedShow]) -> bytes:
    """A JSON list of schema.org ScreeningEvents; the MovieTheater is named by the cinema slug."""
    events = []
    for show in shows:
        name = listing_name(show)
        if show.style.label:
            name = f"{name} ({show.style.label})"
        event: dict = {
            "@context": "https://schema.org",
            "@type": "ScreeningEvent",
            "name": name,
            "startDate": show.start.isoformat(),
            "location": {
                "@type": "MovieTheater",
                "name": show.cinema,
                "containsPlace": {"@type": "Place", "name": show.auditorium},
            },
        }
        if show.title.name:
            event["workPresented"] = {"@type": "Movie", "name": show.title.name}
            if show.title.year:
                event["workPresented"]["dateCreated"] = str(show.title.year)
        if show.ticket_url:
            event["offers"] = {"@type": "Offer", "url": show.ticket_url, "priceCurrency": "EUR"}
        if audio_code(show):
            event["inLanguage"] = audio_code(show)
        if show.style.subtitles:
            event["subtitleLanguage"] = list(show.style.subtitles)
        if show.cancelled:
            event["eventStatus"] = "https://schema.org/EventCancelled"
        events.append(event)
    return json.dumps(events, ensure_ascii=False, separators=(",", ":")).encode()


def import_setup(n_cinemas: int, kind: str):
    """Cities, cinemas and one source of the given kind covering all of them."""
    from django.utils.text import slugify

    from kinocritics.cinemas.models import Cinema, City, Source

    cinemas = []
    per_city = math.ceil(n_cinemas / len(IMPORT_CITIES))
    for slug, name in IMPORT_CITIES:
        city = City.objects.create(name=name, slug=slug)
        for n in range(per_city):
            if len(cinemas) == n_cinemas:
                break
            word = CINEMA_WORDS[n % len(CINEMA_WORDS)]
            cinema_name = f"{word} {name}" + (
                f" {n // len(CINEMA_WORDS) + 1}" if n >= len(CINEMA_WORDS) else ""
            )
            cinemas.append(Cinema(name=cinema_name, slug=slugify(cinema_name), city=city))
    Cinema.objects.bulk_create(cinemas)
    source = Source.objects.create(
        name=f"Bench partner feed ({kind})", slug=f"bench-{kind}", kind=kind, location="bench"
    )
    source.cinemas.set(Cinema.objects.all())
    return source, [c.slug for c in cinemas]


@dataclass
class ImportFigures:
    label: str
    seconds: float
    rows: int
    parse: float
    resolve: float
    sql_count: int
    sql_seconds: float
    peak_mb: float
    rss_before: float
    traced_mb: float | None
    summary: str
    slowest: list[tuple[float, str]]


def timed_import(
    *, label: str, kind: str, data: bytes, now: dt.datetime, trace: bool, profile: bool
):
    """One screening_import run, with its phases, SQL and memory measured from outside."""
    from django.db import connection

    from kinocritics.cinemas import services
    from kinocritics.cinemas.models import Source

    source = Source.objects.get(slug=f"bench-{kind}")
    phases = {"parse": 0.0, "rows": 0.0}
    original_parse, original_rows = services.feed_parse, services._rows

    def feed_parse(**kwargs):
        started = time.perf_counter()
        try:
            return original_parse(**kwargs)
        finally:
            phases["parse"] += time.perf_counter() - started

    def rows(**kwargs):
        started = time.perf_counter()
        try:
            return original_rows(**kwargs)
        finally:
            phases["rows"] += time.perf_counter() - started

    sql = SqlTimer()
    gc.collect()
    exact_peak = reset_peak_rss()
    before = rss_mb()
    if trace:
        tracemalloc.start()
    services.feed_parse, services._rows = feed_parse, rows
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        with connection.execute_wrapper(sql):
            run = services.screening_import(source=source, now=now, data=data)
    finally:
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        services.feed_parse, services._rows = original_parse, original_rows
    if profiler:
        print(f"\nprofile of {kind} run {label!r} ({seconds:.1f} s under the profiler):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(15)
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    peak = peak_rss_mb() if exact_peak else float("nan")
    return ImportFigures(
        label=label,
        seconds=seconds,
        rows=run.rows,
        parse=phases["parse"],
        resolve=phases["rows"],
        sql_count=sql.count,
        sql_seconds=sql.seconds,
        peak_mb=peak,
        rss_before=before,
        traced_mb=traced,
        summary=str(run),
        slowest=sql.top,
    ), run


def print_import_table(kind: str, figures: list[ImportFigures]) -> None:
    header = (
        f"{'run':<24} {'seconds':>8} {'rows/s':>8} {'parse':>6} {'labels+':>8} {'write':>6} "
        f"{'SQL stmts':>9} {'SQL s':>6} {'peak RSS':>9} {'+RSS':>6}"
    )
    print(f"\n{kind}:")
    print(header)
    print("-" * len(header))
    for f in figures:
        write = f.seconds - f.parse - f.resolve
        print(
            f"{f.label:<24} {f.seconds:8.2f} {f.rows / f.seconds:8,.0f} {f.parse:6.2f} "
            f"{f.resolve:8.2f} {write:6.2f} {f.sql_count:9,} {f.sql_seconds:6.2f} "
            f"{f.peak_mb:7.0f}MB {f.peak_mb - f.rss_before:4.0f}MB"
        )
    for f in figures:
        traced = f", Python allocations peak {f.traced_mb:.0f} MB" if f.traced_mb else ""
        print(f"  {f.label}: {f.summary}{traced}")
    print("  slowest statements:")
    for f in figures:
        for seconds, sql in f.slowest:
            text = re.sub(r"\s+", " ", sql)
            print(f"    {f.label[:1]}  {seconds:6.2f} s  {text[:150]}{'…' * (len(text) > 150)}")


def listing_summary() -> str:
    from django.db.models import Count

    from kinocritics.cinemas.models import ListingTitle, Screening

    decisions = dict(
        ListingTitle.objects.values_list("decision").annotate(n=Count("id")).order_by()
    )
    with_film = Screening.objects.filter(film__isnull=False).count()
    total = Screening.objects.count()
    return (
        f"listing titles: {decisions.get('accept', 0)} matched, {decisions.get('review', 0)} "
        f"for an editor, {decisions.get('none', 0)} no film; {with_film:,} of {total:,} "
        "screenings have a film"
    )


def import_bench(args, *, base: str | Path) -> None:
    from django.db import connection
    from django.utils import timezone

    from kinocritics.cinemas.services import MAX_FEED_BYTES

    print("\n=== 1. import benchmark ===")
    target = PG_IMPORT if args.postgres else SQLITE_IMPORT
    fresh_copy(postgres=args.postgres, base=base, target=target)
    rng = random.Random(SEED)
    started = time.perf_counter()
    titles = import_titles(rng, args.titles)
    _source, cinema_slugs = import_setup(args.import_cinemas, "csv")
    habits = {
        slug: CinemaHabits(
            date_format=("iso", "dotted", "weekday")[n % 3],
            time_format=("20:15", "20.15 Uhr")[n % 2],
            structured=n % 4 != 0,
        )
        for n, slug in enumerate(cinema_slugs)
    }
    shows = import_shows(rng, rows=args.import_rows, cinemas=cinema_slugs, titles=titles)
    changed = changed_programme(rng, shows)
    feeds = {
        "csv": (as_csv(shows, habits), as_csv(changed, habits)),
        "jsonld": (as_jsonld(shows), as_jsonld(changed)),
    }
    listed = {s.title.name for s in shows if s.title.name}
    known = sum(1 for t in titles if t.in_catalogue and t.name in listed)
    labels = {(s.style.pattern.replace(s.title.name, "{t}"), s.style.label) for s in shows}
    print(
        f"feeds generated in {time.perf_counter() - started:.1f} s: {len(shows):,} shows in "
        f"{len(cinema_slugs)} cinemas ({len(IMPORT_CITIES)} cities) over {DAYS} days, "
        f"{len(listed)} distinct titles ({known} catalogue films, {len(listed) - known} not), "
        f"{len(labels)} title/version-label forms"
    )
    for kind, (first, third) in feeds.items():
        over = " — over MAX_FEED_BYTES, source_fetch would refuse it" * (
            len(first) > MAX_FEED_BYTES
        )
        print(
            f"  {kind}: {len(first) / 1e6:.1f} MB (third run {len(third) / 1e6:.1f} MB, "
            f"{len(changed):,} shows){over}"
        )

    # All shows start at 10:30 or later: an import at midnight keeps every one of them.
    midnight = dt.datetime.combine(timezone.localdate(), dt.time(0), tzinfo=TZ)
    for kind in ("csv", "jsonld"):
        if kind != "csv":
            fresh_copy(postgres=args.postgres, base=base, target=target)
            import_setup(args.import_cinemas, kind)
        first, third = feeds[kind]
        figures = []
        for n, (label, data) in enumerate(
            [("1 first (all new)", first), ("2 same feed again", first), ("3 ~10% changed", third)]
        ):
            result, run = timed_import(
                label=label,
                kind=kind,
                data=data,
                now=midnight + dt.timedelta(hours=n),
                trace=args.tracemalloc,
                profile=bool(args.profile_import) and args.profile_import in label,
            )
            figures.append(result)
            if n == 0:
                errors = "; ".join(str(e) for e in run.errors[:3])
                first_listing = listing_summary()
                if errors:
                    print(f"  first rows skipped: {errors}")
        print_import_table(f"{kind} on {connection.vendor}", figures)
        print(f"  after the first run: {first_listing}")
    close_connections()


# --- 2. the showtimes benchmark ------------------------------------------------------------


class TitleSpec(NamedTuple):
    title: str
    title_key: str
    film_id: int | None
    language: str


def allocate(total: int, weights: list[float]) -> list[int]:
    """total split by weights, largest remainders rounded up."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


VERSION_LABELS = {
    "OV": "OV",
    "OMU_DE": "OmU",
    "OMU_EN": "OmeU",
    "OMU_MULTI": "OmU dt./engl.",
    "DE_EN_SUBS": "DFmenglU",
    "DE": "",
    "UNKNOWN": "",
}
SUBTITLES = {"OMU_DE": ["de"], "OMU_EN": ["en"], "OMU_MULTI": ["de", "en"], "DE_EN_SUBS": ["en"]}
# (version, weight) by the film's language
VERSION_MIX = {
    "en": [("OV", 45), ("OMU_DE", 20), ("OMU_MULTI", 5), ("DE", 20), ("UNKNOWN", 10)],
    "de": [("DE_EN_SUBS", 40), ("DE", 50), ("UNKNOWN", 10)],
    "other": [("OMU_DE", 45), ("OMU_EN", 20), ("OMU_MULTI", 5), ("DE", 20), ("UNKNOWN", 10)],
}


def showtimes_setup(n_cinemas: int):
    """25 cities, n cinemas (mostly Berlin and Hamburg), one source per city, one stale."""
    from django.utils.text import slugify

    from kinocritics.cinemas.models import Cinema, City, Source

    counts = allocate(n_cinemas, [share for _s, _n, share in SHOWTIME_CITIES])
    cinemas: list[Cinema] = []
    sources = []
    for (slug, name, _share), count in zip(SHOWTIME_CITIES, counts, strict=True):
        city = City.objects.create(name=name, slug=slug)
        mine = []
        for n in range(count):
            word = CINEMA_WORDS[n % len(CINEMA_WORDS)]
            suffix = f" {n // len(CINEMA_WORDS) + 1}" if n >= len(CINEMA_WORDS) else ""
            cinema_name = f"{word} {name}{suffix}"
            mine.append(
                Cinema(
                    name=cinema_name,
                    slug=slugify(cinema_name),
                    city=city,
                    address=f"{word}straße {n + 1}, {name}",
                    website=f"https://{slugify(cinema_name)}.example.org/",
                    programme_url=f"https://{slugify(cinema_name)}.example.org/programm",
                    active=n % 40 != 39,  # a few closed cinemas keep their old rows
                )
            )
        Cinema.objects.bulk_create(mine)
        cinemas.extend(mine)
        source = Source.objects.create(
            name=f"{name} programme feed",
            slug=f"bench-{slug}",
            kind=Source.Kind.CSV,
            location="bench",
            stale=slug == "bremen",
        )
        source.cinemas.set(mine)
        sources.append((source, mine))
    return sources


def showtimes_titles(rng: random.Random, count: int) -> list[TitleSpec]:
    from kinocritics.films.models import Film
    from kinocritics.films.text import normalise_title

    films = list(Film.objects.order_by("id").values_list("id", "title"))
    chosen = rng.sample(films, count // 2)
    languages = language_codes([f[0] for f in chosen])
    titles, taken = [], set()
    for film_id, title in chosen:
        taken.add(normalise_title(title))
        titles.append(
            TitleSpec(title, normalise_title(title), film_id, languages.get(film_id, "en"))
        )
    for title in invented_titles(rng, count - len(titles), taken):
        language = rng.choices(["en", "de", "other"], weights=[55, 10, 35])[0]
        if language == "other":
            language = rng.choice(FOREIGN_LANGUAGES)
        titles.append(TitleSpec(title, normalise_title(title), None, language))
    rng.shuffle(titles)
    return titles


def screening_rows(rng: random.Random, *, total: int, sources, titles: list[TitleSpec]):
    """Dicts of Screening field values: `total` shows over 14 days from today."""
    from kinocritics.cinemas.versions import is_english_friendly

    now = dt.datetime.now(TZ)
    today = now.date()
    cinemas = [(source, cinema) for source, mine in sources for cinema in mine]
    # Cinema sizes vary (lognormal); shows per day are allocated by size.
    sizes = [rng.lognormvariate(0, 0.6) for _ in cinemas]
    per_day = allocate(math.ceil(total / DAYS), sizes)
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(titles))))
    versions = {
        language: ([v for v, _ in mix], list(itertools.accumulate(w for _, w in mix)))
        for language, mix in VERSION_MIX.items()
    }
    made = 0
    for offset in range(DAYS):
        day = today + dt.timedelta(days=offset)
        for (source, cinema), shows in zip(cinemas, per_day, strict=True):
            for slot in range(shows):
                if made == total:
                    return
                screen, turn = divmod(slot, 6)
                start = dt.datetime.combine(day, dt.time(11), tzinfo=TZ) + dt.timedelta(
                    minutes=140 * turn + 10 * (screen % 12)
                )
                spec = rng.choices(titles, cum_weights=weights)[0]
                language = spec.language if spec.language in ("en", "de") else "other"
                names, cum = versions[language]
                version = rng.choices(names, cum_weights=cum)[0]
                subtitles = SUBTITLES.get(version, [])
                if version in ("DE", "DE_EN_SUBS"):
                    audio = "de"
                elif version == "UNKNOWN":
                    audio = ""
                else:
                    audio = spec.language
                roll = rng.random()
                formats = ["3D"] if roll < 0.03 else ["IMAX"] if roll < 0.05 else []
                label = VERSION_LABELS[version]
                yield {
                    "cinema_id": cinema.pk,
                    "source_id": source.pk,
                    "film_id": spec.film_id,
                    "start": start,
                    "version": version,
                    "audio_language": audio,
                    "subtitle_languages": subtitles,
                    "english_friendly": is_english_friendly(version, audio, subtitles),
                    "formats": formats,
                    "event": "Q&A" if roll > 0.995 else "",
                    "auditorium": f"Saal {screen + 1}",
                    "ticket_url": (
                        f"https://tickets.example.org/{cinema.slug}/{start:%Y%m%d-%H%M}-{screen}"
                        if roll < 0.7
                        else ""
                    ),
                    "title": spec.title,
                    "title_key": spec.title_key,
                    "raw_title": f"{spec.title} ({label})" if label else spec.title,
                    "raw_label": "",
                    "first_seen": now,
                    "last_seen": now,
                    "cancelled": rng.random() < 0.005,
                }
                made += 1


def build_showtimes(args) -> None:
    from django.db import connection, transaction

    from kinocritics.cinemas.models import Screening

    rng = random.Random(SEED + 1)
    sources = timed("cities, cinemas, sources", lambda: showtimes_setup(args.cinemas))
    titles = timed("titles", lambda: showtimes_titles(rng, args.distinct_titles))
    rows = screening_rows(rng, total=args.screenings, sources=sources, titles=titles)
    started = time.perf_counter()
    if connection.vendor == "postgresql" and not args.bulk_create:
        fields = [f for f in Screening._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(Screening._meta.db_table)
        names = [f.attname for f in fields]
        json_fields = {"subtitle_languages", "formats"}
        # cursor.cursor is the psycopg cursor under Django's wrapper.
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in json_fields else row[n] for n in names])
        how = "COPY"
    else:
        with transaction.atomic():
            for batch in itertools.batched(rows, 5000):
                Screening.objects.bulk_create([Screening(**row) for row in batch], batch_size=5000)
        how = "bulk_create (batches of 5,000)"
    seconds = time.perf_counter() - started
    print(
        f"  {'screenings via ' + how:<40} {seconds:8.2f} s  "
        f"({args.screenings / seconds:,.0f} rows/s)",
        flush=True,
    )
    if connection.vendor == "postgresql":
        # Autovacuum (off on this server) would do this after a bulk load: statistics for the
        # planner and a visibility map for index-only scans.
        timed("VACUUM ANALYZE", lambda: execute("VACUUM ANALYZE"))
    elif args.sqlite_analyze:
        timed("ANALYZE (sqlite_stat1)", lambda: execute("ANALYZE"))


def showtimes_marker(args) -> str:
    from django.utils import timezone

    return f"{timezone.localdate()} {args.screenings} {args.cinemas} {args.distinct_titles}"


def prepare_showtimes(args, *, base: str | Path) -> None:
    """Connect to the showtimes database, building it when the cached one does not fit."""
    from kinocritics.cinemas.models import Screening

    wanted = showtimes_marker(args)
    if args.postgres:
        have = pg_marker(PG_SHOWTIMES)
        target: str | Path = PG_SHOWTIMES
    else:
        marker = marker_path(SQLITE_SHOWTIMES)
        have = marker.read_text() if marker.exists() else ""
        target = SQLITE_SHOWTIMES
    if have == wanted and not args.fresh:
        from django.core.management import call_command

        use_database(str(target))
        print(f"reusing the showtimes database {target} ({wanted}); --fresh rebuilds it")
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        return
    if have and have != wanted:
        print(f"cached showtimes database is for {have!r}, not {wanted!r}: rebuilding")
    print(f"building the showtimes database {target}:")
    started = time.perf_counter()
    if not args.postgres:
        remove([marker_path(SQLITE_SHOWTIMES)])
    fresh_copy(postgres=args.postgres, base=base, target=target)
    build_showtimes(args)
    print(f"  built in {time.perf_counter() - started:.1f} s; {Screening.objects.count():,} rows")
    close_connections()
    if args.postgres:
        psql(f"COMMENT ON DATABASE {PG_SHOWTIMES} IS '{wanted}'")
    else:
        marker_path(SQLITE_SHOWTIMES).write_text(wanted)
    use_database(str(target))


@dataclass
class Kind:
    name: str
    url: str
    figures: dict = field(default_factory=dict)


def pick_urls() -> list[Kind]:
    from django.db.models import Count
    from django.utils import timezone

    from kinocritics.cinemas.models import Screening
    from kinocritics.cinemas.selectors import DAYS_AHEAD

    now = timezone.now()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    week = Screening.objects.filter(
        start__gte=now,
        start__lt=now + dt.timedelta(days=DAYS_AHEAD),
        cancelled=False,
        cinema__active=True,
    ).exclude(version="DE")
    films = list(
        week.filter(film__isnull=False)
        .values_list("film__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "film__slug")
    )
    typical_slug, typical_n = films[len(films) // 2]
    busiest_slug, busiest_n = films[0]
    cinema_slug, cinema_n = (
        Screening.objects.filter(
            cinema__city__slug="hamburg",
            cinema__active=True,
            start__gte=now,
            start__lt=now + dt.timedelta(days=DAYS_AHEAD),
        )
        .values_list("cinema__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "cinema__slug")[0]
    )
    return [
        Kind(
            "showtimes hamburg+day+english",
            f"/showtimes/?city=hamburg&day={tomorrow}&version=english",
        ),
        Kind("showtimes unfiltered", "/showtimes/"),
        Kind(
            "showtimes berlin+english+20:00", "/showtimes/?city=berlin&version=english&from=20:00"
        ),
        Kind(f"film page ({typical_n} shows/7d)", f"/films/{typical_slug}/"),
        Kind(f"film page ({busiest_n} shows/7d)", f"/films/{busiest_slug}/"),
        Kind(f"cinema page ({cinema_n} shows/7d)", f"/cinemas/{cinema_slug}/"),
        Kind(
            "API hamburg+english limit=50",
            "/api/v1/screenings?city=hamburg&version=english&limit=50",
        ),
    ]


class RenderTimer:
    """Wraps Django template rendering to add up its time (top-level renders only)."""

    def __init__(self, sql: SqlTimer) -> None:
        from django.template.backends.django import Template

        self.sql = sql
        self.seconds = 0.0
        self._template = Template
        self._original = Template.render

    def __enter__(self):
        timer, original = self, self._original

        def render(template, context=None, request=None):
            timer.sql.render_depth += 1
            started = time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                timer.sql.render_depth -= 1
                if not timer.sql.render_depth:
                    timer.seconds += time.perf_counter() - started

        self._template.render = render
        return self

    def __exit__(self, *exc):
        self._template.render = self._original


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}; fix the setup before timing.")
    return response


def measure(kinds: list[Kind], *, requests: int, profile: str | None) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    for kind in kinds:
        for _ in range(3):  # warm up: templates, URL resolvers, connections, caches
            started = time.perf_counter()
            response = get(client, kind.url)
            warm = time.perf_counter() - started
        kind.figures["kb"] = len(response.content) / 1024
        # Slow pages get fewer timed requests so that the whole run stays in minutes.
        n = requests if warm < 0.5 else min(requests, 20)

        counts, sql_ms, template_ms, sql_in_template = [], [], [], []
        slowest: list[tuple[float, str]] = []
        for i in range(5):
            sql = SqlTimer()
            sql.keep_sql = i == 0
            with (
                CaptureQueriesContext(connection) as ctx,
                connection.execute_wrapper(sql),
                RenderTimer(sql) as render,
            ):
                get(client, kind.url)
            # The wrapper's count: CaptureQueriesContext keeps only the last 9,000 queries.
            counts.append(max(sql.count, len(ctx.captured_queries)))
            sql_ms.append(sql.seconds * 1000)
            template_ms.append((render.seconds - sql.inside_template) * 1000)
            sql_in_template.append(sql.inside_template * 1000)
            if i == 0:
                slowest = sorted(sql.each, reverse=True)[:3]

        profiler = cProfile.Profile() if profile and profile in kind.name else None
        times = []
        for _ in range(n):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            get(client, kind.url)
            times.append((time.perf_counter() - started) * 1000)
            if profiler:
                profiler.disable()
        if profiler:
            print(f"\nprofile of {kind.name} ({n} requests), by cumulative and by own time:")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(20)
        kind.figures.update(
            n=n,
            p50=statistics.median(times),
            p95=percentile(times, 95),
            max=max(times),
            queries=f"{min(counts)}"
            if min(counts) == max(counts)
            else f"{min(counts)}–{max(counts)}",
            sql=statistics.median(sql_ms),
            template=statistics.median(template_ms),
            sql_in_template=statistics.median(sql_in_template),
            slowest=slowest,
        )


def print_showtimes_table(kinds: list[Kind]) -> None:
    header = (
        f"{'page':<32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} "
        f"{'SQL ms':>7} {'tmpl ms':>7} {'KB':>6}"
    )
    print(header)
    print("-" * len(header))
    for kind in kinds:
        f = kind.figures
        print(
            f"{kind.name:<32} {f['n']:>4} {f['p50']:8.1f} {f['p95']:8.1f} {f['max']:8.1f} "
            f"{f['queries']:>7} {f['sql']:7.1f} {f['template']:7.1f} {f['kb']:6.0f}"
        )
    print(
        "\n`n` timed requests per row (pages slower than 0.5 s get 20). `queries`, `SQL ms` (time"
        " inside cursor.execute, all queries of a request) and `tmpl ms` (template rendering"
        " minus the SQL run from inside it) are medians of a separate pass of 5 requests."
    )
    print("\nslowest statements of one request each:")
    for kind in kinds:
        print(f"  {kind.name}  ({kind.url})")
        for seconds, sql in kind.figures["slowest"]:
            text = re.sub(r"\s+", " ", sql)
            print(f"    {seconds * 1000:7.1f} ms  {text[:260]}{'…' * (len(text) > 260)}")


INDEX_USE = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)")


def explain_queries() -> None:
    """EXPLAIN (ANALYZE) of the main showtimes query and of the view's two heavy helpers."""
    from django.db import connection
    from django.utils import timezone

    from kinocritics.cinemas import selectors
    from kinocritics.cinemas.views import MAX_LISTED

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    target = selectors.ShowtimeFilters(city="hamburg", day=tomorrow, version="english")
    cases = [
        ("main query: city=hamburg, day=tomorrow, english", selectors.showtimes(target)),
        ("main query: unfiltered", selectors.showtimes(selectors.ShowtimeFilters())),
        ("form: cinema_list() (Count of upcoming screenings)", selectors.cinema_list()),
    ]
    audio = (
        selectors.Screening.objects.filter(
            start__gte=timezone.now(), start__lt=timezone.now() + dt.timedelta(days=7)
        )
        .exclude(audio_language="")
        .order_by("audio_language")
        .values_list("audio_language", flat=True)
        .distinct()
    )
    cases.append(("form: audio_languages_showing()", audio))
    for title, qs in cases:
        if "main" in title:
            qs = qs[: MAX_LISTED + 1]
        print(f"\n--- {title}")
        if title.startswith("main query: city"):
            print(str(qs.query))
        if connection.vendor == "postgresql":
            plan = qs.explain(analyze=True, buffers=True)
        else:
            plan = qs.explain()
            started = time.perf_counter()
            list(qs)
            plan += f"\n(ran in {(time.perf_counter() - started) * 1000:.1f} ms)"
        print(plan)
        used = sorted(set(INDEX_USE.findall(plan)))
        if used:
            print(f"indexes used: {', '.join(used)}")


def showtimes_bench(args, *, base: str | Path) -> None:
    from django.db import connection
    from django.db.models import Count, Q

    from kinocritics.cinemas.models import Cinema, Screening

    print("\n=== 2. showtimes benchmark ===")
    prepare_showtimes(args, base=base)
    totals = Screening.objects.aggregate(
        n=Count("id"),
        english=Count("id", filter=Q(english_friendly=True)),
        film=Count("id", filter=Q(film__isnull=False)),
    )
    hamburg = Cinema.objects.filter(city__slug="hamburg").count()
    berlin = Cinema.objects.filter(city__slug="berlin").count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}: {totals['n']:,} "
        f"screenings, {totals['english'] / totals['n']:.0%} English-friendly, "
        f"{totals['film'] / totals['n']:.0%} with a film; {Cinema.objects.count()} cinemas "
        f"({hamburg} in Hamburg, {berlin} in Berlin)"
    )
    kinds = pick_urls()
    load_before = os.getloadavg()[0]
    print()
    measure(kinds, requests=args.requests, profile=args.profile)
    print_showtimes_table(kinds)
    print(
        f"\n1-minute load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"({os.cpu_count()} CPUs): other work on the machine shows up in p95 and max."
    )
    if not args.no_explain:
        explain_queries()
    close_connections()


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="Use local PostgreSQL.")
    parser.add_argument("--import-rows", type=int, default=100_000, help="Shows per feed.")
    parser.add_argument("--import-cinemas", type=int, default=100, help="Cinemas in the feed.")
    parser.add_argument("--titles", type=int, default=300, help="Distinct titles in the feed.")
    parser.add_argument("--screenings", type=int, default=1_000_000, help="Showtimes rows.")
    parser.add_argument("--cinemas", type=int, default=500, help="Showtimes cinemas.")
    parser.add_argument("--distinct-titles", type=int, default=2000, help="Showtimes titles.")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page.")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-showtimes", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the cached databases.")
    parser.add_argument("--keep", action="store_true", help="Keep the import database.")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="Also trace Python allocations (slower)."
    )
    parser.add_argument(
        "--bulk-create", action="store_true", help="PostgreSQL: bulk_create instead of COPY."
    )
    parser.add_argument(
        "--sqlite-analyze", action="store_true", help="SQLite: run ANALYZE after the build."
    )
    parser.add_argument("--no-explain", action="store_true", help="Skip the EXPLAIN output.")
    parser.add_argument(
        "--profile-import", metavar="RUN", help="cProfile the import runs whose label has RUN."
    )
    parser.add_argument("--profile", metavar="NAME", help="cProfile the page kinds matching NAME.")
    parser.add_argument(
        "--db-prefix",
        default="kino_bench",
        help="Prefix of the PostgreSQL database names (default kino_bench).",
    )
    args = parser.parse_args()
    global PG_BASE, PG_IMPORT, PG_SHOWTIMES
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db_prefix):
        parser.error("--db-prefix: lower-case letters, digits and _ only")
    PG_BASE = f"{args.db_prefix}_screenings_base"
    PG_IMPORT = f"{args.db_prefix}_screenings_import"
    PG_SHOWTIMES = f"{args.db_prefix}_showtimes"

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "false"
    # Uncached renders are what these figures are about: no page cache in front of the views.
    os.environ["PAGE_CACHE_ENABLED"] = "false"
    os.environ.setdefault("MEDIA_ROOT", str(TMP / "kino_bench_screenings_media"))
    # WhiteNoise warns once that collectstatic has not run; irrelevant to the timings.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    warnings.filterwarnings("ignore", message="Limit for query logging", category=UserWarning)

    if args.postgres:
        ready = pg_marker(PG_BASE) == "complete" and not args.fresh
        if not ready:
            psql(f"DROP DATABASE IF EXISTS {PG_BASE}")
            psql(f"CREATE DATABASE {PG_BASE}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_BASE}"
        base: str | Path = PG_BASE
    else:
        ready = marker_path(SQLITE_BASE).exists() and not args.fresh
        if not ready:
            remove([*sqlite_files(SQLITE_BASE), marker_path(SQLITE_BASE)])
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_BASE}"
        base = SQLITE_BASE

    import django

    django.setup()
    from django.conf import settings

    print(
        f"DEBUG={settings.DEBUG}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}"
    )
    prepare_base(postgres=args.postgres, ready=ready)
    close_connections()
    try:
        if not args.skip_import:
            import_bench(args, base=base)
        if not args.skip_showtimes:
            showtimes_bench(args, base=base)
    finally:
        close_connections()
        if not args.keep:
            if args.postgres:
                psql(f"DROP DATABASE IF EXISTS {PG_IMPORT}")
            else:
                remove(sqlite_files(SQLITE_IMPORT))


if __name__ == "__main__":
    main()
