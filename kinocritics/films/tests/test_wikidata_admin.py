"""Admin: "Fetch facts from Wikidata" shows a diff; the editor accepts field by field."""

import datetime as dt
import re
from html import unescape

import httpx
import pytest

from kinocritics.core.tests.factories import FilmFactory
from kinocritics.films import wikidata
from kinocritics.films.models import Film
from kinocritics.films.tests.wikidata import Recorded

URL = "/admin/films/wikidata/{}/"


def text(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def lives(db):
    return FilmFactory(
        title="Das Leben der Anderen", slug="das-leben-der-anderen", wikidata_id="Q153882",
        runtime_minutes=137,
    )  # fmt: skip


@pytest.fixture
def serve(monkeypatch):
    def install(handler):
        monkeypatch.setattr(
            wikidata,
            "client_from_settings",
            lambda: wikidata.WikidataClient(transport=httpx.MockTransport(handler), min_interval=0),
        )

    install(Recorded())
    return install


@pytest.mark.django_db
def test_film_editor_and_listing_offer_the_fetch(admin_client, lives, serve):
    edit = admin_client.get(f"/admin/snippets/films/film/edit/{lives.pk}/").content.decode()
    assert f'href="{URL.format(lives.pk)}"' in edit and "Fetch facts from Wikidata" in edit
    listing = admin_client.get("/admin/snippets/films/film/").content.decode()
    assert "Fetch facts from Wikidata" in listing


@pytest.mark.django_db
def test_diff_lists_each_change_with_a_checkbox(admin_client, lives, serve):
    response = admin_client.get(URL.format(lives.pk))
    assert response.status_code == 200
    page = text(response)
    html = response.content.decode()
    assert "German opening date" in page and "23 Mar 2006 (Thursday)" in page
    assert "Principal actors (billing order)" in page
    assert "Ulrich Mühe, Martina Gedeck, Sebastian Koch, Ulrich Tukur" in page
    assert "Length (minutes)" not in page  # already right
    assert (
        '<input type="checkbox" name="fields" value="german_opening" '
        'id="accept-german_opening" checked>' in html
    )
    assert '<label for="accept-cast">' in html


@pytest.mark.django_db
def test_accepting_some_fields_changes_only_those(admin_client, lives, serve):
    response = admin_client.post(URL.format(lives.pk), {"fields": ["german_opening", "cast"]})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/snippets/films/film/edit/{lives.pk}/"
    film = Film.objects.get(pk=lives.pk)
    assert film.german_opening == dt.date(2006, 3, 23)
    assert film.imdb_id is None and film.original_title == ""
    assert film.credits.filter(role="actor").count() == 4
    assert not film.credits.filter(role="director").exists()
    page = text(admin_client.get(response["Location"]))
    assert (
        "Accepted from Wikidata for “Das Leben der Anderen”: German opening date, Principal actors"
        in page
    )


@pytest.mark.django_db
def test_posting_nothing_changes_nothing(admin_client, lives, serve):
    page = text(admin_client.post(URL.format(lives.pk), {}))
    assert "Nothing was changed: tick the fields you want to accept." in page
    assert Film.objects.get(pk=lives.pk).german_opening is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("network unreachable")),
         "Could not reach Wikidata (ConnectError: network unreachable)"),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("read timed out")),
         "Wikidata did not answer within"),
        (lambda r: httpx.Response(200, json={"entities": {"Q153882": {
            "id": "Q153882", "claims": {"P577": [{"rank": "normal"}]}}}}),
         "record of Q153882 was not in the expected form"),
        (lambda r: httpx.Response(200, json={"entities": {}}),
         "Wikidata's answer did not include Q153882."),
    ],
)  # fmt: skip
def test_failures_show_a_message_and_change_nothing(admin_client, lives, serve, handler, message):
    serve(handler)
    page = text(admin_client.get(URL.format(lives.pk)))
    assert "Could not fetch facts." in page and message in page and "Nothing was changed." in page
    response = admin_client.post(URL.format(lives.pk), {"fields": ["german_opening"]})
    assert response.status_code == 502 and message in text(response)
    assert Film.objects.get(pk=lives.pk).german_opening is None


@pytest.mark.django_db
def test_a_film_without_wikidata_id_says_so(admin_client, serve):
    film = FilmFactory(title="Unknown", slug="unknown")
    assert "This film has no Wikidata id yet." in text(admin_client.get(URL.format(film.pk)))


@pytest.mark.django_db
def test_only_editors_may_fetch(client, lives, serve, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    assert client.get(URL.format(lives.pk)).status_code in (302, 403)
