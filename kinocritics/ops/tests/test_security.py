"""Login throttling, the Content-Security-Policy and upload limits, as people meet them."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kinocritics.ops.services import user_role_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def critic_login(django_user_model):
    user = django_user_model.objects.create_user("clara", "clara@example.org", "right-password")
    user_role_grant(user=user, role="critic")
    return user


def _login(client, password):
    return client.post("/admin/login/", {"username": "clara", "password": password})


def test_sixth_login_is_refused_even_with_the_right_password(client, axes_on, critic_login):
    for _ in range(5):
        response = _login(client, "wrong")
        assert response.status_code in (200, 429)
    response = _login(client, "right-password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in paused" in text
    assert "After 5 wrong passwords in a row for <strong>clara</strong>" in text
    assert "15 minutes" in text
    assert "_auth_user_id" not in client.session
    # The lockout page, like the admin, comes with a Content-Security-Policy.
    assert "Content-Security-Policy" in response.headers


def test_a_good_login_works_and_clears_earlier_failures(client, axes_on, critic_login):
    for _ in range(3):
        assert _login(client, "wrong").status_code == 200
    response = _login(client, "right-password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(critic_login.pk)
    client.logout()
    # Failures were reset by the success: four more wrong ones still do not lock the account.
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-password").status_code == 302


def test_the_lock_is_per_address_not_global(client, axes_on, critic_login):
    for _ in range(5):
        _login(client, "wrong")
    assert _login(client, "right-password").status_code == 429
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert (
        other.post("/admin/login/", {"username": "clara", "password": "right-password"}).status_code
        == 302
    )


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_public_pages_get_the_strict_policy(client, red_rocket):
    film, review, critic = red_rocket
    for url in ("/", film.get_absolute_url(), review.url, "/showtimes/", "/films/?country=x"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'"
        assert all(v == "'self'" or v.startswith("'nonce-") for v in policy["script-src"])
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        # No inline script that would need the nonce (JSON-LD data blocks are not scripts).
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in tag or "src=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=\"", html), url


def test_a_page_served_from_the_page_cache_still_gets_the_policy(client, red_rocket, settings):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get("/")
    second = client.get("/")
    assert second.headers.get("X-Page-Cache") == "HIT", dict(second.headers)
    for response in (first, second):
        assert _policy(response)["script-src"][0] == "'self'"
        assert _policy(response)["frame-ancestors"] == ["'none'"]
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_admin_pages_load_under_the_admin_policy(client, django_user_model, review_index):
    editor = django_user_model.objects.create_user("edda", "edda@example.org", "pw")
    user_role_grant(user=editor, role="editor")
    client.force_login(editor)
    for url in (
        "/admin/",
        f"/admin/pages/{review_index.pk}/",
        f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/",
        "/admin/images/",
        "/admin/snippets/films/film/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        assert "'unsafe-inline'" in policy["script-src"], url
        assert not any(v.startswith("'nonce-") for v in policy["script-src"]), url
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
    login = client.__class__().get("/admin/login/")
    assert login.status_code == 200
    assert "'unsafe-inline'" in _policy(login)["script-src"]


def _editor_client(client, django_user_model):
    editor = django_user_model.objects.create_user("edda", "edda@example.org", "pw")
    user_role_grant(user=editor, role="editor")
    client.force_login(editor)
    return client


def _png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(client, name, content, content_type="image/jpeg"):
    from kinocritics.core.models import CreditedImage

    before = CreditedImage.objects.count()
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Upload attempt",
            "credit": "© Test",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )
    return response, CreditedImage.objects.count() - before


def test_a_text_file_renamed_jpg_is_refused_with_a_message(client, django_user_model):
    client = _editor_client(client, django_user_model)
    response, added = _upload(client, "still.jpg", b"<?php echo 'not an image'; ?>\n" * 20)
    assert added == 0
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode() or (
        "Not a supported image format" in response.content.decode()
    )


def test_an_svg_or_unlisted_type_is_refused(client, django_user_model):
    client = _editor_client(client, django_user_model)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response, added = _upload(client, "still.svg", svg, "image/svg+xml")
    assert added == 0
    assert "Not a supported image format" in response.content.decode()


def test_an_oversized_upload_is_refused_with_a_message(client, django_user_model, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    client = _editor_client(client, django_user_model)
    big = _png((400, 400)) + b"\0" * 4096
    response, added = _upload(client, "big.png", big, "image/png")
    assert added == 0
    assert "This file is too big" in response.content.decode()


def test_an_image_with_too_many_pixels_is_refused(client, django_user_model, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    client = _editor_client(client, django_user_model)
    response, added = _upload(client, "wide.png", _png((100, 100)), "image/png")
    assert added == 0
    assert "too many pixels" in response.content.decode()


def test_a_real_image_uploads(client, django_user_model):
    client = _editor_client(client, django_user_model)
    response, added = _upload(client, "frame.png", _png(), "image/png")
    assert added == 1, response.content.decode()[:2000]
