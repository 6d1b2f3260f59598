"""Anonymous readers get stored pages with validators; editors and per-reader pages never do."""

import uuid

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from config import urls as site_urls

# --- a few extra views for this module only (pytest.mark.urls points here)
CALLS = {"counter": 0}


def set_cookie_view(request):
    response = HttpResponse("<p>Welcome back</p>")
    response.set_cookie("seen", "yes")
    return response


def form_view(request):
    template = engines["django"].from_string(
        "<form method='post'>{% csrf_token %}<button>Send</button></form>"
    )
    return HttpResponse(template.render({}, request))


def counter_view(request):
    CALLS["counter"] += 1
    return HttpResponse(f"<p>Rendered {CALLS['counter']} times</p>")


urlpatterns = [
    path("test-cookie/", set_cookie_view),
    path("test-form/", form_view),
    path("test-counter/", counter_view),
    path("", include(site_urls)),
]


class RequestIdMiddleware:
    """Stands in for the request-id / CSP middleware further out in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers["X-Request-ID"] = uuid.uuid4().hex
        return response


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_MAX_AGE = 60
    settings.PAGE_CACHE_S_MAXAGE = 600
    settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 30
    CALLS["counter"] = 0
    return settings


pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_second_reader_gets_the_stored_film_page_without_queries(
    page_cache, client, red_rocket, django_assert_num_queries
):
    first = client.get("/films/red-rocket-2021/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get("/films/red-rocket-2021/")
    assert second["X-Page-Cache"] == "HIT"
    assert "Mikey comes home to Texas City" in second.content.decode()
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"].startswith("text/html")


def test_cache_control_suits_a_cdn(page_cache, client, red_rocket):
    response = client.get("/films/red-rocket-2021/")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {
        "public",
        "max-age=60",
        "s-maxage=600",
        "stale-while-revalidate=30",
    }
    assert response["Last-Modified"].endswith("GMT")


def test_conditional_get_answers_304(page_cache, client, red_rocket, django_assert_num_queries):
    first = client.get("/films/red-rocket-2021/")
    with django_assert_num_queries(0):
        by_etag = client.get("/films/red-rocket-2021/", headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(
        "/films/red-rocket-2021/", headers={"if-modified-since": first["Last-Modified"]}
    )
    assert by_date.status_code == 304
    stale = client.get("/films/red-rocket-2021/", headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200
    assert b"Red Rocket" in stale.content


def test_the_first_reader_also_gets_304_for_a_matching_etag(page_cache, client, red_rocket):
    etag = client.get("/films/red-rocket-2021/")["ETag"]
    from django.core.cache import cache

    cache.clear()  # the next request renders again: same body, same ETag
    response = client.get("/films/red-rocket-2021/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["X-Page-Cache"] == "MISS"


def test_logged_in_editors_never_get_stored_pages(
    page_cache, client, red_rocket, django_user_model
):
    client.get("/films/red-rocket-2021/")
    assert client.get("/films/red-rocket-2021/")["X-Page-Cache"] == "HIT"
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    for _ in range(2):
        response = client.get("/films/red-rocket-2021/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "ETag" not in response
        assert "private" in response["Cache-Control"]


def test_editor_pages_are_not_stored_for_readers(page_cache, client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    client.get("/test-counter/")
    client.logout()
    client.cookies.clear()
    assert client.get("/test-counter/")["X-Page-Cache"] == "MISS"
    assert CALLS["counter"] == 2


def test_responses_that_set_cookies_are_not_stored(page_cache, client):
    for _ in range(2):
        response = client.get("/test-cookie/")
        assert response.cookies["seen"].value == "yes"
        assert "X-Page-Cache" not in response
        client.cookies.clear()


def test_pages_with_a_csrf_token_are_not_stored(page_cache, client):
    first = client.get("/test-form/")
    client.cookies.clear()
    second = client.get("/test-form/")
    assert "X-Page-Cache" not in second
    assert "csrftoken" in second.cookies
    assert first.content != second.content  # each reader gets their own token


def test_post_is_never_served_from_the_cache(page_cache, client):
    client.get("/test-counter/")
    client.post("/test-counter/")
    client.post("/test-counter/")
    assert CALLS["counter"] == 3
    assert client.get("/test-counter/")["X-Page-Cache"] == "HIT"


def test_admin_is_never_stored(page_cache, client):
    client.get("/admin/login/")
    client.cookies.clear()
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_query_order_and_tracking_parameters_share_one_entry(page_cache, client):
    assert client.get("/test-counter/?b=2&a=1")["X-Page-Cache"] == "MISS"
    assert client.get("/test-counter/?a=1&b=2")["X-Page-Cache"] == "HIT"
    assert client.get("/test-counter/?a=1&b=2&utm_source=x&fbclid=abc")["X-Page-Cache"] == "HIT"
    assert client.get("/test-counter/?a=1")["X-Page-Cache"] == "MISS"
    assert client.get("/test-counter/?a=1", headers={"host": "localhost"})["X-Page-Cache"] == "MISS"
    assert CALLS["counter"] == 3


def test_permanent_redirects_are_stored(page_cache, client, red_rocket, django_assert_num_queries):
    first = client.get("/film_review.php?f=2101")
    assert first.status_code == 301
    with django_assert_num_queries(0):
        second = client.get("/film_review.php?f=2101")
    assert second.status_code == 301
    assert second["Location"] == first["Location"]
    assert second["X-Page-Cache"] == "HIT"


def test_headers_of_outer_middleware_are_not_frozen(page_cache, client, settings):
    settings.MIDDLEWARE = [
        "kinocritics.core.tests.test_pagecache.RequestIdMiddleware",
        *settings.MIDDLEWARE,
    ]
    first = client.get("/test-counter/")
    second = client.get("/test-counter/")
    assert second["X-Page-Cache"] == "HIT"
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_csp_header_is_added_to_stored_pages(page_cache, client, settings):
    settings.MIDDLEWARE = [
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        *settings.MIDDLEWARE,
    ]
    settings.SECURE_CSP = {"default-src": ["'self'"]}
    client.get("/test-counter/")
    settings.SECURE_CSP = {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}
    hit = client.get("/test-counter/")
    assert hit["X-Page-Cache"] == "HIT"
    assert hit["Content-Security-Policy"] == "default-src 'self'; img-src 'self' data:"


def test_disabled_cache_renders_every_time(settings, client):
    settings.PAGE_CACHE_ENABLED = False
    CALLS["counter"] = 0
    client.get("/test-counter/")
    response = client.get("/test-counter/")
    assert CALLS["counter"] == 2
    assert "X-Page-Cache" not in response


def test_a_purge_during_rendering_leaves_no_stale_entry(page_cache, client, monkeypatch):
    """The page read old data, then the publish purged it: that render must not be served."""
    from kinocritics.core import pagecache

    def purging_view(request):
        response = counter_view(request)
        pagecache.purge_paths(["/test-counter/"])  # the publish commits while we render
        return response

    monkeypatch.setitem(CALLS, "counter", 0)
    monkeypatch.setattr(urlpatterns[2], "callback", purging_view)  # /test-counter/
    assert client.get("/test-counter/")["X-Page-Cache"] == "MISS"
    assert client.get("/test-counter/")["X-Page-Cache"] == "MISS"
