"""Two `manage.py db_worker` processes on one queue: every task runs exactly once.

Runs against a real database in separate processes: a SQLite file (django-tasks-db takes an
EXCLUSIVE transaction to claim a task there) and, when DATABASE_URL points at PostgreSQL, a
fresh PostgreSQL database (SELECT … FOR UPDATE SKIP LOCKED).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.tasks import task

TASKS = 40


@task
def record_run(number: int, directory: str) -> int:
    """Leave one file per run: a task run twice leaves two."""
    time.sleep(0.05)  # long enough for both workers to be busy at once
    name = f"{number}-{os.getpid()}-{uuid.uuid4().hex}"
    with open(os.path.join(directory, name), "x", encoding="utf-8"):  # noqa: PTH123
        pass
    return number


# The queue table alone (a full `migrate` of the project takes far longer than the test).
ENQUEUE = f"""
import sys
from django.db import connection
from django_tasks_db.models import DBTaskResult
from kinocritics.core.tests.test_task_workers import record_run
with connection.schema_editor() as editor:
    editor.create_model(DBTaskResult)
for number in range({TASKS}):
    record_run.enqueue(number, sys.argv[-1])
"""


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }


def _manage(*args, env) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result


def _two_workers_drain_the_queue(database_url: str, runs: Path) -> dict[int, list[str]]:
    env = _env(database_url)
    _manage("shell", "-c", ENQUEUE.replace("sys.argv[-1]", repr(str(runs))), env=env)
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0.05",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=60)
        assert worker.returncode == 0, stderr
    by_task: dict[int, list[str]] = {}
    for path in runs.iterdir():
        number, pid, _ = path.name.split("-")
        by_task.setdefault(int(number), []).append(pid)
    return by_task


def _assert_each_task_ran_once(by_task: dict[int, list[str]]) -> None:
    assert sorted(by_task) == list(range(TASKS))
    twice = {number: pids for number, pids in by_task.items() if len(pids) != 1}
    assert twice == {}, f"tasks run more than once: {twice}"
    workers = {pids[0] for pids in by_task.values()}
    assert len(workers) == 2, "both workers should have taken tasks"


def test_two_workers_on_sqlite_never_run_a_task_twice(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    by_task = _two_workers_drain_the_queue(f"sqlite:///{tmp_path / 'queue.sqlite3'}", runs)
    _assert_each_task_ran_once(by_task)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://… to test SKIP LOCKED claiming",
)
def test_two_workers_on_postgresql_never_run_a_task_twice(tmp_path, django_db_blocker):
    db = connection.settings_dict
    name = f"kc_workers_{uuid.uuid4().hex[:8]}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    runs = tmp_path / "runs"
    runs.mkdir()
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        by_task = _two_workers_drain_the_queue(f"{url}/{name}", runs)
    finally:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _assert_each_task_ran_once(by_task)
