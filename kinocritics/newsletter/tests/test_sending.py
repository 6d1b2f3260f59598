"""Sending an issue to a real SMTP server on loopback."""

import re

import pytest
from django.core import signing
from django.utils import timezone

from kinocritics.newsletter import sending
from kinocritics.newsletter.models import Delivery, Issue, Subscriber, Suppression

from .factories import SubscriberFactory, issue_make

pytestmark = pytest.mark.django_db


def send_now(issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sending.issue_schedule(issue=issue, at=timezone.now())
    issue.refresh_from_db()
    return issue


def test_issue_reaches_confirmed_unsuppressed_subscribers_with_rfc8058_headers(
    smtp_server, django_capture_on_commit_callbacks, client
):
    anna = SubscriberFactory(email="anna@example.org", name="Anna")
    SubscriberFactory(email="ben@example.org")
    SubscriberFactory(email="pending@example.org", status=Subscriber.Status.PENDING)
    SubscriberFactory(email="gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    SubscriberFactory(email="bounced@example.org")
    Suppression.objects.create(email="bounced@example.org", reason="hard_bounce")
    issue = send_now(issue_make(), django_capture_on_commit_callbacks)

    assert issue.status == Issue.Status.SENT
    assert sorted(m.to for m in smtp_server.received) == ["anna@example.org", "ben@example.org"]
    mail = next(m for m in smtp_server.received if m.to == "anna@example.org")
    headers = mail.message
    assert headers["Subject"] == "KinoCritics in November 2026"
    assert headers["To"] == "Anna <anna@example.org>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == "KinoCritics monthly <monthly.kinocritics.de>"
    assert re.fullmatch(
        rf"<\d+\.\d+\.\d+\.nl{issue.pk}\.\d+@kinocritics\.de>",
        headers["Message-ID"],
    ), headers["Message-ID"]
    assert headers["Date"]
    unsubscribe = str(headers["List-Unsubscribe"])
    https, mailto = re.fullmatch(r"<(https?://[^>]+)>, <(mailto:[^>]+)>", unsubscribe).groups()
    assert https.startswith("http://testserver/newsletter/unsubscribe/")
    token = https.rstrip("/").rsplit("/", 1)[1]
    assert mailto == f"mailto:unsubscribe@kinocritics.de?subject={token}"

    html = mail.part("text/html")
    text = mail.part("text/plain")
    assert "Red Rocket" in html and "Red Rocket" in text
    assert "http://testserver/reviews/red-rocket-2021/" in text
    assert 'style="' in html and "<style" not in html  # CSS inlined
    assert https in html and https in text  # the visible unsubscribe link
    assert "Winter is here" in text and "OPENING IN GERMANY" in text

    # The one-click POST from the mail client unsubscribes Anna at once.
    response = client.post(https, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    anna.refresh_from_db()
    assert anna.status == Subscriber.Status.UNSUBSCRIBED
    assert anna.unsubscribe_source == "one-click"

    delivery = Delivery.objects.get(issue=issue, email="anna@example.org")
    assert delivery.status == Delivery.Status.SENT
    assert delivery.message_id == headers["Message-ID"]
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_unsubscribe_token_cannot_be_forged_or_used_for_another_address(
    smtp_server, django_capture_on_commit_callbacks, client
):
    anna = SubscriberFactory(email="anna@example.org")
    ben = SubscriberFactory(email="ben@example.org")
    send_now(issue_make(), django_capture_on_commit_callbacks)
    mail = next(m for m in smtp_server.received if m.to == "anna@example.org")
    url = re.search(r"<(https?://[^>]+)>", str(mail.message["List-Unsubscribe"])).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]

    # Swap Ben's id and address into the signed payload: the signature no longer matches.
    value, _, signature = token.rpartition(":")
    payload, _, stamp = value.rpartition(":")
    forged_payload = signing.b64_encode(f'{{"s":{ben.pk},"e":"ben@example.org"}}'.encode()).decode()
    forged = f"{forged_payload}:{stamp}:{signature}"
    response = client.post(f"/newsletter/unsubscribe/{forged}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    # A tampered character, and a token made for the preferences page, fail too.
    assert client.post(f"/newsletter/unsubscribe/{token[:-2]}xx/").status_code == 400
    ben.refresh_from_db()
    assert ben.status == Subscriber.Status.CONFIRMED

    # A GET (a person or a link scanner) shows a button and does not unsubscribe.
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "Stop sending the KinoCritics newsletter to anna@example.org?" in response.content.decode()
    )
    anna.refresh_from_db()
    assert anna.status == Subscriber.Status.CONFIRMED
    # Deleting Anna's data kills her token even though its signature is valid.
    anna.delete()
    assert client.post(url).status_code == 400


def test_header_injection_in_a_name_adds_no_header_and_no_recipient(
    smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="eve@example.org", name="Eve\r\nBcc: victim@example.net")
    issue = issue_make(subject="November\r\nBcc: victim@example.net")
    send_now(issue, django_capture_on_commit_callbacks)
    assert len(smtp_server.received) == 1
    mail = smtp_server.received[0]
    assert mail.rcpt_tos == ["eve@example.org"]
    assert mail.message["Bcc"] is None
    assert mail.message["Subject"] == "November Bcc: victim@example.net"  # one harmless line
    assert mail.message["To"] == '"Eve Bcc: victim@example.net" <eve@example.org>'


def test_django_refuses_newlines_in_headers():
    from django.core.mail import EmailMessage

    message = EmailMessage(subject="Hi\nBcc: x@example.net", body="b", to=["a@example.org"])
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message.message()


def test_permanent_failures_are_recorded_and_suppressed_temporary_ones_retried(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.NEWSLETTER_RETRY_DELAYS = [0, 0]
    SubscriberFactory(email="ok@example.org")
    SubscriberFactory(email="nobody@example.org")
    SubscriberFactory(email="busy@example.org")
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 No such user"
    smtp_server.refuse_once["busy@example.org"] = "451 4.7.1 Try again later"
    issue = send_now(issue_make(), django_capture_on_commit_callbacks)

    assert issue.status == Issue.Status.SENT
    assert sorted(m.to for m in smtp_server.received) == ["busy@example.org", "ok@example.org"]
    failed = Delivery.objects.get(issue=issue, email="nobody@example.org")
    assert failed.status == Delivery.Status.FAILED_PERM
    assert "550" in failed.last_error and "No such user" in failed.last_error
    assert Suppression.objects.get(email="nobody@example.org").reason == "hard_bounce"
    busy = Delivery.objects.get(issue=issue, email="busy@example.org")
    assert (busy.status, busy.attempts) == (Delivery.Status.SENT, 2)
    progress = sending.issue_progress(issue_id=issue.pk)
    assert (progress.sent, progress.failed, progress.remaining) == (2, 1, 0)


def test_temporary_failures_wait_with_backoff_then_give_up(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.NEWSLETTER_RETRY_DELAYS = [60]
    SubscriberFactory(email="busy@example.org")
    smtp_server.refuse["busy@example.org"] = "451 4.7.1 Try again later"
    issue = send_now(issue_make(), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(issue=issue)
    assert issue.status == Issue.Status.SENDING
    assert delivery.status == Delivery.Status.FAILED_TEMP
    assert 55 < (delivery.next_attempt_at - timezone.now()).total_seconds() <= 60
    # Not due yet: a second run sends nothing.
    assert sending.issue_send_run(issue_id=issue.pk).next_retry_at is not None
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    result = sending.issue_send_run(issue_id=issue.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED_PERM
    assert delivery.last_error.startswith("gave up after 2 attempts: 451")
    assert result.issue.status == Issue.Status.FAILED
    assert smtp_server.received == []


def test_unreachable_server_is_a_temporary_failure(django_capture_on_commit_callbacks, settings):
    from .conftest import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    SubscriberFactory(email="ok@example.org")
    issue = send_now(issue_make(), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(issue=issue)
    assert delivery.status == Delivery.Status.FAILED_TEMP
    assert "cannot connect" in delivery.last_error


def test_a_resumed_send_mails_nobody_twice(smtp_server, django_capture_on_commit_callbacks):
    for n in range(5):
        SubscriberFactory(email=f"r{n}@example.org")
    issue = issue_make()
    sending.issue_transition(
        issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    sending.issue_prepare(issue_id=issue.pk)
    # Two were sent before a crash; the rest are queued.
    first = list(Delivery.objects.filter(issue=issue).order_by("id")[:2])
    Delivery.objects.filter(pk__in=[d.pk for d in first]).update(status=Delivery.Status.SENT)
    # A subscriber who unsubscribed after the snapshot is skipped.
    Subscriber.objects.filter(email="r4@example.org").update(status=Subscriber.Status.UNSUBSCRIBED)
    result = sending.issue_send_run(issue_id=issue.pk)
    assert result.issue.status == Issue.Status.SENT
    assert sorted(m.to for m in smtp_server.received) == ["r2@example.org", "r3@example.org"]
    assert result.progress.skipped == 1
    # Running again sends nothing more and refuses cleanly.
    with pytest.raises(sending.IssueStateError, match="sent"):
        sending.issue_send_run(issue_id=issue.pk)


def test_status_changes_only_along_the_state_machine():
    issue = issue_make()
    with pytest.raises(sending.IssueStateError, match="cannot become sending"):
        sending.issue_transition(issue_id=issue.pk, to=Issue.Status.SENDING)
    with pytest.raises(sending.IssueStateError, match="cannot become sent"):
        sending.issue_transition(issue_id=issue.pk, to=Issue.Status.SENT)
    sending.issue_transition(
        issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    sending.issue_unschedule(issue=issue)
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT


def test_a_live_sender_blocks_a_second_one():
    SubscriberFactory()
    issue = issue_make()
    sending.issue_transition(
        issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    sending.issue_prepare(issue_id=issue.pk)
    import os
    import socket

    Issue.objects.filter(pk=issue.pk).update(
        sender=f"{socket.gethostname()}:{os.getppid()}:abcd", sender_seen_at=timezone.now()
    )
    result = sending.issue_send_run(issue_id=issue.pk)
    assert result.busy
    assert Delivery.objects.get(issue=issue).status == Delivery.Status.QUEUED


def test_snapshot_batches_and_is_repeatable(settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    SubscriberFactory.create_batch(7)
    issue = issue_make()
    sending.issue_transition(
        issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    issue = sending.issue_prepare(issue_id=issue.pk)
    assert issue.recipients == 7
    batches = list(
        Delivery.objects.filter(issue=issue).order_by("id").values_list("batch", flat=True)
    )
    assert batches == [0, 0, 0, 1, 1, 1, 2]
    # Preparing again (a crash while preparing) adds nobody twice.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PREPARING)
    sending._prepare(Issue.objects.get(pk=issue.pk))
    assert Delivery.objects.filter(issue=issue).count() == 7


def test_orphaned_sends_are_found_for_the_watchdog():
    SubscriberFactory.create_batch(2)
    issue = issue_make()
    sending.issue_transition(
        issue_id=issue.pk, to=Issue.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    assert sending.issues_due() == [issue.pk]
    sending.issue_prepare(issue_id=issue.pk)
    # A sender that stopped beating its heart long ago: the send is orphaned.
    stale = timezone.now() - timezone.timedelta(hours=1)
    Issue.objects.filter(pk=issue.pk).update(sender="elsewhere:1:ab", sender_seen_at=stale)
    assert sending.issues_due() == [issue.pk]
    # A live sender, or only retries that are not due yet: nothing to do.
    Issue.objects.filter(pk=issue.pk).update(sender_seen_at=timezone.now())
    assert sending.issues_due() == []
    Issue.objects.filter(pk=issue.pk).update(sender="")
    Delivery.objects.update(
        status="failed_temp", next_attempt_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    assert sending.issues_due() == []


def test_an_address_django_cannot_send_to_fails_alone(
    smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="ok@example.org")
    SubscriberFactory(email="jürgen@example.org")  # non-ASCII local part: no SMTPUTF8 here
    issue = send_now(issue_make(), django_capture_on_commit_callbacks)
    assert issue.status == Issue.Status.SENT
    assert [m.to for m in smtp_server.received] == ["ok@example.org"]
    failed = Delivery.objects.get(email="jürgen@example.org")
    assert failed.status == Delivery.Status.FAILED_PERM
    assert failed.last_error.startswith("address refused before sending")
