"""Time `manage.py import_films` on the real catalogue against a throwaway database.

Run from the project root:

    .venv/bin/python bench/import_films.py             # temporary SQLite file
    .venv/bin/python bench/import_films.py --postgres  # local PostgreSQL, db kino_bench_import

Prints figures only; it never asserts on timing.
"""

import argparse
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

from common import psql  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "kino_bench_import"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def timed(label: str, func) -> tuple[float, object]:
    """Call func, print and return the elapsed seconds and its result."""
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"{label:<32} {seconds:8.2f} s")
    return seconds, result


def bench() -> None:
    """Migrate the empty database, then import twice and update once."""
    import django
    from django.core.management import call_command

    django.setup()

    from django.db import connection

    from kinocritics.films.importers import (
        bundled_catalogue_path,
        catalogue_import,
        verify_checksum,
    )
    from kinocritics.films.models import Country, Credit, Film, Genre, Language, Person

    path = bundled_catalogue_path()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"catalogue: {path} ({path.stat().st_size / 1e6:.1f} MB)\n")

    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("checksum", lambda: verify_checksum(path=path))
    first_s, first = timed("first import", lambda: catalogue_import(path=path))
    _, second = timed("second import (no-op)", lambda: catalogue_import(path=path))
    _, updated = timed("import with update=True", lambda: catalogue_import(path=path, update=True))
    out = StringIO()
    timed(
        "manage.py import_films (no-op)",
        lambda: call_command("import_films", "--no-progress", stdout=out, stderr=StringIO()),
    )

    rows = (
        first.films_created
        + first.people_created
        + first.credits_created
        + first.links_created
        + first.countries_created
        + first.languages_created
        + first.genres_created
    )
    print()
    print(
        f"first import:  {first.films_created / first_s:,.0f} films/s, {rows / first_s:,.0f} rows/s"
    )
    print(
        f"  created: {first.films_created:,} films, {first.people_created:,} people, "
        f"{first.credits_created:,} credits, {first.countries_created:,} countries, "
        f"{first.languages_created:,} languages, {first.genres_created:,} genres, "
        f"{first.links_created:,} film links"
    )
    print(f"second import: changed={second.changed}, {second.films_existing:,} films already there")
    print(
        f"--update run:  changed={updated.changed}, {updated.films_updated} films updated, "
        f"{len(updated.imdb_conflicts)} IMDb ids already on another film"
    )
    print(f"command says:  {out.getvalue().strip()}")
    print(
        "in the database: "
        + ", ".join(
            f"{m.objects.count():,} {m._meta.verbose_name_plural}"
            for m in (Film, Person, Credit, Country, Language, Genre)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help=f"Use local PostgreSQL ({PG_URL}).")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"

    if args.postgres:
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
        try:
            bench()
        finally:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        return

    with tempfile.TemporaryDirectory(prefix="kino-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        try:
            bench()
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
