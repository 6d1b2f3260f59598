"""Send (or resume) an issue in the foreground with a progress bar.

manage.py newsletter_send 2026-11        # by slug or id; schedules a draft for now
manage.py newsletter_send 12 --no-wait   # do not sleep for retries that are not due yet
manage.py newsletter_send --due          # start scheduled issues whose time has come
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinocritics.newsletter import sending
from kinocritics.newsletter.models import Issue


class Bar:
    def __init__(self, stream, total: int, done: int):
        self.stream, self.total, self.done = stream, total, done
        self.started = time.monotonic()
        self.shown = 0.0
        self.tty = stream.isatty()

    def add(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown >= (0.2 if self.tty else 5) or self.done >= self.total:
            self.shown = now
            self.draw()

    def draw(self) -> None:
        width = 30
        share = self.done / self.total if self.total else 1
        rate = self.done / max(0.001, time.monotonic() - self.started)
        line = f"[{'#' * int(width * share):<{width}}] {self.done}/{self.total} {rate:,.0f}/s"
        self.stream.write(("\r" if self.tty else "") + line + ("" if self.tty else "\n"))
        self.stream.flush()


class Command(BaseCommand):
    help = "Send or resume a newsletter issue in the foreground, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("issue", nargs="?", help="The issue's slug (2026-11) or id.")
        parser.add_argument("--no-wait", action="store_true", help="Do not wait for retries.")
        parser.add_argument("--due", action="store_true", help="Send every issue that is due.")

    def handle(self, *args, issue=None, no_wait=False, due=False, **options):
        if due:
            ids = sending.issues_due()
            if not ids:
                self.stdout.write("Nothing is due.")
            for issue_id in ids:
                self._send(Issue.objects.get(pk=issue_id), wait=not no_wait)
            return
        if not issue:
            raise CommandError("Name an issue (slug or id), or use --due.")
        found = Issue.objects.filter(slug=issue).first()
        if found is None and issue.isdigit():
            found = Issue.objects.filter(pk=int(issue)).first()
        if found is None:
            raise CommandError(f"No issue “{issue}”. Issues: {self._list()}")
        self._send(found, wait=not no_wait)

    def _list(self) -> str:
        return ", ".join(f"{i.slug} ({i.status})" for i in Issue.objects.all()[:10]) or "none"

    def _send(self, issue: Issue, *, wait: bool) -> None:
        try:
            if issue.status == Issue.Status.DRAFT:
                sending.issue_check_sendable(issue)
                issue = sending.issue_transition(
                    issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
                )
            elif issue.status == Issue.Status.SCHEDULED and issue.scheduled_at > timezone.now():
                self.stdout.write(f"“{issue}” was scheduled for {issue.scheduled_at}; sending now.")
            bar: list[Bar] = []

            def on_start(progress):
                self.stdout.write(
                    f"Sending “{issue}”: {progress.total} recipients, {progress.sent} sent before."
                )
                bar.append(Bar(sys.stdout, progress.total, progress.done))

            result = sending.issue_send_run(
                issue_id=issue.pk,
                wait_for_retries=wait,
                on_start=on_start,
                on_sent=lambda n: bar[0].add(n) if bar else None,
            )
        except sending.IssueStateError as error:
            raise CommandError(str(error)) from None
        if bar and bar[0].tty:
            self.stdout.write("")
        p = result.progress
        if result.busy:
            raise CommandError(f"Another sender is working on “{issue}” right now.")
        self.stdout.write(
            f"{result.issue.get_status_display()}: {p.sent} sent, {p.failed} failed, "
            f"{p.skipped} skipped, {p.remaining} remaining of {p.total}."
        )
        if result.next_retry_at:
            self.stdout.write(f"Next retry due at {result.next_retry_at:%Y-%m-%d %H:%M:%S}.")
