"""Sending an issue: the state machine, the recipient snapshot and the crash-safe send loop.

draft → scheduled → preparing → sending → sent | failed. Status changes only happen in
`issue_transition`, under a row lock, so two workers, a command and an editor's click never
race each other into two sends.

Exactly once. Recipients are snapshotted into Delivery rows (one per issue and subscriber,
enforced by a unique constraint) before the first mail goes out. The send loop hands one mail
to the mail server and, as soon as the server has accepted it, commits `status=sent` for that
one row (autocommit, a single UPDATE). A crash before the server's "250 OK" leaves the row
queued and the mail is sent again on resume — correct, the server did not take it. The only
window for a duplicate is between the server's acceptance and that commit: one network round
trip plus one UPDATE, well under a millisecond on a local database. No protocol can close it
completely (the server and the database cannot commit together); each mail keeps the same
Message-ID base, so a resent duplicate is recognisable.

One sender at a time. The sender writes its id ("host:pid:nonce") and a heartbeat on the
issue; another sender may take over only when the heartbeat is older than
NEWSLETTER_SENDER_LEASE or the process is gone from this host.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from . import mail
from .models import Delivery, Issue, Subscriber, Suppression

logger = logging.getLogger(__name__)

S = Issue.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SCHEDULED},
    S.SCHEDULED: {S.DRAFT, S.SCHEDULED, S.PREPARING},
    S.PREPARING: {S.SENDING, S.FAILED},
    S.SENDING: {S.SENT, S.FAILED},
    S.SENT: set(),
    S.FAILED: {S.SENDING},  # "retry the failed addresses"
}
HEARTBEAT_SECONDS = 10


class IssueStateError(Exception):
    """The issue is not in a state that allows this; the message says why."""


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sent: int
    failed_temp: int
    failed_perm: int
    skipped: int

    @property
    def remaining(self) -> int:
        return self.queued + self.failed_temp

    @property
    def failed(self) -> int:
        return self.failed_perm

    @property
    def done(self) -> int:
        return self.total - self.remaining


def issue_progress(*, issue_id: int) -> Progress:
    counts = dict(
        Delivery.objects.filter(issue_id=issue_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Progress(
        total=sum(counts.values()),
        queued=counts.get(Delivery.Status.QUEUED, 0),
        sent=counts.get(Delivery.Status.SENT, 0),
        failed_temp=counts.get(Delivery.Status.FAILED_TEMP, 0),
        failed_perm=counts.get(Delivery.Status.FAILED_PERM, 0),
        skipped=counts.get(Delivery.Status.SKIPPED, 0),
    )


def issue_transition(*, issue_id: int, to: str, **fields) -> Issue:
    """Move an issue to `to` under a row lock, or raise IssueStateError."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        if to not in TRANSITIONS[issue.status]:
            raise IssueStateError(
                f"“{issue}” is {issue.get_status_display().lower()}; it cannot become "
                f"{S(to).label.lower()}."
            )
        issue.status = to
        for name, value in fields.items():
            setattr(issue, name, value)
        issue.save(update_fields=["status", "updated_at", *fields])
    return issue


def issue_check_sendable(issue: Issue) -> None:
    if not issue.subject.strip():
        raise IssueStateError("The issue needs a subject before it can be sent.")
    if not issue.items.exists() and not issue.intro.strip():
        raise IssueStateError("The issue is empty: add an intro or items first.")


def issue_schedule(*, issue: Issue, at: dt.datetime) -> Issue:
    """Schedule the send for `at` (now or later). The task worker starts it then."""
    from .tasks import issue_send_task

    issue_check_sendable(issue)
    issue = issue_transition(issue_id=issue.pk, to=S.SCHEDULED, scheduled_at=at)
    backend = issue_send_task.get_backend()
    if at <= timezone.now() or backend.supports_defer:
        runner = issue_send_task if at <= timezone.now() else issue_send_task.using(run_after=at)
        transaction.on_commit(lambda: runner.enqueue(issue.pk, at.isoformat()))
    return issue


def issue_unschedule(*, issue: Issue) -> Issue:
    return issue_transition(issue_id=issue.pk, to=S.DRAFT, scheduled_at=None)


def _snapshot_sql() -> str:
    d, s, x = (m._meta.db_table for m in (Delivery, Subscriber, Suppression))
    q = connection.ops.quote_name
    # One set-based statement: safe to repeat (ON CONFLICT), all-or-nothing (one transaction).
    # Only table names are formatted in (from the models); values are query parameters.
    return f"""
        INSERT INTO {q(d)} (issue_id, subscriber_id, email, name, batch, status, attempts,
                            last_error, message_id)
        SELECT %s, s.id, s.email, s.name, (ROW_NUMBER() OVER (ORDER BY s.id) - 1) / %s,
               %s, 0, '', ''
        FROM {q(s)} s
        WHERE s.status = %s
          AND NOT EXISTS (SELECT 1 FROM {q(x)} x WHERE x.email = s.email)
        ON CONFLICT (issue_id, subscriber_id) DO NOTHING
    """  # noqa: S608


def issue_prepare(*, issue_id: int) -> Issue:
    """scheduled → preparing → sending: freeze the content and snapshot the recipients."""
    issue = issue_transition(issue_id=issue_id, to=S.PREPARING)
    return _prepare(issue)


def _prepare(issue: Issue) -> Issue:
    rendered = mail.issue_render(issue=issue)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _snapshot_sql(),
                [
                    issue.pk,
                    settings.NEWSLETTER_BATCH_SIZE,
                    Delivery.Status.QUEUED,
                    Subscriber.Status.CONFIRMED,
                ],
            )
        recipients = Delivery.objects.filter(issue_id=issue.pk).count()
        issue = issue_transition(
            issue_id=issue.pk,
            to=S.SENDING,
            recipients=recipients,
            prepared_at=timezone.now(),
            subject_sent=rendered.subject,
            html_sent=rendered.html,
            text_sent=rendered.text,
        )
    return issue


# --- the sender lease


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _owner_alive(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: only the heartbeat can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim(issue_id: int, owner: str) -> bool:
    """Become the issue's sender unless another live sender holds it."""
    now = timezone.now()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue_id)
        free = (
            not issue.sender
            or issue.sender == owner
            or issue.sender_seen_at is None
            or now - issue.sender_seen_at > dt.timedelta(seconds=settings.NEWSLETTER_SENDER_LEASE)
            or not _owner_alive(issue.sender)
        )
        if not free:
            return False
        issue.sender = owner
        issue.sender_seen_at = now
        issue.save(update_fields=["sender", "sender_seen_at"])
    return True


def _heartbeat(issue_id: int, owner: str) -> None:
    Issue.objects.filter(pk=issue_id, sender=owner).update(sender_seen_at=timezone.now())


def _release(issue_id: int, owner: str) -> None:
    Issue.objects.filter(pk=issue_id, sender=owner).update(sender="", sender_seen_at=None)


# --- sending


class _Outcome:
    SENT, TEMP, PERM = "sent", "temp", "perm"


def _classify(error: BaseException) -> tuple[str, str, bool]:
    """(outcome, message, connection broken?) for an exception from the mail backend."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (550, b""))
        message = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
        return (_Outcome.PERM if code >= 500 else _Outcome.TEMP), message, False
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _Outcome.TEMP, f"sender refused: {error.smtp_code} {error.smtp_error!r}", False
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _Outcome.TEMP, f"server disconnected: {error}", True
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        code = error.smtp_code
        return (_Outcome.PERM if code >= 500 else _Outcome.TEMP), f"{code} {text}", code == 421
    try:
        from anymail.exceptions import AnymailError, AnymailRecipientsRefused
    except ImportError:  # pragma: no cover - anymail is installed
        AnymailError = AnymailRecipientsRefused = ()  # noqa: N806
    if AnymailRecipientsRefused and isinstance(error, AnymailRecipientsRefused):
        return _Outcome.PERM, str(error)[:500], False
    if AnymailError and isinstance(error, AnymailError):
        return _Outcome.TEMP, str(error)[:500], False
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return _Outcome.TEMP, f"{type(error).__name__}: {error}", True
    if isinstance(error, (ValueError, UnicodeError)):
        # Django refuses an address it cannot put in an envelope (e.g. non-ASCII local part).
        return _Outcome.PERM, f"address refused before sending: {error}", False
    raise error


def _record_failure(row: dict, outcome: str, message: str) -> None:
    attempts = row["attempts"] + 1
    delays = settings.NEWSLETTER_RETRY_DELAYS
    now = timezone.now()
    if outcome == _Outcome.TEMP and attempts <= len(delays):
        Delivery.objects.filter(pk=row["id"]).update(
            status=Delivery.Status.FAILED_TEMP,
            attempts=attempts,
            last_error=message[:500],
            next_attempt_at=now + dt.timedelta(seconds=delays[attempts - 1]),
        )
        return
    if outcome == _Outcome.TEMP:
        message = f"gave up after {attempts} attempts: {message}"
    Delivery.objects.filter(pk=row["id"]).update(
        status=Delivery.Status.FAILED_PERM,
        attempts=attempts,
        last_error=message[:500],
        next_attempt_at=None,
    )
    if outcome == _Outcome.PERM:
        from .services import suppression_add

        suppression_add(email=row["email"], reason="hard_bounce", source="smtp", note=message)


def _due_rows(issue_id: int, limit: int) -> list[dict]:
    """The next batch: queued rows of the lowest batch number, else retries that are due."""
    base = Delivery.objects.filter(issue_id=issue_id)
    fields = ("id", "subscriber_id", "email", "name", "attempts")
    first = base.filter(status=Delivery.Status.QUEUED).aggregate(b=Min("batch"))["b"]
    if first is not None:
        return list(
            base.filter(status=Delivery.Status.QUEUED, batch=first).order_by("id").values(*fields)
        )
    return list(
        base.filter(status=Delivery.Status.FAILED_TEMP, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values(*fields)[:limit]
    )


def _skip_gone(issue_id: int, rows: list[dict]) -> list[dict]:
    """Drop rows whose subscriber unsubscribed or was suppressed after the snapshot."""
    ids = [r["subscriber_id"] for r in rows]
    still = set(
        Subscriber.objects.filter(pk__in=ids, status=Subscriber.Status.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    suppressed = set(
        Suppression.objects.filter(email__in=[r["email"] for r in rows]).values_list(
            "email", flat=True
        )
    )
    gone = [r["id"] for r in rows if r["subscriber_id"] not in still or r["email"] in suppressed]
    if gone:
        Delivery.objects.filter(pk__in=gone).exclude(status=Delivery.Status.SENT).update(
            status=Delivery.Status.SKIPPED, next_attempt_at=None
        )
    gone_set = set(gone)
    return [r for r in rows if r["id"] not in gone_set]


def _send_rows(
    issue: Issue,
    rendered: mail.RenderedIssue,
    rows: list[dict],
    *,
    owner: str,
    on_sent: Callable[[int], None] | None,
) -> None:
    """Send one batch over one connection, committing each mail's state right after the server
    accepted it."""
    backend = None
    beat = time.monotonic()
    try:
        for index, row in enumerate(rows):
            if backend is None:
                backend = mailers.default
                try:
                    backend.open()
                except Exception as error:  # noqa: BLE001 - classified below
                    _, message, _ = _classify(error)
                    # No server: the rest of the batch waits for the next attempt.
                    for waiting in rows[index:]:
                        _record_failure(waiting, _Outcome.TEMP, f"cannot connect: {message}")
                    backend = None
                    return
            message = mail.issue_message(
                rendered=rendered,
                issue_id=issue.pk,
                delivery_id=row["id"],
                subscriber_id=row["subscriber_id"],
                email=row["email"],
                name=row["name"],
                connection=backend,
            )
            try:
                backend.send_messages([message])
            except Exception as error:  # noqa: BLE001 - classified, unknown errors re-raised
                outcome, text, broken = _classify(error)
                _record_failure(row, outcome, text)
                if broken:
                    _close(backend)
                    backend = None
                continue
            # The server has accepted the mail: record it before anything else happens.
            Delivery.objects.filter(pk=row["id"]).update(
                status=Delivery.Status.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                message_id=message.extra_headers["Message-ID"][:255],
                last_error="",
                next_attempt_at=None,
            )
            if on_sent:
                on_sent(1)
            if time.monotonic() - beat > HEARTBEAT_SECONDS:
                _heartbeat(issue.pk, owner)
                beat = time.monotonic()
    finally:
        if backend is not None:
            _close(backend)


def _close(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - a dead connection may fail to close; nothing to do
        logger.debug("closing the mail connection failed", exc_info=True)


@dataclass
class RunResult:
    issue: Issue
    progress: Progress
    next_retry_at: dt.datetime | None = None
    busy: bool = False  # another sender holds the issue


def issue_send_run(
    *,
    issue_id: int,
    wait_for_retries: bool = False,
    on_sent: Callable[[int], None] | None = None,
    on_start: Callable[[Progress], None] | None = None,
) -> RunResult:
    """Prepare if needed, then send every queued mail; resumes a send that crashed.

    With `wait_for_retries` (the foreground command) it sleeps until retries are due and
    returns when the issue is finished; otherwise it returns when only future retries are left.
    """
    issue = Issue.objects.get(pk=issue_id)
    if issue.status not in (S.SCHEDULED, S.PREPARING, S.SENDING):
        raise IssueStateError(
            f"“{issue}” is {issue.get_status_display().lower()}: schedule it to send it."
        )
    owner = _owner()
    if not _claim(issue_id, owner):
        return RunResult(issue=issue, progress=issue_progress(issue_id=issue_id), busy=True)
    try:
        issue = Issue.objects.get(pk=issue_id)
        if issue.status == S.SCHEDULED:
            issue = issue_prepare(issue_id=issue_id)
        elif issue.status == S.PREPARING:
            issue = _prepare(issue)  # crashed while preparing: the snapshot is repeatable
        if on_start:
            on_start(issue_progress(issue_id=issue_id))
        rendered = mail.RenderedIssue(
            subject=issue.subject_sent, html=issue.html_sent, text=issue.text_sent
        )
        while True:
            rows = _due_rows(issue_id, settings.NEWSLETTER_BATCH_SIZE)
            if rows:
                rows = _skip_gone(issue_id, rows)
                _send_rows(issue, rendered, rows, owner=owner, on_sent=on_sent)
                _heartbeat(issue_id, owner)
                continue
            next_retry = Delivery.objects.filter(
                issue_id=issue_id, status=Delivery.Status.FAILED_TEMP
            ).aggregate(t=Min("next_attempt_at"))["t"]
            if next_retry is None:
                break
            if not wait_for_retries:
                return RunResult(
                    issue=Issue.objects.get(pk=issue_id),
                    progress=issue_progress(issue_id=issue_id),
                    next_retry_at=next_retry,
                )
            time.sleep(max(0.0, min(30.0, (next_retry - timezone.now()).total_seconds())))
            _heartbeat(issue_id, owner)
        progress = issue_progress(issue_id=issue_id)
        final = S.FAILED if progress.total and not progress.sent and progress.failed else S.SENT
        issue = issue_transition(issue_id=issue_id, to=final, finished_at=timezone.now())
        return RunResult(issue=issue, progress=progress)
    finally:
        _release(issue_id, owner)


def issue_retry_failed(*, issue: Issue) -> Issue:
    """Queue the permanently failed addresses of a failed issue once more (e.g. after fixing
    the mail settings)."""
    with transaction.atomic():
        issue = issue_transition(issue_id=issue.pk, to=S.SENDING, finished_at=None)
        Delivery.objects.filter(issue=issue, status=Delivery.Status.FAILED_PERM).update(
            status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=None
        )
    return issue


def issues_due(*, now: dt.datetime | None = None) -> list[int]:
    """Issues that need a sender now: scheduled in the past, or preparing/sending with work due
    and no live sender (its heartbeat is older than the lease)."""
    now = now or timezone.now()
    lease = now - dt.timedelta(seconds=settings.NEWSLETTER_SENDER_LEASE)
    work_due = Q(status=S.PREPARING) | Q(
        Q(deliveries__status=Delivery.Status.QUEUED)
        | Q(
            deliveries__status=Delivery.Status.FAILED_TEMP,
            deliveries__next_attempt_at__lte=now,
        )
    )
    orphaned = (
        Q(status__in=[S.PREPARING, S.SENDING])
        & (Q(sender="") | Q(sender_seen_at__lt=lease))
        & work_due
    )
    return list(
        Issue.objects.filter(Q(status=S.SCHEDULED, scheduled_at__lte=now) | orphaned)
        .values_list("pk", flat=True)
        .distinct()
    )


def issue_send_test(*, issue: Issue, to: str, name: str = "") -> None:
    """Send the issue as it stands to one address (an editor), marked as a test."""
    rendered = mail.issue_render(issue=issue)
    rendered = mail.RenderedIssue(
        subject=f"[Test] {rendered.subject}", html=rendered.html, text=rendered.text
    )
    message = mail.issue_message(
        rendered=rendered,
        issue_id=issue.pk,
        delivery_id=f"test{secrets.token_hex(4)}",
        subscriber_id=0,  # the links in a test mail lead to "not valid" pages, by design
        email=to,
        name=name,
    )
    message.send()
