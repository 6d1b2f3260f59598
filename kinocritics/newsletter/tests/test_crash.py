"""The crash test: `manage.py newsletter_send` is SIGKILLed in the middle of a 2,000-recipient
send while it waits for the SMTP server's reply, restarted, and every confirmed, unsuppressed
subscriber has received exactly one mail."""

import collections
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RECIPIENTS = 2000


def populate(db_path: Path) -> None:
    """The list and the issue, written straight into the sender's database file."""
    now = "2026-11-25 12:00:00"
    rows = (
        [(f"reader{n:04d}@example.org", "confirmed") for n in range(RECIPIENTS)]
        + [(f"pending{n}@example.org", "pending") for n in range(20)]
        + [(f"left{n}@example.org", "unsubscribed") for n in range(20)]
        + [(f"bounced{n}@example.org", "confirmed") for n in range(30)]
    )
    with contextlib.closing(sqlite3.connect(db_path)) as db, db:
        db.executemany(
            "INSERT INTO newsletter_subscriber (email, name, status, created_at, consent_at,"
            " consent_text_version, confirmed_at, unsubscribe_source)"
            " VALUES (?, '', ?, ?, ?, '2026-11', ?, '')",
            [(email, status, now, now, now) for email, status in rows],
        )
        db.executemany(
            "INSERT INTO newsletter_suppression (email, reason, source, note, created_at)"
            " VALUES (?, 'hard_bounce', 'test', '', ?)",
            [(f"bounced{n}@example.org", now) for n in range(30)],
        )
        issue = db.execute(
            "INSERT INTO newsletter_issue (subject, slug, month, intro, status, recipients,"
            " subject_sent, html_sent, text_sent, sender, last_error, created_at, updated_at)"
            " VALUES ('KinoCritics in November 2026', '2026-11', '2026-11-01', 'Hello.', 'draft',"
            " 0, '', '', '', '', '', ?, ?)",
            (now, now),
        ).lastrowid
        db.execute(
            "INSERT INTO newsletter_issueitem (issue_id, sort_order, section, title, url, meta,"
            " text) VALUES (?, 0, 'review', 'Red Rocket', '/reviews/rr/', '', '')",
            (issue,),
        )


@pytest.fixture
def site_env(tmp_path, smtp_handler, db):
    """A file database for the sender processes. With the SQLite test database its migrated
    schema is copied by VACUUM INTO (much faster than a second `migrate`); otherwise `manage.py
    migrate` builds it."""
    from django.db import connection

    db_path = tmp_path / "db.sqlite3"
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and name.startswith("file:"):
        with contextlib.closing(sqlite3.connect(name, uri=True)) as source:
            source.execute("VACUUM INTO ?", (str(db_path),))
    else:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            timeout=300,
            check=True,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DATABASE_URL": f"sqlite:///{db_path}",
            },
        )
    populate(db_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_handler.port}",
        "SECRET_KEY": "crash-test-not-secret",
        "NEWSLETTER_BATCH_SIZE": "250",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*args):
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    return env, manage, db_path


def test_sigkill_mid_send_then_resume_mails_everyone_exactly_once(site_env, smtp_handler):
    env, manage, db_path = site_env
    smtp_handler.pause_at = 700  # hold back the 700th reply, then the sender is killed
    smtp_handler.pause_seconds = 1.5
    sender = subprocess.Popen(
        [sys.executable, "manage.py", "newsletter_send", "2026-11"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert smtp_handler.paused.wait(60), sender.communicate(timeout=5)[0]
    sender.send_signal(signal.SIGKILL)
    sender.wait(timeout=10)
    assert sender.returncode == -signal.SIGKILL
    time.sleep(smtp_handler.pause_seconds + 0.2)  # the held-back mail is never accepted
    before = len(smtp_handler.received)
    assert before == smtp_handler.pause_at - 1  # every reply that went out was a mail accepted
    # The database agrees with the server: every accepted mail is recorded, the rest queued.
    assert report(db_path) == f"sending [('queued', {RECIPIENTS - before}), ('sent', {before})]"

    smtp_handler.pause_at = None
    result = manage("newsletter_send", "2026-11")
    assert f"{RECIPIENTS} sent, 0 failed" in result.stdout, result.stdout

    counts = collections.Counter(m.to for m in smtp_handler.received)
    expected = {f"reader{n:04d}@example.org" for n in range(RECIPIENTS)}
    assert set(counts) == expected
    assert [a for a, n in counts.items() if n != 1] == []
    assert report(db_path) == f"sent [('sent', {RECIPIENTS})]"


def report(db_path) -> str:
    """The issue's status and delivery counts, read straight from the sender's database."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        (status,) = db.execute("SELECT status FROM newsletter_issue").fetchone()
        counts = db.execute(
            "SELECT status, COUNT(*) FROM newsletter_delivery GROUP BY status ORDER BY status"
        ).fetchall()
    return f"{status} {counts}"
