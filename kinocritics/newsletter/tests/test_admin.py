"""Editors in the Wagtail admin: draft, preview, test mail, send, progress, report, suppressions."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder

from kinocritics.newsletter import sending
from kinocritics.newsletter.models import Delivery, Issue, Subscriber, Suppression

from .factories import SubscriberFactory, issue_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser(
        username="editor", email="editor@kinocritics.de", password="x", first_name="Ed"
    )
    client.force_login(user)
    return user


def test_draft_from_the_admin_opens_the_editor(client, editor):
    page = client.get("/admin/newsletter/")
    assert "Draft a new issue" in page.content.decode()
    response = client.post("/admin/newsletter/", {"month": "2026-11"})
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == AdminURLFinder(editor).get_edit_url(issue)
    edit = client.get(response["Location"]).content.decode()
    assert "Items (drag to reorder)" in edit
    bad = client.post("/admin/newsletter/", {"month": "Nov"})
    assert "Give the month as YYYY-MM" in bad.content.decode()


def test_preview_test_mail_send_and_report(
    client, editor, smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="a@example.org")
    SubscriberFactory(email="b@example.org")
    smtp_server.refuse["b@example.org"] = "550 No such user"
    issue = issue_make()
    url = f"/admin/newsletter/issue/{issue.pk}/"

    html = client.get(f"{url}preview.html").content.decode()
    assert "Red Rocket" in html and 'href="#unsubscribe"' in html
    text = client.get(f"{url}preview.text")
    assert text["Content-Type"].startswith("text/plain")
    assert "Unsubscribe: [unsubscribe link]" in text.content.decode()

    client.post(url, {"action": "test"})
    (test_mail,) = smtp_server.received
    assert test_mail.to == "editor@kinocritics.de"
    assert test_mail.message["Subject"] == "[Test] KinoCritics in November 2026"
    assert not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send_now"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "sent"
    page = client.get(url).content.decode()
    assert "<h2>Report</h2>" in page
    assert '<tr><th scope="row">Sent</th><td>1</td></tr>' in page
    assert '<tr><th scope="row">Failed</th><td>1</td></tr>' in page
    assert "b@example.org" in page and "550 No such user" in page
    # What was sent cannot be edited any more.
    edit = client.get(AdminURLFinder(editor).get_edit_url(issue))
    assert edit.status_code == 302 and edit["Location"] == url


def test_progress_while_sending_refreshes(client, editor):
    SubscriberFactory.create_batch(3)
    issue = issue_make()
    sending.issue_transition(issue_id=issue.pk, to="scheduled", scheduled_at=timezone.now())
    sending.issue_prepare(issue_id=issue.pk)
    Delivery.objects.filter(pk=Delivery.objects.order_by("id").first().pk).update(status="sent")
    page = client.get(f"/admin/newsletter/issue/{issue.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Progress (refreshes every 5 seconds)" in page
    for label, n in (("Queued", 2), ("Sent", 1), ("Failed", 0), ("Remaining", 2)):
        assert f'<tr><th scope="row">{label}</th><td>{n}</td></tr>' in page


def test_schedule_refuses_the_past_and_unschedule(client, editor):
    issue = issue_make()
    url = f"/admin/newsletter/issue/{issue.pk}/"
    page = client.post(url, {"action": "schedule", "at": "2020-01-01T10:00"}, follow=True)
    assert "That time has passed" in page.content.decode()
    later = timezone.localtime() + timezone.timedelta(days=2)
    client.post(url, {"action": "schedule", "at": later.strftime("%Y-%m-%dT%H:%M")})
    issue.refresh_from_db()
    assert issue.status == "scheduled"
    assert sending.issues_due() == []
    assert issue.pk in sending.issues_due(now=later + timezone.timedelta(minutes=1))
    client.post(url, {"action": "unschedule"})
    issue.refresh_from_db()
    assert issue.status == "draft"


def test_suppression_csv_import_reports_bad_rows_by_line(client, editor):
    data = (
        b"email,reason,note\n"
        b"Bounce@Example.org,hard_bounce,from the old list\n"
        b"not-an-address,manual,\n"
        b"angry@example.org,complaint,\n"
        b"x@example.org,spam,\n"
        b"\n"
        b"quiet@example.org,,\n"
    )
    page = client.post(
        "/admin/newsletter/suppressions/import/",
        {"file": SimpleUploadedFile("list.csv", data, content_type="text/csv")},
    ).content.decode()
    assert "3 added, 0 already on the list, 2 rows not imported." in page
    assert "Line 3: “not-an-address” is not a valid email address." in page
    assert "Line 5: unknown reason “spam”" in page
    assert dict(Suppression.objects.values_list("email", "reason")) == {
        "bounce@example.org": "hard_bounce",
        "angry@example.org": "complaint",
        "quiet@example.org": "manual",
    }


def test_staff_export_of_a_subscriber(client, editor):
    subscriber = SubscriberFactory(email="ria@example.org")
    response = client.get(f"/admin/newsletter/subscriber/{subscriber.pk}/export/")
    assert json.loads(response.content)["email"] == "ria@example.org"
    listing = client.get("/admin/snippets/newsletter/subscriber/").content.decode()
    assert "ria@example.org" in listing


def test_provider_bounce_and_complaint_events_feed_the_suppression_list():
    from anymail.signals import AnymailTrackingEvent, tracking

    SubscriberFactory(email="angry@example.org")
    for event_type, address in (
        ("bounced", "Gone@Example.org"),
        ("complained", "angry@example.org"),
        ("opened", "x@example.org"),
    ):
        tracking.send(
            sender=object,
            event=AnymailTrackingEvent(event_type=event_type, recipient=address),
            esp_name="Postmark",
        )
    assert dict(Suppression.objects.values_list("email", "reason")) == {
        "gone@example.org": "hard_bounce",
        "angry@example.org": "complaint",
    }
    assert Subscriber.objects.get(email="angry@example.org").status == "unsubscribed"


def test_mail_to_the_unsubscribe_address_unsubscribes():
    from anymail.inbound import AnymailInboundMessage
    from anymail.signals import AnymailInboundEvent, inbound

    from kinocritics.newsletter.tokens import token_make

    subscriber = SubscriberFactory(email="ria@example.org")
    token = token_make(subscriber=subscriber, purpose="unsubscribe")
    message = AnymailInboundMessage.construct(subject=token, to="unsubscribe@kinocritics.de")
    inbound.send(
        sender=object,
        event=AnymailInboundEvent(event_type="inbound", message=message),
        esp_name="Test",
    )
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_source) == ("unsubscribed", "mailto")


def test_a_real_provider_webhook_suppresses_a_hard_bounce(client, settings):
    import base64

    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    SubscriberFactory(email="gone@example.org")
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": "Gone@example.org",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "BouncedAt": "2026-11-25T10:00:00Z",
    }
    auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()
    response = client.post(
        "/newsletter/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )
    assert response.status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason, suppression.source) == (
        "gone@example.org",
        "hard_bounce",
        "Postmark webhook",
    )
    # Without the shared secret nothing happens.
    Suppression.objects.all().delete()
    response = client.post(
        "/newsletter/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code in (400, 401)
    assert not Suppression.objects.exists()
