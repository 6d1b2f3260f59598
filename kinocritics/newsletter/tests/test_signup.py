"""Readers: sign-up on every page, double opt-in, consent record, polite duplicates, bad input."""

import re

import pytest
from django.core import signing

from kinocritics.newsletter.models import Subscriber, Suppression

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

FORM = {"email": "Reader@Example.org", "name": "Ria", "consent": "on", "consent_version": "2026-11"}


def signup(client, capture, data=None, **extra):
    with capture(execute=True):
        return client.post("/newsletter/", data or FORM, **extra)


def link_in(mail, path: str) -> str:
    return re.search(rf"https?://\S+{path}\S+/", mail.part("text/plain")).group(0)


def test_a_signup_form_is_on_every_page(client, red_rocket):
    for url in ("/", "/reviews/red-rocket-2021/", "/films/red-rocket-2021/", "/about/"):
        html = client.get(url).content.decode()
        assert 'action="/newsletter/"' in html, url
        assert "Subscribe to the free KinoCritics monthly email newsletter" in html
        assert 'name="website"' in html  # the honeypot
        assert "csrfmiddlewaretoken" not in html  # works from a cached page
    html = client.get("/newsletter/").content.decode()
    assert "<h1>The free monthly newsletter</h1>" in html
    assert '<label for="id_email">Your email address</label>' in html


def test_double_opt_in_records_consent_and_confirms_on_the_button(
    client, smtp_server, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert (subscriber.status, subscriber.consent_ip, subscriber.consent_text_version) == (
        "pending",
        "203.0.113.7",
        "2026-11",
    )
    assert subscriber.consent_at is not None

    (mail,) = smtp_server.received
    assert mail.to == "reader@example.org"
    assert mail.message["Subject"] == "Please confirm your KinoCritics newsletter subscription"
    assert mail.message["To"] == "Ria <reader@example.org>"
    url = link_in(mail, "/newsletter/confirm/")
    assert url in mail.part("text/html")

    # Opening the link (or a mail scanner fetching it) does not confirm yet.
    page = client.get(url)
    assert "Yes, send me the newsletter" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "pending"
    page = client.post(url, REMOTE_ADDR="203.0.113.8")
    assert "You are subscribed" in page.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.confirmed_ip) == ("confirmed", "203.0.113.8")


def test_signing_up_again_is_polite_and_leaks_nothing(
    client, smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="known@example.org")
    known = signup(
        client, django_capture_on_commit_callbacks, {**FORM, "email": "KNOWN@example.org"}
    )
    new = signup(client, django_capture_on_commit_callbacks, {**FORM, "email": "new@example.org"})

    def text(response):
        return (
            response.content.decode()
            .replace("KNOWN@example.org", "X")
            .replace("new@example.org", "X")
        )

    assert text(known) == text(new)
    (notice,) = [m for m in smtp_server.received if m.to == "known@example.org"]
    assert notice.message["Subject"] == "You already get the KinoCritics newsletter"
    assert "/newsletter/preferences/" in notice.part("text/plain")
    assert Subscriber.objects.get(email="known@example.org").status == "confirmed"
    # A second sign-up within minutes sends nothing more.
    signup(client, django_capture_on_commit_callbacks, {**FORM, "email": "known@example.org"})
    signup(client, django_capture_on_commit_callbacks, {**FORM, "email": "new@example.org"})
    assert len(smtp_server.received) == 2


def test_suppressed_addresses_get_no_confirmation_mail(
    client, smtp_server, django_capture_on_commit_callbacks
):
    Suppression.objects.create(email="bounced@example.org", reason="hard_bounce")
    response = signup(
        client, django_capture_on_commit_callbacks, {**FORM, "email": "bounced@example.org"}
    )
    assert "Check your inbox" in response.content.decode()
    assert smtp_server.received == []
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Enter a complete email address"),
        ("a@b", "Enter a complete email address"),
        ("", "Enter your email address."),
        ("x" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
        ("eve@example.org\r\nBcc: victim@example.net", "Enter a complete email address"),
    ],
)
def test_invalid_addresses_are_refused_with_a_message(client, email, message):
    response = client.post("/newsletter/", {**FORM, "email": email})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_header_injection_in_the_name_is_refused(client):
    response = client.post("/newsletter/", {**FORM, "name": "Eve\r\nBcc: victim@example.net"})
    assert response.status_code == 400
    assert "Use letters, spaces and hyphens only in your name." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_consent_is_required(client):
    response = client.post("/newsletter/", {k: v for k, v in FORM.items() if k != "consent"})
    assert response.status_code == 400
    assert "Tick the box to agree" in response.content.decode()


def test_honeypot_and_rate_limit(client, smtp_server, django_capture_on_commit_callbacks, settings):
    response = signup(
        client, django_capture_on_commit_callbacks, {**FORM, "website": "http://spam"}
    )
    assert "Check your inbox" in response.content.decode()
    assert not Subscriber.objects.exists()
    settings.NEWSLETTER_SIGNUP_RATE = (3, 600)
    codes = [
        signup(
            client, django_capture_on_commit_callbacks, {**FORM, "email": f"r{n}@example.org"}
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 429, 429]  # the honeypot hit counted as one
    page = client.post("/newsletter/", {**FORM, "email": "r9@example.org"})
    assert "Please wait ten minutes" in page.content.decode()
    assert Subscriber.objects.count() == 2


def test_expired_and_tampered_confirmation_links(
    client, smtp_server, django_capture_on_commit_callbacks, settings
):
    signup(client, django_capture_on_commit_callbacks)
    url = link_in(smtp_server.received[0], "/newsletter/confirm/")
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    response = client.post(tampered)
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    settings.NEWSLETTER_CONFIRM_MAX_AGE = -1
    response = client.post(url)
    assert response.status_code == 400
    assert "This confirmation link has expired." in response.content.decode()
    assert Subscriber.objects.get().status == "pending"
    # A confirmation token is no unsubscribe token, and the reverse.
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 400


def test_only_the_newest_confirmation_link_works(
    client, smtp_server, django_capture_on_commit_callbacks
):
    signup(client, django_capture_on_commit_callbacks)
    old = link_in(smtp_server.received[0], "/newsletter/confirm/")
    Subscriber.objects.update(confirmation_sent_at=None)  # as if ten minutes had passed
    signup(client, django_capture_on_commit_callbacks)
    assert len(smtp_server.received) == 2
    response = client.post(old)
    assert "replaced by a newer one" in response.content.decode()
    new = link_in(smtp_server.received[1], "/newsletter/confirm/")
    assert "You are subscribed" in client.post(new).content.decode()


def test_unsubscribed_reader_can_sign_up_again(
    client, smtp_server, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="back@example.org", status="unsubscribed")
    signup(client, django_capture_on_commit_callbacks, {**FORM, "email": "back@example.org"})
    (mail,) = smtp_server.received
    assert mail.message["Subject"].startswith("Please confirm")
    client.post(link_in(mail, "/newsletter/confirm/"))
    assert Subscriber.objects.get().status == "confirmed"


def test_forged_signature_with_a_valid_shape_is_refused(client):
    subscriber = SubscriberFactory(email="a@example.org")
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt="some-other-salt")
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 400
    assert client.get(f"/newsletter/preferences/{token}/").status_code == 400


def test_behind_a_proxy_the_forwarded_address_is_recorded(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    signup(
        client,
        django_capture_on_commit_callbacks,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert Subscriber.objects.get().consent_ip == "198.51.100.23"


def test_the_footer_form_records_the_consent_text_it_showed(
    client, smtp_server, django_capture_on_commit_callbacks
):
    from kinocritics.newsletter.services import CONSENT_TEXTS

    html = client.get("/about/").content.decode()
    footer = html.split("<footer")[1]
    assert CONSENT_TEXTS["2026-11-short"] in footer
    assert 'name="consent_version" value="2026-11-short"' in footer
    data = {"email": "foot@example.org", "consent": "on", "consent_version": "2026-11-short"}
    signup(client, django_capture_on_commit_callbacks, data)
    assert Subscriber.objects.get().consent_text_version == "2026-11-short"
