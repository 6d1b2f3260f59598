"""manage.py backup: the database and the media files in one .tar.gz, with a manifest."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

FORMAT_VERSION = 1
# What the manifest counts, so a restore can say it found every row.
COUNTED_MODELS = {
    "reviews": "reviews.ReviewPage",
    "articles": "festivals.ArticlePage",
    "films": "films.Film",
    "critics": "critics.Critic",
    "subscribers": "newsletter.Subscriber",
    "screenings": "cinemas.Screening",
}


def model_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Row counts of the models that exist in this project and database (others are skipped)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    counts = {}
    for name, label in COUNTED_MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # an app that has no such model (yet)
        if model._meta.db_table in tables:
            counts[name] = model._default_manager.using(alias).count()
    return counts


def pg_environment(db: dict) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for pg_dump / pg_restore from Django's settings."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return args, environment


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools matching the server "
            "(Debian: apt-get install postgresql-client) and run the command again."
        )
    return path


def sqlite_copy(source: str | Path, target: str | Path) -> None:
    """Copy a live SQLite database page by page (consistent even while others write)."""
    # Django's test databases are shared in-memory ones named by URI ("file:memorydb_…").
    src = sqlite3.connect(source, uri=str(source).startswith("file:"))
    dst = sqlite3.connect(target, uri=str(target).startswith("file:"))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def media_root() -> Path | None:
    """The local media directory, or None when media lives in object storage."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if not backend.endswith("FileSystemStorage"):
        return None
    return Path(settings.MEDIA_ROOT)


class Command(BaseCommand):
    help = "Back up the database and the media files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Archive path (default: backups/kinocritics-<time>.tar.gz next to manage.py).",
        )

    def handle(self, *args, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = Path(
            options["output"] or settings.BASE_DIR / "backups" / f"kinocritics-{stamp}.tar.gz"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        connection = connections[DEFAULT_DB_ALIAS]
        db = connection.settings_dict
        vendor = connection.vendor

        with tempfile.TemporaryDirectory(prefix="kc-backup-") as tmp:
            work = Path(tmp)
            if vendor == "sqlite":
                database_file = "database.sqlite3"
                connection.close()
                sqlite_copy(db["NAME"], work / database_file)
            elif vendor == "postgresql":
                database_file = "database.pgdump"
                args, environment = pg_environment(db)
                result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
                    [
                        require_tool("pg_dump"),
                        *args,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        "--file",
                        str(work / database_file),
                        str(db["NAME"]),
                    ],
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode:
                    raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            else:
                raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")

            media = media_root()
            media_files = 0
            if media is not None and media.is_dir():
                media_files = sum(1 for p in media.rglob("*") if p.is_file())
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database_vendor": vendor,
                "database_file": database_file,
                "django": django.get_version(),
                "counts": model_counts(),
                "media": "included" if media is not None else "object storage (not included)",
                "media_files": media_files,
            }
            (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")

            partial = output.with_name(output.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(work / "manifest.json", arcname="manifest.json")
                archive.add(work / database_file, arcname=database_file)
                if media is not None and media.is_dir():
                    archive.add(media, arcname="media")
            partial.replace(output)  # a half-written archive never looks like a backup

        size_mb = output.stat().st_size / 1_000_000
        counts = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} ({size_mb:.1f} MB): {vendor} database "
                f"({counts}), {media_files} media files."
            )
        )


def manifest_time(manifest: dict) -> str:
    return dt.datetime.fromisoformat(manifest["created_at"]).strftime("%d %b %Y %H:%M %Z")
