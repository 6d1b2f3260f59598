"""manage.py restore FILE: put back the database and media of a `manage.py backup` archive."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from .backup import (
    FORMAT_VERSION,
    manifest_time,
    media_root,
    model_counts,
    pg_environment,
    require_tool,
    sqlite_copy,
)


class Command(BaseCommand):
    help = (
        "Restore a backup archive: replaces the whole database and the media directory "
        "(the old media directory is kept next to it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--no-input", "--yes", action="store_true", dest="yes", help="Do not ask first."
        )

    def handle(self, *args, **options):
        archive_path = Path(options["archive"])
        if not archive_path.is_file():
            raise CommandError(f"No such backup file: {archive_path}")
        connection = connections[DEFAULT_DB_ALIAS]
        db = connection.settings_dict
        with tempfile.TemporaryDirectory(prefix="kc-restore-") as tmp:
            work = Path(tmp)
            try:
                with tarfile.open(archive_path, "r:gz") as archive:
                    archive.extractall(work, filter="data")
            except (tarfile.TarError, EOFError, OSError) as error:
                raise CommandError(f"{archive_path} is not a readable backup: {error}") from error
            try:
                manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{archive_path} has no valid manifest.json.") from error
            if manifest.get("format") != FORMAT_VERSION:
                raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
            if manifest["database_vendor"] != connection.vendor:
                raise CommandError(
                    f"This backup holds a {manifest['database_vendor']} database; DATABASE_URL "
                    f"points at {connection.vendor}. Restore it into the same kind of database."
                )
            self.stdout.write(
                f"Backup of {manifest_time(manifest)}: "
                + ", ".join(f"{n} {name}" for name, n in manifest["counts"].items())
            )
            if not options["yes"]:
                answer = input(f"Replace the database {db['NAME']} and the media files? [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    raise CommandError("Nothing restored.")

            dump = work / manifest["database_file"]
            connection.close()
            if connection.vendor == "sqlite":
                sqlite_copy(dump, db["NAME"])
            else:
                args, environment = pg_environment(db)
                result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
                    [
                        require_tool("pg_restore"),
                        *args,
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--no-privileges",
                        "--single-transaction",
                        "--dbname",
                        str(db["NAME"]),
                        str(dump),
                    ],
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode:
                    raise CommandError(f"pg_restore failed: {result.stderr.strip()}")

            kept = self._restore_media(work / "media")

        counts = model_counts()
        missing = {
            name: (expected, counts.get(name))
            for name, expected in manifest["counts"].items()
            if counts.get(name) != expected
        }
        if missing:
            raise CommandError(f"Restored, but the row counts differ (expected, found): {missing}")
        message = f"Restored {archive_path}: " + ", ".join(
            f"{n} {name}" for name, n in counts.items()
        )
        if kept:
            message += f". The previous media files are in {kept}"
        self.stdout.write(self.style.SUCCESS(message + "."))

    def _restore_media(self, extracted: Path) -> Path | None:
        """Swap MEDIA_ROOT for the archived one; the old directory is renamed, never deleted."""
        target = media_root()
        if target is None or not extracted.is_dir():
            return None
        kept = None
        if target.exists() and any(target.iterdir()):
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            target.rename(kept)
        elif target.exists():
            target.rmdir()
        target.parent.mkdir(parents=True, exist_ok=True)
        # copytree rather than rename: the temp directory may sit on another filesystem.
        shutil.copytree(extracted, target)
        return kept
