"""Preferences from the mail without a password: unsubscribe, re-subscribe, export, delete."""

import json

import pytest
from django.utils import timezone

from kinocritics.newsletter import mail
from kinocritics.newsletter.models import Delivery, Subscriber, Suppression

from .factories import SubscriberFactory, issue_make

pytestmark = pytest.mark.django_db


def links(subscriber):
    unsubscribe, preferences = mail.subscriber_links(
        subscriber_id=subscriber.pk, email=subscriber.email
    )
    return unsubscribe.replace("http://testserver", ""), preferences.replace(
        "http://testserver", ""
    )


def test_preferences_page_unsubscribes_and_subscribes_again(client):
    subscriber = SubscriberFactory(email="ria@example.org")
    _, url = links(subscriber)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert "ria@example.org" in html and "You get the free monthly newsletter." in html
    html = client.post(url, {"action": "unsubscribe"}).content.decode()
    assert "You are unsubscribed." in html
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_source) == ("unsubscribed", "preferences")
    html = client.post(url, {"action": "resubscribe"}, REMOTE_ADDR="198.51.100.4").content.decode()
    assert "Welcome back" in html
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.consent_ip) == ("confirmed", "198.51.100.4")


def test_unsubscribe_link_page_then_button(client):
    subscriber = SubscriberFactory(email="ria@example.org")
    url, _ = links(subscriber)
    assert "Unsubscribe" in client.get(url).content.decode()
    assert Subscriber.objects.get().status == "confirmed"
    html = client.post(url).content.decode()
    assert "No more newsletters will go to ria@example.org." in html
    assert "Subscribe again on your preferences page" in html
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribe_source) == ("unsubscribed", "link")


def test_export_holds_everything_we_keep(client):
    subscriber = SubscriberFactory(email="ria@example.org", name="Ria")
    issue = issue_make()
    Delivery.objects.create(
        issue=issue,
        subscriber=subscriber,
        email=subscriber.email,
        batch=0,
        status="sent",
        sent_at=timezone.now(),
        message_id="<x@kinocritics.de>",
    )
    _, url = links(subscriber)
    response = client.get(url + "export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["email"] == "ria@example.org" and data["name"] == "Ria"
    assert data["consent"]["ip"] == "192.0.2.10"
    assert data["consent"]["form_text"].startswith("Yes, send me the free monthly")
    assert data["mails"] == [
        {
            "issue": issue.subject,
            "status": "sent",
            "sent_at": data["mails"][0]["sent_at"],
            "message_id": "<x@kinocritics.de>",
        }
    ]


def test_delete_needs_the_box_then_erases_everything(client):
    subscriber = SubscriberFactory(email="ria@example.org")
    Delivery.objects.create(
        issue=issue_make(), subscriber=subscriber, email=subscriber.email, batch=0
    )
    _, url = links(subscriber)
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 400
    assert "Tick the box to confirm the deletion." in response.content.decode()
    assert Subscriber.objects.exists()
    html = client.post(url, {"action": "delete", "confirm": "on"}).content.decode()
    assert "Your data is erased" in html
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert client.get(url).status_code == 400


def test_suppressed_address_cannot_resubscribe_from_preferences(client):
    subscriber = SubscriberFactory(email="ria@example.org", status="unsubscribed")
    Suppression.objects.create(email="ria@example.org", reason="complaint")
    _, url = links(subscriber)
    response = client.post(url, {"action": "resubscribe"})
    assert response.status_code == 400
    assert "reported as spam" in response.content.decode()
    assert Subscriber.objects.get().status == "unsubscribed"
