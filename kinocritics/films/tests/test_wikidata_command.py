"""manage.py enrich_films: bulk, empty fields only by default, progress bar and report."""

import datetime as dt
from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command

from kinocritics.core.tests.factories import FilmFactory
from kinocritics.films import wikidata
from kinocritics.films.models import Film
from kinocritics.films.tests.wikidata import Recorded


@pytest.fixture
def films(db):
    return {
        "casablanca": FilmFactory(title="Casablanca", slug="casablanca", wikidata_id="Q132689"),
        "lives": FilmFactory(
            title="Das Leben der Anderen",
            slug="das-leben-der-anderen",
            wikidata_id="Q153882",
            runtime_minutes=140,  # an editor's value: not overwritten by default
        ),
        "gone": FilmFactory(title="Gone", slug="gone", wikidata_id="Q999999999"),
        "none": FilmFactory(title="No Id", slug="no-id"),
    }


@pytest.fixture
def use_recorded(monkeypatch):
    def install(handler=None):
        handler = handler or Recorded()
        monkeypatch.setattr(
            wikidata,
            "client_from_settings",
            lambda: wikidata.WikidataClient(transport=httpx.MockTransport(handler), min_interval=0),
        )
        return handler

    return install


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("enrich_films", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_bulk_fills_empty_fields_and_reports(films, use_recorded):
    recorded = use_recorded()
    out, err = run()
    assert len(recorded.calls) == 2  # three films in one request, their labels in another
    assert "[##############################]      3/3 films  2 changed" in err
    assert "Wikidata enrichment: 2 films changed, 0 already up to date, 1 failed" in out
    assert "  German opening date: 2" in out
    assert "  Principal actors (billing order): 2" in out
    assert "failed: Q999999999: Wikidata has no item Q999999999." in out
    lives = Film.objects.get(slug="das-leben-der-anderen")
    assert lives.german_opening == dt.date(2006, 3, 23)
    assert lives.runtime_minutes == 140  # kept
    assert lives.imdb_id == "tt0405094"
    assert list(lives.credits.filter(role="actor").values_list("person__name", flat=True))[:2] == [
        "Ulrich Mühe",
        "Martina Gedeck",
    ]
    out, _ = run("--no-progress")
    assert "0 films changed, 2 already up to date, 1 failed" in out


@pytest.mark.django_db
def test_overwrite_chosen_fields_for_chosen_films(films, use_recorded):
    use_recorded()
    out, err = run("das-leben-der-anderen", "--fields", "runtime_minutes", "--overwrite")
    assert "1 films changed" in out and "  Length (minutes): 1" in out
    lives = Film.objects.get(slug="das-leben-der-anderen")
    assert lives.runtime_minutes == 137 and lives.german_opening is None


@pytest.mark.django_db
def test_dry_run_writes_nothing(films, use_recorded):
    use_recorded()
    out, _ = run("--dry-run", "--missing-opening", "--no-progress")
    assert "Wikidata enrichment (dry run): 2 films would change" in out
    assert not Film.objects.exclude(german_opening=None).exists()


@pytest.mark.django_db
def test_a_network_failure_stops_with_a_message_and_changes_nothing(films, use_recorded):
    def down(request):
        raise httpx.ConnectTimeout("connect timed out")

    use_recorded(down)
    with pytest.raises(CommandError, match="Stopped after 0 films: Wikidata did not answer"):
        run("--no-progress")
    assert not Film.objects.exclude(german_opening=None).exists()


@pytest.mark.django_db
def test_bad_arguments(films, use_recorded):
    use_recorded()
    with pytest.raises(CommandError, match="Unknown field"):
        run("--fields", "budget")
    with pytest.raises(CommandError, match="No film with a Wikidata id matches: no-id"):
        run("no-id")
