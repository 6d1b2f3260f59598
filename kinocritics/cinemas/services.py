"""Importing cinema programmes: fetch, parse, read labels, match films, replace the snapshot."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from kinocritics.core.purge import screening_import_purge
from kinocritics.films.models import Film
from kinocritics.films.text import normalise_title

from .feeds.base import FeedError, FeedResult, RawShowing
from .labels import listing_parse
from .models import Cinema, Screening, Source
from .versions import LANGUAGE_NAMES, ORIGINAL_LANGUAGE_VERSIONS, is_english_friendly

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 20
MAX_FEED_BYTES = 64 * 1024 * 1024
ROW_ERRORS_KEPT = 50
USER_AGENT = "KinoCritics-programme-import/1.0 (+https://kinocritics.de/about/)"
_LANGUAGE_CODES = {name.casefold(): code for code, name in LANGUAGE_NAMES.items()}


class SourceFetchError(Exception):
    """The feed could not be read at all; the cinema's programme is kept as it was."""


@dataclass
class ImportRun:
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: list[FeedError] = field(default_factory=list)
    failed: str = ""  # why the run kept the old programme, when it did

    @property
    def ok(self) -> bool:
        return not self.failed

    def __str__(self) -> str:
        if self.failed:
            return f"{self.source}: kept the last good programme — {self.failed}"
        return (
            f"{self.source}: {self.rows} shows read, {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.removed} removed, {len(self.errors)} rows skipped"
        )


def source_fetch(*, source: Source) -> bytes:
    """The feed's bytes from its URL or file; raises SourceFetchError with a readable reason."""
    location = source.location.strip()
    if location.startswith(("http://", "https://")):
        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
                data = response.read(MAX_FEED_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SourceFetchError(f"could not fetch {location}: {error}") from error
    else:
        path = Path(location)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        try:
            data = path.read_bytes()[: MAX_FEED_BYTES + 1]
        except OSError as error:
            raise SourceFetchError(f"could not read {path}: {error.strerror}") from error
    if len(data) > MAX_FEED_BYTES:
        raise SourceFetchError(f"the feed is larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
    return data


def feed_parse(*, kind: str, data: bytes, tz, today: dt.date) -> FeedResult:
    """Dispatch to the parser for the source's kind."""
    from .feeds.csv import parse_csv
    from .feeds.ical import parse_ical
    from .feeds.jsonld import parse_jsonld

    if kind == Source.Kind.ICAL:
        return parse_ical(data, tz=tz, today=today)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet exports are often Windows-1252; read them as such rather than lose letters.
        text = data.decode("cp1252", errors="replace")
    if kind == Source.Kind.CSV:
        return parse_csv(text, tz=tz, today=today)
    return parse_jsonld(text, tz=tz, today=today)


def _cinema_lookup(source: Source) -> tuple[dict[str, Cinema], Cinema | None]:
    cinemas = list(source.cinemas.select_related("city"))
    lookup: dict[str, Cinema] = {}
    for cinema in cinemas:
        lookup[cinema.slug.casefold()] = cinema
        lookup[normalise_title(cinema.name)] = cinema
    return lookup, cinemas[0] if len(cinemas) == 1 else None


def _film_languages(film_ids: set[int]) -> dict[int, str]:
    """ISO code of each film's language, where the catalogue names exactly one."""
    through = Film.languages.through
    names: dict[int, list[str]] = {}
    for film_id, name in through.objects.filter(film_id__in=film_ids).values_list(
        "film_id", "language__name"
    ):
        names.setdefault(film_id, []).append(name)
    return {
        film_id: _LANGUAGE_CODES[langs[0].casefold()]
        for film_id, langs in names.items()
        if len(langs) == 1 and langs[0].casefold() in _LANGUAGE_CODES
    }


@dataclass(frozen=True)
class _Row:
    key: tuple
    fields: dict


def _rows(
    *, source: Source, showings: list[RawShowing], now: dt.datetime, run: ImportRun
) -> list[_Row]:
    from .matching import FilmMatcher, listing_resolve

    lookup, only_cinema = _cinema_lookup(source)
    # A feed repeats a few hundred titles and cinema names over 100,000 rows: fold each once.
    title_keys: dict[str, str] = {}

    def title_key_of(title: str) -> str:
        key = title_keys.get(title)
        if key is None:
            key = title_keys[title] = normalise_title(title)
        return key

    cinema_of: dict[str, Cinema | None] = {}
    parsed = []
    event_only: set[str] = set()
    for showing in showings:
        if showing.cinema in cinema_of:
            cinema = cinema_of[showing.cinema]
        else:
            cinema = cinema_of[showing.cinema] = lookup.get(
                showing.cinema.casefold()
            ) or lookup.get(normalise_title(showing.cinema))
        if cinema is None:
            # A one-cinema feed may name its cinema any way it likes ("Savoy Filmtheater").
            cinema = only_cinema
        if cinema is None:
            run.errors.append(
                FeedError(showing.position, f"unknown cinema “{showing.cinema}” for this source")
            )
            continue
        listing = listing_parse(
            showing.title,
            label=showing.label,
            audio_language=showing.audio_language,
            subtitle_languages=showing.subtitle_languages,
        )
        if not listing.title:
            if not listing.events:
                run.errors.append(
                    FeedError(showing.position, "no film title left after the labels")
                )
                continue
            # A surprise film ("Sneak Preview (engl. OV)") is a real show with no film to match.
            listing = replace(listing, title=" · ".join(listing.events))
            event_only.add(title_key_of(listing.title))
        parsed.append((showing, cinema, listing))

    matcher = None
    films: dict[str, int | None] = dict.fromkeys(event_only)
    for showing, _cinema, listing in parsed:
        key = title_key_of(listing.title)
        if key in films:
            continue
        if matcher is None:
            matcher = FilmMatcher.from_db(today=now.date())
        resolved = listing_resolve(
            matcher=matcher, title=listing.title, year=showing.year, when=showing.start.date()
        )
        films[key] = resolved.film_id if resolved.decision == "accept" else None
    languages = _film_languages({f for f in films.values() if f})

    rows: list[_Row] = []
    seen: set[tuple] = set()
    for showing, cinema, listing in parsed:
        title_key = title_key_of(listing.title)
        film_id = films.get(title_key)
        audio = listing.audio_language or ""
        if not audio and film_id and listing.version in ORIGINAL_LANGUAGE_VERSIONS:
            audio = languages.get(film_id, "")
        auditorium = showing.auditorium.strip()[:60]
        # UTC, so the two 02:30s of the October DST night stay two shows.
        key = (cinema.pk, showing.start.astimezone(dt.UTC), title_key, listing.version, auditorium)
        if key in seen:
            run.errors.append(FeedError(showing.position, "the same show is listed twice"))
            continue
        seen.add(key)
        rows.append(
            _Row(
                key=key,
                fields={
                    "cinema_id": cinema.pk,
                    "film_id": film_id,
                    "start": showing.start,
                    "version": listing.version,
                    "audio_language": audio,
                    "subtitle_languages": list(listing.subtitle_languages),
                    "english_friendly": is_english_friendly(
                        listing.version, audio, listing.subtitle_languages
                    ),
                    "formats": list(listing.formats),
                    "event": ", ".join(listing.events)[:120],
                    "auditorium": auditorium,
                    "ticket_url": showing.ticket_url[:500],
                    "title": listing.title[:255],
                    "title_key": title_key[:255],
                    "raw_title": showing.title[:500],
                    "raw_label": showing.label[:255],
                    "cancelled": showing.cancelled,
                },
            )
        )
    return rows


_COMPARED = (
    "film_id",
    "audio_language",
    "subtitle_languages",
    "english_friendly",
    "formats",
    "event",
    "ticket_url",
    "title",
    "raw_title",
    "raw_label",
    "cancelled",
)
# Every value _rows() gives a show, in the order the INSERT lists them.
_ROW_FIELDS = (
    *("cinema_id", "film_id", "start", "version", "audio_language", "subtitle_languages"),
    *("english_friendly", "formats", "event", "auditorium", "ticket_url", "title", "title_key"),
    *("raw_title", "raw_label", "cancelled"),
)


# Written with plain INSERT/UPDATE statements: for 100,000 shows, bulk_create() and
# bulk_update() spent several times longer building SQL in Python than the database took.
_INSERTED = (*_ROW_FIELDS, "source_id", "first_seen", "last_seen")


def _db_adapters(connection) -> dict[str, object]:
    """Per column, how a Python value becomes a query parameter where it needs more than itself."""
    adapt_datetime = connection.ops.adapt_datetimefield_value

    def json_adapter(name: str):
        field = Screening._meta.get_field(name)
        adapted: dict[tuple, object] = {}  # a few distinct language and format lists recur

        def adapt(value: list) -> object:
            key = tuple(value)
            if key not in adapted:
                adapted[key] = field.get_db_prep_save(list(value), connection)
            return adapted[key]

        return adapt

    return {
        "start": adapt_datetime,
        "first_seen": adapt_datetime,
        "last_seen": adapt_datetime,
        "subtitle_languages": json_adapter("subtitle_languages"),
        "formats": json_adapter("formats"),
    }


def _column(name: str) -> str:
    return Screening._meta.get_field(name.removesuffix("_id")).column


def _screenings_insert(*, rows: list[dict], source_id: int, now: dt.datetime) -> None:
    """INSERT the new shows in multi-row statements, values adapted as the ORM would."""
    if not rows:
        return
    connection = connections[router.db_for_write(Screening)]
    quote = connection.ops.quote_name
    adapters = _db_adapters(connection)
    stamp = adapters["last_seen"](now)
    columns = ", ".join(quote(_column(name)) for name in _INSERTED)
    per_row = f"({', '.join(['%s'] * len(_INSERTED))})"
    fields = [Screening._meta.get_field(name.removesuffix("_id")) for name in _INSERTED]
    batch = max(1, min(1000, connection.ops.bulk_batch_size(fields, rows)))
    table = quote(Screening._meta.db_table)
    converters = [(name, adapters.get(name)) for name in _ROW_FIELDS]
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), batch):
            chunk = rows[offset : offset + batch]
            params: list = []
            for fields_of_row in chunk:
                for name, adapt in converters:
                    value = fields_of_row[name]
                    params.append(adapt(value) if adapt else value)
                params.extend((source_id, stamp, stamp))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([per_row] * len(chunk))}",  # noqa: S608 - names from the model
                params,
            )


def _screenings_update(*, changes: list[tuple[int, dict]], now: dt.datetime) -> None:
    """UPDATE only the columns that changed, one statement shape per set of changed columns."""
    if not changes:
        return
    connection = connections[router.db_for_write(Screening)]
    quote = connection.ops.quote_name
    adapters = _db_adapters(connection)
    stamp = adapters["last_seen"](now)
    table = quote(Screening._meta.db_table)
    last_seen, pk_column = quote(_column("last_seen")), quote(Screening._meta.pk.column)
    stamp_and_pk = f"{last_seen} = %s WHERE {pk_column} = %s"
    by_columns: dict[tuple[str, ...], list[list]] = {}
    for pk, changed in changes:
        names = tuple(changed)
        params = []
        for name in names:
            adapt = adapters.get(name)
            params.append(adapt(changed[name]) if adapt else changed[name])
        params.extend((stamp, pk))
        by_columns.setdefault(names, []).append(params)
    with connection.cursor() as cursor:
        for names, params_list in by_columns.items():
            assignments = ", ".join(f"{quote(_column(name))} = %s" for name in names)
            cursor.executemany(
                f"UPDATE {table} SET {assignments}, {stamp_and_pk}",  # noqa: S608 - names from the model
                params_list,
            )


def _source_failed(*, source: Source, run: ImportRun, reason: str, now: dt.datetime) -> ImportRun:
    run.failed = reason
    Source.objects.filter(pk=source.pk).update(
        last_run_at=now,
        last_error=reason,
        stale=True,
        last_row_errors=[str(e) for e in run.errors[:ROW_ERRORS_KEPT]],
    )
    logger.warning("screening import %s failed: %s", source.slug, reason)
    return run


def screening_import(
    *, source: Source, now: dt.datetime | None = None, data: bytes | None = None
) -> ImportRun:
    """Replace a source's future programme with its feed's snapshot; keep it if the feed fails."""
    now = now or timezone.now()
    run = ImportRun(source=source.name)
    tz = timezone.get_default_timezone()
    if data is None:
        try:
            data = source_fetch(source=source)
        except SourceFetchError as error:
            return _source_failed(source=source, run=run, reason=str(error), now=now)
    result = feed_parse(kind=source.kind, data=data, tz=tz, today=now.astimezone(tz).date())
    run.errors.extend(result.errors)
    showings = [s for s in result.showings if s.start >= now]
    rows = _rows(source=source, showings=showings, now=now, run=run)
    run.rows = len(rows)

    future = Screening.objects.filter(source=source, start__gte=now)
    if not rows:
        had = future.exists()
        if had or result.errors:
            reason = (
                "the feed returned no shows, where it had some before"
                if had
                else f"no usable shows ({len(result.errors)} errors)"
            )
            return _source_failed(source=source, run=run, reason=reason, now=now)

    with transaction.atomic():
        existing = {
            (s["cinema_id"], s["start"], s["title_key"], s["version"], s["auditorium"]): s
            for s in future.values(
                "id", "cinema_id", "start", "title_key", "version", "auditorium", *_COMPARED
            )
        }
        incoming = {row.key for row in rows}
        stale_ids = [s["id"] for key, s in existing.items() if key not in incoming]
        for chunk in range(0, len(stale_ids), 500):
            Screening.objects.filter(id__in=stale_ids[chunk : chunk + 500]).delete()
        run.removed = len(stale_ids)

        to_create: list[dict] = []
        to_update: list[tuple[int, dict]] = []
        for row in rows:
            current = existing.get(row.key)
            if current is None:
                to_create.append(row.fields)
                continue
            fields = row.fields
            changed = {name: fields[name] for name in _COMPARED if current[name] != fields[name]}
            if changed:
                to_update.append((current["id"], changed))
            else:
                run.unchanged += 1
        _screenings_insert(rows=to_create, source_id=source.pk, now=now)
        _screenings_update(changes=to_update, now=now)
        screening_import_purge(source=source, before=existing, after=rows)  # after commit
        # One statement for the rows that did not change: they were seen again.
        future.filter(last_seen__lt=now).update(last_seen=now)
        run.created, run.updated = len(to_create), len(to_update)
        Source.objects.filter(pk=source.pk).update(
            last_run_at=now,
            last_success_at=now,
            last_error="",
            stale=False,
            last_rows=run.rows,
            last_row_errors=[str(e) for e in run.errors[:ROW_ERRORS_KEPT]],
        )
    return run


def screening_import_all(*, now: dt.datetime | None = None) -> list[ImportRun]:
    """Import every active source; one failing source never stops the others."""
    runs = []
    for source in Source.objects.filter(active=True).order_by("name"):
        try:
            runs.append(screening_import(source=source, now=now))
        except Exception as error:  # a bug in one feed must not stop the rest
            logger.exception("screening import %s crashed", source.slug)
            run = ImportRun(source=source.name)
            runs.append(
                _source_failed(
                    source=source,
                    run=run,
                    reason=f"import crashed: {error}",
                    now=now or timezone.now(),
                )
            )
    return runs
