"""A backup restored into an empty database has every review, subscriber, screening and image."""

import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from kinocritics.cinemas.models import Cinema, City, Screening, Source
from kinocritics.core.tests.factories import CriticFactory, FilmFactory, review_publish

# Prints what a reader would look for, from whatever database DATABASE_URL names.
INVENTORY = """
import json
from django.apps import apps
from django.db import connection
from kinocritics.reviews.models import ReviewPage
from kinocritics.cinemas.models import Screening
tables = connection.introspection.table_names()
Subscriber = apps.get_model("newsletter", "Subscriber")
print(json.dumps({
    "reviews": sorted(ReviewPage.objects.live().values_list("title", flat=True)),
    "screenings": sorted(
        f"{s.cinema.name} {s.start.isoformat()} {s.title}"
        for s in Screening.objects.select_related("cinema")
    ),
    "subscribers": sorted(Subscriber.objects.values_list("email", flat=True))
    if Subscriber._meta.db_table in tables else None,
}))
"""


def _manage(*args, env: dict, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def content(django_db_serialized_rollback, transactional_db):
    """Reviews with stills, a programme and (when the newsletter has its table) subscribers."""
    critic = CriticFactory(name="Rosa Backup", slug="rosa-backup")
    titles = []
    for n in range(3):
        film = FilmFactory(title=f"Safe Keeping {n}", slug=f"safe-keeping-{n}", year=2020 + n)
        titles.append(review_publish(film=film, critic=critic, body=f"<p>Copy {n}.</p>").title)
    city = City.objects.create(name="Hamburg", slug="hamburg")
    abaton = Cinema.objects.create(name="Abaton", slug="abaton", city=city)
    source = Source.objects.create(name="Abaton", slug="abaton", kind="csv", location="x.csv")
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    for n in range(5):
        Screening.objects.create(
            cinema=abaton,
            source=source,
            start=start + dt.timedelta(hours=n),
            title=f"Safe Keeping {n % 3}",
            raw_title=f"Safe Keeping {n % 3} (OmU)",
            last_seen=start,
        )
    emails = []
    from django.apps import apps

    subscriber = apps.get_model("newsletter", "Subscriber")
    if subscriber._meta.db_table in connection.introspection.table_names():
        emails = [f"reader{n}@example.org" for n in range(4)]
        for email in emails:
            subscriber.objects.create(email=email)
    return {"reviews": sorted(titles), "emails": sorted(emails)}


def _target_database(tmp_path):
    """A new, empty database of the same kind as the test database, and its DATABASE_URL."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    name = f"kc_restore_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"{url}/{name}", name


def test_round_trip_into_an_empty_database_finds_every_row(content, tmp_path, settings):
    media_file = settings.MEDIA_ROOT / "original_images" / "kept.txt"
    media_file.parent.mkdir(parents=True, exist_ok=True)
    media_file.write_text("a still's bytes", encoding="utf-8")
    archive = tmp_path / "kc.tar.gz"

    call_command("backup", output=str(archive))

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "media/original_images/kept.txt" in names
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"]["reviews"] == 3
    assert manifest["counts"]["screenings"] == 5
    if content["emails"]:
        assert manifest["counts"]["subscribers"] == 4

    url, pg_name = _target_database(tmp_path)
    env = {"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "restored-media")}
    try:
        restored = _manage("restore", str(archive), "--no-input", env=env)
        assert restored.returncode == 0, restored.stderr
        assert "Restored" in restored.stdout
        inventory = _manage("shell", "-c", INVENTORY, env=env)
        found = json.loads(inventory.stdout.strip().splitlines()[-1])
    finally:
        if pg_name:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    assert found["reviews"] == content["reviews"]
    assert len(found["screenings"]) == 5
    assert found["screenings"][0].startswith("Abaton ")
    if content["emails"]:
        assert found["subscribers"] == content["emails"]
    restored_file = tmp_path / "restored-media" / "original_images" / "kept.txt"
    assert restored_file.read_text(encoding="utf-8") == "a still's bytes"


def test_restore_keeps_the_old_media_and_asks_first(content, tmp_path, settings):
    archive = tmp_path / "kc.tar.gz"
    call_command("backup", output=str(archive))
    target = tmp_path / "live-media"
    (target / "images").mkdir(parents=True)
    (target / "images" / "newer.jpg").write_bytes(b"newer")
    url, pg_name = _target_database(tmp_path)
    env = {"DATABASE_URL": url, "MEDIA_ROOT": str(target)}
    try:
        refused = _manage("restore", str(archive), env=env, stdin="n\n")
        assert refused.returncode != 0
        assert "Nothing restored" in refused.stderr
        assert (target / "images" / "newer.jpg").exists()
        done = _manage("restore", str(archive), "--no-input", env=env)
        assert done.returncode == 0, done.stderr
    finally:
        if pg_name:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("live-media.before-restore-")]
    assert len(kept) == 1
    assert (kept[0] / "images" / "newer.jpg").read_bytes() == b"newer"
    assert "The previous media files are in" in done.stdout


def test_restore_refuses_files_that_are_not_backups(db, tmp_path):
    junk = tmp_path / "notes.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", str(junk), "--no-input")
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--no-input")
