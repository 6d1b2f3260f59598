"""Background work for the task worker: regular programme imports."""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from . import services

IMPORT_INTERVAL = dt.timedelta(hours=1)


@task
def screenings_import_all_task() -> list[str]:
    """Import every active source, then schedule the next run."""
    runs = services.screening_import_all()
    schedule_next_import(after=timezone.now() + IMPORT_INTERVAL)
    return [str(run) for run in runs]


@task
def screening_import_task(source_id: int) -> str:
    from .models import Source

    source = Source.objects.get(pk=source_id)
    return str(services.screening_import(source=source))


def schedule_next_import(*, after: dt.datetime) -> bool:
    """Queue the next hourly import unless one is already waiting; True when one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=screenings_import_all_task.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    screenings_import_all_task.using(run_after=after).enqueue()
    return True
