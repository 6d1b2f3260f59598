"""Background work for the task worker. Thin: each task calls a service."""

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from . import sending


@task
def issue_send_task(issue_id: int, scheduled_for: str | None = None) -> dict:
    """Send (or resume) an issue; re-queues itself for retries that are not due yet."""
    from .models import Issue

    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return {"skipped": "issue deleted"}
    rescheduled = issue.scheduled_at is None or issue.scheduled_at.isoformat() != scheduled_for
    if scheduled_for is not None and issue.status == Issue.Status.SCHEDULED and rescheduled:
        # Rescheduled since this task was queued: the task queued for the new time will run.
        return {"skipped": "rescheduled"}
    if issue.status not in (Issue.Status.SCHEDULED, Issue.Status.PREPARING, Issue.Status.SENDING):
        return {"skipped": f"issue is {issue.status}"}
    watchdog_arm()
    result = sending.issue_send_run(issue_id=issue_id)
    if result.next_retry_at and issue_send_task.get_backend().supports_defer:
        issue_send_task.using(run_after=result.next_retry_at).enqueue(issue_id)
    p = result.progress
    return {"status": result.issue.status, "sent": p.sent, "failed": p.failed, "busy": result.busy}


@task
def issues_due_task() -> list[int]:
    """Start scheduled issues whose time has passed and resume sends whose sender died (a worker
    killed mid-send leaves its task marked running forever); re-arms itself while any send runs."""
    from .models import Issue

    started = sending.issues_due()
    for issue_id in started:
        issue_send_task.enqueue(issue_id)
    if Issue.objects.filter(status__in=[Issue.Status.PREPARING, Issue.Status.SENDING]).exists():
        watchdog_arm()
    return started


def watchdog_arm() -> bool:
    """Queue the watchdog one sender lease from now, unless one is waiting already."""
    if not issues_due_task.get_backend().supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=issues_due_task.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    after = timezone.now() + dt.timedelta(seconds=settings.NEWSLETTER_SENDER_LEASE + 30)
    issues_due_task.using(run_after=after).enqueue()
    return True


@task
def signup_mail_task(subscriber_id: int, kind: str) -> str:
    from . import mail
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "subscriber deleted"
    if kind == "confirm":
        message = mail.confirmation_message(subscriber=subscriber)
    else:
        message = mail.already_subscribed_message(subscriber=subscriber)
    message.send()
    return kind
