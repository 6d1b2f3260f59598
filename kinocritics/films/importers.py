"""Bulk import of the film catalogue from the Wikidata/OMDb movies database (bokeh_sampledata)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Country, Credit, Film, FilmCountry, Genre, Language, Person
from .text import sort_key, split_names, unique_slug

# sha256 of movies.db in bokeh_sampledata==2026.1 (requirements/data.txt pins that release).
CATALOGUE_SHA256 = "1d9c6a02e488d0354b2309e16130c58820a91ac2ce417e814c5964f9579a65ac"
BATCH_SIZE = 1000

# The magazine's house style for a few countries; applied only when the importer creates the
# country, so an editor's later choice is never overwritten.
COUNTRY_SHORT_NAMES = {
    "United States": "U.S.A.",
    "United Kingdom": "U.K.",
    "Soviet Union": "U.S.S.R.",
}

SOURCE_QUERY = """
    SELECT ID, imdbID, Title, Year, Runtime, Genre, Director, Writer, [Cast], Language, Country
    FROM omdb
    ORDER BY ID
"""

IMDB_ID = re.compile(r"tt\d{7,8}")
MIN_YEAR, MAX_YEAR = 1880, 2100
MAX_RUNTIME = 32767  # PositiveSmallIntegerField on every supported backend

# Called as progress(done, total) after each batch written; total is fixed for one import.
Progress = Callable[[int, int], None]


class CatalogueError(Exception):
    """The catalogue file is missing, unreadable or not the file we expect."""


@dataclass(frozen=True, slots=True)
class SourceFilm:
    """One row of the omdb table, cleaned up."""

    wikidata_id: str
    imdb_id: str | None
    title: str
    year: int | None
    runtime_minutes: int | None
    genres: tuple[str, ...]
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    directors: tuple[str, ...]
    writers: tuple[str, ...]
    # The source lists the cast alphabetically, so billing order is unknown for imported films:
    # sort_order keeps the file's order and editors reorder the principal actors by hand.
    cast: tuple[str, ...]

    def credits(self) -> Iterable[tuple[str, str]]:
        """(role, name) pairs in the order the film page shows them."""
        for role, names in (
            (Credit.Role.DIRECTOR, self.directors),
            (Credit.Role.WRITER, self.writers),
            (Credit.Role.ACTOR, self.cast),
        ):
            for name in names:
                yield role, name


@dataclass
class ImportReport:
    """What one import run read, created and changed."""

    films_in_source: int = 0
    rows_skipped: int = 0
    films_existing: int = 0
    films_created: int = 0
    films_updated: int = 0
    updated_fields: Counter[str] = field(default_factory=Counter)
    people_created: int = 0
    credits_created: int = 0
    countries_created: int = 0
    languages_created: int = 0
    genres_created: int = 0
    links_created: int = 0
    imdb_conflicts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """Whether the run wrote anything to the database."""
        return bool(
            self.films_created
            or self.films_updated
            or self.people_created
            or self.credits_created
            or self.countries_created
            or self.languages_created
            or self.genres_created
            or self.links_created
        )


def bundled_catalogue_path() -> Path:
    """The movies.db shipped in the bokeh_sampledata package."""
    try:
        from bokeh_sampledata.movies_data import movie_path
    except ImportError as exc:
        raise CatalogueError(
            "bokeh_sampledata is not installed; install requirements/data.txt or pass --path."
        ) from exc
    return Path(movie_path)


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(*, path: Path, expected: str = CATALOGUE_SHA256) -> None:
    """Raise CatalogueError unless the file's sha256 is `expected`."""
    if not path.is_file():
        raise CatalogueError(f"Catalogue file not found: {path}")
    actual = file_sha256(path)
    if actual != expected:
        raise CatalogueError(
            f"Checksum mismatch for {path}: sha256 is {actual}, expected {expected}. "
            "This is not the catalogue release the importer was written for; "
            "refusing to import it."
        )


def read_catalogue(*, path: Path) -> tuple[list[SourceFilm], int]:
    """The films in the file, in ID order, and how many rows had to be skipped."""
    if not path.is_file():
        raise CatalogueError(f"Catalogue file not found: {path}")
    try:
        # Read-only, so a wrong --path can never modify someone's database.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(SOURCE_QUERY).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CatalogueError(f"Cannot read the omdb table from {path}: {exc}") from exc

    films: list[SourceFilm] = []
    seen: set[str] = set()
    skipped = 0
    for row in rows:
        film = _source_film(row)
        if film is None or film.wikidata_id in seen:
            skipped += 1
            continue
        seen.add(film.wikidata_id)
        films.append(film)
    return films, skipped


def catalogue_import(
    *,
    path: Path,
    progress: Progress | None = None,
    update: bool = False,
    wikidata_ids: set[str] | None = None,
) -> ImportReport:
    """Import films, people and credits from the catalogue file in one transaction.

    `wikidata_ids` limits the run to those films (the demo loader uses it).
    """
    started = time.perf_counter()
    sources, skipped = read_catalogue(path=path)
    if wikidata_ids is not None:
        sources = [s for s in sources if s.wikidata_id in wikidata_ids]
    report = ImportReport(films_in_source=len(sources), rows_skipped=skipped)

    with transaction.atomic():
        existing = {
            row[0]: row
            for row in Film.objects.filter(wikidata_id__isnull=False).values_list(
                "wikidata_id", "pk", "title", "year", "runtime_minutes", "imdb_id"
            )
        }
        new_sources = [s for s in sources if s.wikidata_id not in existing]
        report.films_existing = len(sources) - len(new_sources)
        if new_sources or update:
            _import(sources, new_sources, existing, report, progress=progress, update=update)

    if report.changed:
        _refresh_statistics()
    report.seconds = time.perf_counter() - started
    return report


def _refresh_statistics() -> None:
    """Let the query planner see the new row counts (autovacuum may be off or slow)."""
    tables = [
        model._meta.db_table
        for model in (
            Film,
            Person,
            Credit,
            FilmCountry,
            Film.languages.through,
            Film.genres.through,
        )
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")  # noqa: S608 - model table names
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def _import(
    sources: list[SourceFilm],
    new_sources: list[SourceFilm],
    existing: dict[str, tuple],
    report: ImportReport,
    *,
    progress: Progress | None,
    update: bool,
) -> None:
    """Plan and write new rows and updates; runs inside catalogue_import's transaction."""
    imdb_owners: dict[str, int | None] = dict(
        Film.objects.filter(imdb_id__isnull=False).values_list("imdb_id", "pk").iterator()
    )
    film_updates = _film_updates(sources, existing, imdb_owners, report) if update else []

    countries = _lookup(
        Country,
        {n for s in new_sources for n in s.countries},
        lambda name, taken: Country(name=name, short_name=COUNTRY_SHORT_NAMES.get(name, "")),
    )
    languages = _lookup(
        Language, {n for s in new_sources for n in s.languages}, lambda name, _: Language(name=name)
    )
    genres = _lookup(
        Genre,
        {n for s in new_sources for n in s.genres},
        lambda name, taken: Genre(name=name, slug=unique_slug(name, taken, fallback="genre")),
        slugs=lambda: set(Genre.objects.values_list("slug", flat=True)),
    )
    people = _lookup(
        Person,
        {name for s in new_sources for _, name in s.credits()},
        lambda name, taken: Person(name=name, slug=unique_slug(name, taken, fallback="person")),
        slugs=lambda: set(Person.objects.values_list("slug", flat=True).iterator()),
    )
    films = _new_films(new_sources, imdb_owners, report)

    # Totals are known up front, so the progress bar measures every row we are about to write.
    total = (
        len(film_updates)
        + sum(len(lookup.new) for lookup in (countries, languages, genres, people))
        + len(films)
        + sum(len(s.countries) + len(s.languages) + len(s.genres) for s in new_sources)
        + sum(1 for s in new_sources for _ in s.credits())
    )
    writer = _BatchWriter(total=total, progress=progress)

    writer.update(
        Film,
        film_updates,
        fields=["title", "sort_title", "year", "runtime_minutes", "imdb_id", "updated_at"],
    )
    report.films_updated = len(film_updates)
    report.countries_created = countries.create(writer)
    report.languages_created = languages.create(writer)
    report.genres_created = genres.create(writer)
    report.people_created = people.create(writer)
    # Films go in batch by batch with their credits and links, so only one batch of the
    # ~300k relation rows is held in memory at a time.
    language_through, genre_through = Film.languages.through, Film.genres.through
    for batch in batched(zip(new_sources, films, strict=True), BATCH_SIZE):
        report.films_created += writer.create(Film, [film for _, film in batch])
        film_countries, film_languages, film_genres, credits = [], [], [], []
        for source, film in batch:
            film_countries.extend(
                FilmCountry(film_id=film.pk, country_id=countries.ids[name], sort_order=i)
                for i, name in enumerate(source.countries)
            )
            film_languages.extend(
                language_through(film_id=film.pk, language_id=languages.ids[name])
                for name in source.languages
            )
            film_genres.extend(
                genre_through(film_id=film.pk, genre_id=genres.ids[name]) for name in source.genres
            )
            # One running sort_order across roles matches how film pages order credits.
            credits.extend(
                Credit(film_id=film.pk, person_id=people.ids[name], role=role, sort_order=i)
                for i, (role, name) in enumerate(source.credits())
            )
        report.links_created += (
            writer.create(FilmCountry, film_countries)
            + writer.create(language_through, film_languages)
            + writer.create(genre_through, film_genres)
        )
        report.credits_created += writer.create(Credit, credits)


def _film_updates(
    sources: list[SourceFilm],
    existing: dict[str, tuple],
    imdb_owners: dict[str, int | None],
    report: ImportReport,
) -> list[Film]:
    """Existing films whose catalogue fields changed in the source, ready for bulk_update."""
    # bulk_update skips auto_now, so the timestamp is set by hand.
    now = timezone.now()
    updates = []
    for source in sources:
        if source.wikidata_id not in existing:
            continue
        _, pk, title, year, runtime, imdb_id = existing[source.wikidata_id]
        changed = []
        if source.title != title:
            title = source.title
            changed.append("title")
        # A value missing from the source never clears one an editor has filled in.
        if source.year is not None and source.year != year:
            year = source.year
            changed.append("year")
        if source.runtime_minutes is not None and source.runtime_minutes != runtime:
            runtime = source.runtime_minutes
            changed.append("runtime_minutes")
        if source.imdb_id and source.imdb_id != imdb_id:
            # Old ids are not released within a run, so no single UPDATE can collide on the
            # unique constraint halfway through (e.g. two films swapping ids).
            if imdb_owners.get(source.imdb_id, pk) != pk:
                report.imdb_conflicts.append(source.wikidata_id)
            else:
                imdb_owners[source.imdb_id] = pk
                imdb_id = source.imdb_id
                changed.append("imdb_id")
        if changed:
            report.updated_fields.update(changed)
            updates.append(
                Film(
                    pk=pk,
                    title=title,
                    sort_title=sort_key(title),
                    year=year,
                    runtime_minutes=runtime,
                    imdb_id=imdb_id,
                    updated_at=now,
                )
            )
    return updates


def _new_films(
    new_sources: list[SourceFilm], imdb_owners: dict[str, int | None], report: ImportReport
) -> list[Film]:
    """Unsaved Film objects for films not yet in the catalogue."""
    slugs = set(Film.objects.values_list("slug", flat=True).iterator()) if new_sources else set()
    films = []
    for source in new_sources:
        imdb_id = source.imdb_id
        if imdb_id and imdb_id in imdb_owners:
            # Two Wikidata items can carry one IMDb id (a film and its recut, e.g. Apocalypse
            # Now Redux); the first in ID order keeps it, as the column is unique.
            report.imdb_conflicts.append(source.wikidata_id)
            imdb_id = None
        elif imdb_id:
            imdb_owners[imdb_id] = None
        films.append(
            Film(
                title=source.title,
                sort_title=sort_key(source.title),  # bulk_create bypasses Film.save()
                slug=_film_slug(source, slugs),
                year=source.year,
                runtime_minutes=source.runtime_minutes,
                wikidata_id=source.wikidata_id,
                imdb_id=imdb_id,
            )
        )
    return films


def _film_slug(source: SourceFilm, taken: set[str]) -> str:
    """`title-year`, or `title-year-q123` when another film already has that slug."""
    base = slugify(unicodedata.normalize("NFKD", source.title))[:230].strip("-") or "film"
    if source.year:
        base = f"{base}-{source.year}"
    for candidate in (base, f"{base}-{source.wikidata_id.lower()}"):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    return unique_slug(f"{base}-{source.wikidata_id.lower()}", taken, max_length=250)


@dataclass
class _Lookup[M: models.Model]:
    """Name → id for one lookup table, plus the rows still to be created."""

    model: type[M]
    ids: dict[str, int]
    new: list[M]

    def create(self, writer: _BatchWriter) -> int:
        """Insert the new rows and record their ids."""
        count = writer.create(self.model, self.new)
        self.ids.update((obj.name, obj.pk) for obj in self.new)
        return count


def _lookup[M: models.Model](
    model: type[M],
    names: set[str],
    build: Callable[[str, set[str]], M],
    *,
    slugs: Callable[[], set[str]] | None = None,
) -> _Lookup[M]:
    """Match names to existing rows by exact name and build the missing ones."""
    if not names:
        return _Lookup(model, {}, [])
    ids: dict[str, int] = {}
    # Names are the only key the source has (no person ids), so same-named people collapse
    # into one Person; where editors created duplicates already, the oldest row wins.
    for name, pk in model.objects.order_by("pk").values_list("name", "pk").iterator():
        ids.setdefault(name, pk)
    missing = sorted(names - ids.keys())
    taken = slugs() if slugs and missing else set()
    return _Lookup(model, ids, [build(name, taken) for name in missing])


class _BatchWriter:
    """bulk_create/bulk_update in batches, reporting progress after each one."""

    def __init__(self, *, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def create(self, model: type[models.Model], objs: Sequence[models.Model]) -> int:
        """Insert objs (primary keys are set on them on SQLite and PostgreSQL)."""
        for batch in batched(objs, BATCH_SIZE):
            model.objects.bulk_create(batch)
            self._advance(len(batch))
        return len(objs)

    def update(
        self, model: type[models.Model], objs: Sequence[models.Model], *, fields: list[str]
    ) -> int:
        """Write `fields` of existing objs."""
        for batch in batched(objs, BATCH_SIZE):
            model.objects.bulk_update(batch, fields)
            self._advance(len(batch))
        return len(objs)

    def _advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)


def _source_film(row: tuple) -> SourceFilm | None:
    """Clean one omdb row; None when it has no usable id or title."""
    qid, imdb_id, title, year, runtime, genre, director, writer, cast, language, country = row
    title = (title or "").strip()[: Film._meta.get_field("title").max_length]
    if not isinstance(qid, int) or qid <= 0 or not title:
        return None
    if isinstance(runtime, (int, float)) and 0 < round(runtime) <= MAX_RUNTIME:
        runtime = round(runtime)
    else:
        runtime = None
    return SourceFilm(
        wikidata_id=f"Q{qid}",
        imdb_id=imdb_id if imdb_id and IMDB_ID.fullmatch(imdb_id) else None,
        title=title,
        year=year if isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR else None,
        runtime_minutes=runtime,
        genres=_values(genre, Genre),
        languages=_values(language, Language),
        countries=_values(country, Country),
        directors=_names(director),
        writers=_names(writer),
        cast=_names(cast),
    )


def _values(value: str | None, model: type[models.Model]) -> tuple[str, ...]:
    """Distinct ', '-separated values in file order, dropping any too long for the column."""
    max_length = model._meta.get_field("name").max_length
    parts = (p.strip() for p in (value or "").split(","))
    return tuple(dict.fromkeys(p for p in parts if p and len(p) <= max_length))


def _names(value: str | None) -> tuple[str, ...]:
    """Distinct person names in file order; split_names keeps 'Ed Begley, Jr.' whole."""
    max_length = Person._meta.get_field("name").max_length
    return tuple(dict.fromkeys(n for n in split_names(value or "") if len(n) <= max_length))
