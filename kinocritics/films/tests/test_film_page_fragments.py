"""The film page's two fragments: each rebuilt only by the change that stales it."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinocritics.cinemas.models import Screening
from kinocritics.cinemas.services import screening_import
from kinocritics.core import fragments
from kinocritics.core.tests.factories import (
    CriticFactory,
    berlinale_2022,
    festival_article,
    programme_write,
    review_publish,
)
from kinocritics.films import film_page

URL = "/films/red-rocket-2021/"


def _tables(queries) -> set[str]:
    """The tables a page read from, by the FROM clause of each query."""
    return {
        q["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for q in queries
        if " FROM " in q["sql"]
    }


def _get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), _tables(queries.captured_queries)


@pytest.mark.django_db
def test_a_film_page_with_both_fragments_good_reads_no_database(
    client, red_rocket, django_assert_num_queries
):
    first, tables = _get(client)
    assert {"films_film", "films_credit", "cinemas_screening"} <= tables
    with django_assert_num_queries(0):
        again = client.get(URL).content.decode()
    assert again == first
    assert "Sean Baker" in again and "Erin Testwriter" in again


@pytest.mark.django_db
def test_a_screening_import_rebuilds_the_showtimes_and_keeps_the_rest(
    client,
    red_rocket,
    hamburg_source,
    django_capture_on_commit_callbacks,
):
    source, path = hamburg_source
    page, _ = _get(client)
    assert "No original-language shows" in page

    programme_write(path, "Red Rocket")
    with django_capture_on_commit_callbacks(execute=True):
        screening_import(source=source)

    page, tables = _get(client)
    assert "Abaton" in page and "No original-language shows" not in page
    assert '"@type":"ScreeningEvent"' in page
    assert "cinemas_screening" in tables
    # Facts, credits and reviews came from the fragment the import left good.
    assert not tables & {"films_film", "films_credit", "wagtailcore_page"}


@pytest.mark.django_db
def test_publishing_a_review_rebuilds_the_facts_and_reviews_and_keeps_the_showtimes(
    client,
    red_rocket,
    hamburg_source,
    django_capture_on_commit_callbacks,
):
    film, _, _ = red_rocket
    source, path = hamburg_source
    programme_write(path, "Red Rocket")
    screening_import(source=source)
    _get(client)

    with django_capture_on_commit_callbacks(execute=True):
        review_publish(
            film=film,
            critic=CriticFactory(name="Nia Newcomer", slug="nia-newcomer"),
            slug="red-rocket-second-look",
            title="Red Rocket, a second look",
            body="<p>On second viewing the motel scenes carry the film.</p>",
        )

    page, tables = _get(client)
    assert "Nia Newcomer" in page and "motel scenes" in page
    assert '"author":{"@type":"Person","name":"Nia Newcomer"' in page  # the Movie's reviews
    assert "Abaton" in page
    assert "films_credit" in tables and "cinemas_screening" not in tables


@pytest.mark.django_db
def test_a_festival_article_about_the_film_rebuilds_its_main_fragment(
    client, red_rocket, django_capture_on_commit_callbacks
):
    film, _, critic = red_rocket
    edition = berlinale_2022()
    assert "At the festivals" not in _get(client)[0]
    with django_capture_on_commit_callbacks(execute=True):
        festival_article(
            film=film,
            critic=critic,
            edition=edition,
            text="Still restless after a second festival screening.",
        )
    page, _ = _get(client)
    assert "At the festivals" in page and "Still restless after a second" in page


@pytest.mark.django_db
def test_the_showtimes_fragment_ends_when_its_first_show_begins(
    client,
    red_rocket,
    hamburg_source,
):
    source, path = hamburg_source
    programme_write(path, "Red Rocket", "Red Rocket")  # 20:00 and 21:00 tomorrow
    screening_import(source=source)
    first, _ = Screening.objects.order_by("start")
    assert ">20:00<" in _get(client)[0]

    later = first.start + dt.timedelta(minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        page, tables = _get(client)
    assert ">20:00<" not in page and ">21:00<" in page
    assert "cinemas_screening" in tables


@pytest.mark.django_db
def test_a_rolled_back_import_keeps_the_fragment(client, red_rocket):
    film, _, _ = red_rocket
    _get(client)
    film_page.shows_changed([film.pk])  # inside the test's transaction, never committed
    _, tables = _get(client)
    assert tables == set()


@pytest.mark.django_db
def test_unknown_films_are_404_and_leave_nothing_in_the_cache(client, db):
    cache.clear()
    assert client.get("/films/no-such-film/").status_code == 404
    assert client.get("/films/no-such-film/").status_code == 404
    assert not [key for key in cache._cache if "frag:" in key]  # no token, no fragment


@pytest.mark.django_db
def test_with_fragments_off_every_request_builds_the_page(client, red_rocket, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    first, _ = _get(client)
    again, tables = _get(client)
    assert again == first
    assert {"films_film", "cinemas_screening"} <= tables


@pytest.mark.django_db
def test_a_fragment_built_before_a_bump_is_never_read_after_it(red_rocket):
    topic = "film-main:red-rocket-2021"
    stale_token = fragments.tokens([topic])[topic]
    fragments.bump([topic])
    # A slow reader that read the token before the bump stores its page afterwards.
    fragments.store(topic, stale_token, {"html": "old"})
    assert fragments.get_many(fragments.tokens([topic])) == {}


@pytest.mark.django_db
def test_a_film_saved_in_the_admin_shows_its_new_facts(
    client, red_rocket, django_capture_on_commit_callbacks
):
    film, _, _ = red_rocket
    assert "130 minutes" in _get(client)[0]
    film.runtime_minutes = 128
    with django_capture_on_commit_callbacks(execute=True):
        film.save()
    page, tables = _get(client)
    assert "128 minutes" in page and "130 minutes" not in page
    assert "films_film" in tables


@pytest.mark.django_db
def test_editors_get_the_page_built_for_them(admin_client, client, red_rocket):
    film, _, _ = red_rocket
    _get(client)
    # A change no signal reports (a direct update): readers keep the fragment for a while...
    type(film).objects.filter(pk=film.pk).update(runtime_minutes=99)
    assert "130 minutes" in _get(client)[0]
    # ...an editor, signed in, sees the page as it is now.
    page, tables = _get(admin_client)
    assert "99 minutes" in page and "films_film" in tables


@pytest.mark.django_db
def test_a_still_whose_file_is_gone_still_gives_a_page(client, red_rocket):
    _, review, _ = red_rocket
    review.still.file.storage.delete(review.still.file.name)
    page, _ = _get(client)
    assert 'alt="Red Rocket still"' in page and "not-found" in page
