"""Publishing and importing purge exactly the pages that show the change."""

import pytest
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from kinocritics.cinemas.services import screening_import
from kinocritics.core import purge
from kinocritics.core.tests.factories import (
    CriticFactory,
    FilmFactory,
    berlinale_2022,
    festival_article,
    programme_write,
    review_publish,
)
from kinocritics.festivals.models import ArticlePage

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend cache that writes down what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.FRONTEND_CACHE_WILDCARD = True
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "kinocritics.core.tests.test_purge.RecordingBackend"}
    }
    PURGED.clear()


@pytest.fixture
def other_film(db):
    film = FilmFactory(title="Aftersun", slug="aftersun-2022", year=2022)
    review_publish(
        film=film,
        critic=CriticFactory(name="Ola Other", slug="ola-other"),
        body="<p>A holiday remembered.</p>",
    )
    return film


def _state(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Page-Cache"]


def _warm(client, *urls):
    for url in urls:
        _state(client, url)
        assert _state(client, url) == "HIT", url


@pytest.mark.django_db
def test_publishing_a_review_refreshes_its_film_lists_and_home_only(
    page_cache, client, red_rocket, other_film, django_capture_on_commit_callbacks
):
    film, _, _ = red_rocket
    pages = ["/films/red-rocket-2021/", "/", "/reviews/", "/feeds/reviews/", "/critics/"]
    _warm(client, *pages, "/films/aftersun-2022/", "/films/", "/reviews/?page=1")

    critic = CriticFactory(name="Nia Newcomer", slug="nia-newcomer")
    with django_capture_on_commit_callbacks(execute=True):
        review_publish(
            film=film,
            critic=critic,
            slug="red-rocket-second-look",
            title="Red Rocket, a second look",
            body="<p>On second viewing the motel scenes carry the film.</p>",
        )

    for url in pages:
        assert _state(client, url) == "MISS", url
    assert "Nia Newcomer" in client.get("/reviews/").content.decode()
    assert "Nia Newcomer" in client.get("/films/red-rocket-2021/").content.decode()
    assert _state(client, "/reviews/?page=1") == "MISS"  # query variants go too
    assert _state(client, "/critics/nia-newcomer/") == "MISS"
    # Untouched: another film's page and the film list, which shows no reviews.
    assert _state(client, "/films/aftersun-2022/") == "HIT"
    assert _state(client, "/films/") == "HIT"

    base = "http://testserver"
    assert f"{base}/films/red-rocket-2021/" in PURGED
    assert f"{base}/films/red-rocket-2021/?*" in PURGED
    assert f"{base}/reviews/red-rocket-second-look/" in PURGED
    assert f"{base}/" in PURGED
    assert f"{base}/films/aftersun-2022/" not in PURGED


@pytest.mark.django_db
def test_review_paths_name_the_archives_critic_people_feed_and_sitemap(red_rocket, other_film):
    _, review, _ = red_rocket
    review.refresh_from_db()
    published = timezone.localtime(review.first_published_at)
    paths = purge.review_paths(review)
    assert {
        "/",
        "/reviews/",
        f"/reviews/{published.year}/",
        f"/reviews/{published.year}/{published.month}/",
        f"/reviews/{published.year}/{published.month:02d}/",
        "/reviews/red-rocket-2021/",
        "/films/red-rocket-2021/",
        "/people/sean-baker/",
        "/critics/erin-testwriter/",
        "/critics/",
        "/feeds/reviews/",
        "/sitemap.xml",
        "/sitemap-pages.xml",
    } <= paths
    assert "/films/aftersun-2022/" not in paths
    assert "/films/" not in paths


@pytest.mark.django_db
def test_unpublishing_a_review_refreshes_its_film_page(
    page_cache, client, red_rocket, django_capture_on_commit_callbacks
):
    _, review, _ = red_rocket
    _warm(client, "/films/red-rocket-2021/")
    with django_capture_on_commit_callbacks(execute=True):
        review.unpublish()
    response = client.get("/films/red-rocket-2021/")
    assert response["X-Page-Cache"] == "MISS"
    assert "Mikey comes home" not in response.content.decode()


@pytest.mark.django_db
def test_moving_a_review_to_another_film_refreshes_both_films(
    page_cache, client, red_rocket, other_film, django_capture_on_commit_callbacks
):
    _, review, _ = red_rocket
    third = FilmFactory(title="Tangerine", slug="tangerine-2015", year=2015)
    _warm(client, "/films/red-rocket-2021/", "/films/tangerine-2015/", "/films/aftersun-2022/")
    review.film = third
    with django_capture_on_commit_callbacks(execute=True):
        review.save_revision().publish()
    assert _state(client, "/films/red-rocket-2021/") == "MISS"
    assert _state(client, "/films/tangerine-2015/") == "MISS"
    assert _state(client, "/films/aftersun-2022/") == "HIT"


@pytest.mark.django_db
def test_publishing_an_article_refreshes_its_edition_critics_films_and_lists(
    page_cache, settings, client, red_rocket, other_film, django_capture_on_commit_callbacks
):
    film, _, critic = red_rocket
    edition = berlinale_2022()
    pages = [
        "/articles/",
        "/articles/?kind=festival_report",
        "/festivals/berlinale/2022/",
        "/critics/erin-testwriter/",
        "/films/red-rocket-2021/",
        "/",
    ]
    _warm(client, *pages, "/films/aftersun-2022/")
    settings.PAGE_CACHE_ENABLED = False
    assert "Berlinale diary" not in client.get("/about/").content.decode()  # sidebar list cached
    settings.PAGE_CACHE_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        festival_article(film=film, critic=critic, edition=edition)
    for url in pages:
        assert _state(client, url) == "MISS", url
    assert "Berlinale diary" in client.get("/articles/").content.decode()
    # The sidebar's latest articles, on a page built after the publish (/about/ was not cached).
    assert 'side-articles"><li><a href="/articles/berlinale-diary/">Berlinale diary' in (
        client.get("/about/").content.decode()
    )
    assert _state(client, "/films/aftersun-2022/") == "HIT"
    assert ArticlePage.objects.live().count() == 1


@pytest.mark.django_db
def test_importing_screenings_refreshes_showtimes_cinema_and_the_films_that_changed(
    page_cache, client, red_rocket, other_film, hamburg_source, django_capture_on_commit_callbacks
):
    source, path = hamburg_source
    programme_write(path, "Aftersun")
    with django_capture_on_commit_callbacks(execute=True):
        screening_import(source=source)
    pages = [
        "/showtimes/",
        "/showtimes/?city=hamburg",
        "/cinemas/abaton/",
        "/films/red-rocket-2021/",
    ]
    _warm(client, *pages, "/films/aftersun-2022/")

    programme_write(path, "Aftersun", "Red Rocket")
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        run = screening_import(source=source)
    assert (run.created, run.unchanged) == (1, 1)
    for url in pages:
        assert _state(client, url) == "MISS", url
    assert "Abaton" in client.get("/films/red-rocket-2021/").content.decode()
    assert "Red Rocket" in client.get("/showtimes/").content.decode()
    # Aftersun's show did not change: its page stays cached.
    assert _state(client, "/films/aftersun-2022/") == "HIT"


@pytest.mark.django_db
def test_an_unchanged_programme_purges_nothing(
    page_cache, client, other_film, hamburg_source, django_capture_on_commit_callbacks
):
    source, path = hamburg_source
    programme_write(path, "Aftersun")
    screening_import(source=source)
    _warm(client, "/showtimes/", "/films/aftersun-2022/")
    source.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        screening_import(source=source)
    assert callbacks == []
    assert _state(client, "/showtimes/") == "HIT"


@pytest.mark.django_db
def test_a_rolled_back_publish_purges_nothing(page_cache, client, red_rocket):
    _warm(client, "/films/red-rocket-2021/")
    purge.paths_purge_on_commit({"/films/red-rocket-2021/"})  # never committed in this test
    assert _state(client, "/films/red-rocket-2021/") == "HIT"
    purge.paths_purge({"/films/red-rocket-2021/"})
    assert _state(client, "/films/red-rocket-2021/") == "MISS"


@pytest.mark.django_db
def test_deleting_a_live_review_refreshes_its_film_page(
    page_cache, client, red_rocket, django_capture_on_commit_callbacks
):
    _, review, _ = red_rocket
    _warm(client, "/films/red-rocket-2021/", "/reviews/")
    with django_capture_on_commit_callbacks(execute=True):
        review.delete()
    assert _state(client, "/films/red-rocket-2021/") == "MISS"
    assert "Erin Testwriter" not in client.get("/reviews/").content.decode()


@pytest.mark.django_db
def test_without_wildcards_the_proxy_is_told_each_query_variant_it_may_hold(
    page_cache, settings, client, red_rocket
):
    settings.FRONTEND_CACHE_WILDCARD = False
    PURGED.clear()
    # Readers' filter URLs, as they sent them (the proxy keys on the raw query string); the
    # second is the first reordered: a Django cache HIT that the proxy still stores separately.
    _warm(client, "/showtimes/", "/showtimes/?day=2026-11-26&city=hamburg")
    assert _state(client, "/showtimes/?city=hamburg&day=2026-11-26") == "HIT"
    purge.paths_purge({"/showtimes/"})
    base = settings.SITE_URL.rstrip("/")
    assert sorted(PURGED) == [
        f"{base}/showtimes/",
        f"{base}/showtimes/?city=hamburg&day=2026-11-26",
        f"{base}/showtimes/?day=2026-11-26&city=hamburg",
    ]
    # The purge forgets the variants: the next purge names only what was served since.
    PURGED.clear()
    _warm(client, "/showtimes/?city=berlin")
    purge.paths_purge({"/showtimes/"})
    assert sorted(PURGED) == [f"{base}/showtimes/", f"{base}/showtimes/?city=berlin"]
