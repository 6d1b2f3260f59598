"""The Wikidata client on recorded answers: facts, politeness, failures that change nothing."""

import datetime as dt

import httpx
import pytest

from kinocritics.core.tests.factories import FilmFactory
from kinocritics.films.models import Credit, Film, FilmCountry, Person
from kinocritics.films.tests.wikidata import Recorded, load
from kinocritics.films.wikidata import WikidataClient, WikidataError, apply_facts, film_diff
from kinocritics.search.models import WikidataRecord


def client(handler, **kwargs):
    kwargs.setdefault("min_interval", 0)
    return WikidataClient(transport=httpx.MockTransport(handler), **kwargs)


@pytest.fixture
def recorded():
    return Recorded()


def test_facts_for_casablanca(recorded):
    facts = client(recorded).film_facts("Q132689")
    assert facts.label == "Casablanca"
    assert facts.original_title == "Casablanca"
    assert facts.german_opening == dt.date(1952, 8, 29)  # the only date with P291 = Germany
    assert facts.original_languages == ["English"]
    assert facts.countries == ["United States"]
    assert facts.runtime_minutes == 102
    assert [p.name for p in facts.directors] == ["Michael Curtiz"]
    assert [p.name for p in facts.writers] == [
        "Julius J. Epstein",
        "Philip G. Epstein",
        "Howard Koch",
    ]
    # Cast in Wikidata's order, not alphabetical.
    assert [p.name for p in facts.cast] == [
        "Humphrey Bogart", "Ingrid Bergman", "Paul Henreid", "Claude Rains",
    ]  # fmt: skip
    assert facts.cast[0].wikidata_id == "Q16390"
    assert (facts.imdb_id, facts.tmdb_id) == ("tt0034583", "289")


def test_the_thursday_opening_wins_over_a_premiere(recorded):
    facts = client(recorded).film_facts("Q153882")
    assert facts.german_opening == dt.date(2006, 3, 23)
    assert facts.original_title == "Das Leben der Anderen"
    assert facts.german_title == "Das Leben der Anderen"
    assert facts.countries == ["Germany"]
    assert [p.name for p in facts.cast][:2] == ["Ulrich Mühe", "Martina Gedeck"]


def test_requests_are_batched_cached_and_name_the_project(recorded, settings):
    settings.WIKIDATA_USER_AGENT = "KinoCritics/1.0 (+http://testserver/about/) httpx"
    wd = client(recorded)
    results = wd.films_facts(["Q132689", "Q153882"])
    assert set(results) == {"Q132689", "Q153882"}
    assert len(recorded.calls) == 2  # films in one request, everything they point to in one
    assert recorded.calls[0].url.params["ids"] == "Q132689|Q153882"
    assert recorded.calls[0].url.params["props"] == "labels|claims"
    assert recorded.calls[1].url.params["props"] == "labels"
    assert recorded.calls[0].headers["User-Agent"].startswith("KinoCritics/1.0 (+http")
    wd.films_facts(["Q132689"])
    assert len(recorded.calls) == 2  # both answers came from the cache


def test_requests_wait_their_turn(recorded):
    waits, now = [], [100.0]
    wd = client(
        recorded,
        min_interval=1.0,
        sleep=lambda s: (waits.append(round(s, 3)), now.__setitem__(0, now[0] + s)),
        clock=lambda: now[0],
    )
    wd.film_facts("Q132689")
    assert waits == [1.0]  # the labels request waited a second after the film request


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("Name or service not known")),
         "Could not reach Wikidata (ConnectError: Name or service not known)"),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("timed out")),
         "Wikidata did not answer within 10 seconds"),
        (lambda r: httpx.Response(503, text="Service Unavailable"),
         "Wikidata answered with HTTP 503"),
        (lambda r: httpx.Response(429, text="slow down"), "HTTP 429 (too many requests)"),
        (lambda r: httpx.Response(200, text="<html>maintenance</html>"), "not valid JSON"),
        (lambda r: httpx.Response(200, json=["entities"]), "not in the expected form"),
        (lambda r: httpx.Response(200, json={"success": 1}), "had no entities"),
        (lambda r: httpx.Response(200, json=load("error-no-such-entity.json")),
         'Wikidata refused the request: Could not find an entity with the ID "Q0".'),
    ],
)  # fmt: skip
def test_failures_raise_a_clear_message(handler, message):
    with pytest.raises(WikidataError) as excinfo:
        client(handler, timeout=10).film_facts("Q132689")
    assert message in str(excinfo.value)


def test_missing_and_malformed_items_and_bad_ids():
    wd = client(Recorded({"Q132689": "Q132689-malformed.json"}))
    with pytest.raises(WikidataError, match="Wikidata has no item Q999999999"):
        wd.film_facts("Q999999999")
    with pytest.raises(WikidataError, match="record of Q132689 was not in the expected form"):
        wd.film_facts("Q132689")
    with pytest.raises(WikidataError, match="is not a Wikidata id"):
        wd.film_facts("tt0034583")


@pytest.fixture
def casablanca(db):
    film = FilmFactory(
        title="Casablanca", slug="casablanca-1942", year=1942, wikidata_id="Q132689",
        runtime_minutes=102, countries=["United States"],
    )  # fmt: skip
    # As imported: cast alphabetical, one writer the catalogue got wrong.
    for i, (name, role) in enumerate([
        ("Michael Curtiz", "director"), ("Casey Robinson", "writer"),
        ("Claude Rains", "actor"), ("Humphrey Bogart", "actor"), ("Ingrid Bergman", "actor"),
        ("Paul Henreid", "actor"),
    ]):  # fmt: skip
        person, _ = Person.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")}
        )
        Credit.objects.create(film=film, person=person, role=role, sort_order=i)
    return film


@pytest.mark.django_db
def test_diff_shows_only_what_would_change(casablanca, recorded):
    facts = client(recorded).film_facts("Q132689")
    changes = {c.field: c for c in film_diff(casablanca, facts)}
    assert list(changes) == [
        "german_opening", "original_title", "german_title", "languages", "writers", "cast",
        "imdb_id", "tmdb_id",
    ]  # fmt: skip
    assert changes["german_opening"].current == "—"
    assert changes["german_opening"].proposed == "29 Aug 1952 (Friday)"
    assert changes["german_opening"].empty_now
    assert changes["cast"].current == "Claude Rains, Humphrey Bogart, Ingrid Bergman, Paul Henreid"
    assert changes["cast"].proposed == "Humphrey Bogart, Ingrid Bergman, Paul Henreid, Claude Rains"
    assert not changes["cast"].empty_now
    assert "runtime_minutes" not in changes and "countries" not in changes


@pytest.mark.django_db
def test_apply_only_the_accepted_fields(casablanca, recorded):
    facts = client(recorded).film_facts("Q132689")
    bogart = Person.objects.get(name="Humphrey Bogart")
    applied = apply_facts(casablanca, facts, ["cast", "german_opening", "tmdb_id"])
    assert applied == ["german_opening", "cast", "tmdb_id"]
    film = Film.objects.get(pk=casablanca.pk)
    assert film.german_opening == dt.date(1952, 8, 29)
    assert film.imdb_id is None and film.original_title == ""  # not accepted
    credits = list(film.credits.select_related("person").order_by("sort_order"))
    assert [(c.role, c.person.name) for c in credits] == [
        ("director", "Michael Curtiz"), ("writer", "Casey Robinson"),
        ("actor", "Humphrey Bogart"), ("actor", "Ingrid Bergman"), ("actor", "Paul Henreid"),
        ("actor", "Claude Rains"),
    ]  # fmt: skip
    assert [c.sort_order for c in credits] == list(range(6))
    bogart.refresh_from_db()
    assert bogart.wikidata_id == "Q16390"  # the same person, now with the Wikidata id
    assert credits[2].person_id == bogart.pk
    record = WikidataRecord.objects.get(film=film)
    assert record.tmdb_id == "289" and record.applied_fields == applied
    assert record.facts["german_opening"] == "1952-08-29"


@pytest.mark.django_db
def test_apply_writers_creates_missing_people_and_countries(casablanca, recorded):
    facts = client(recorded).film_facts("Q132689")
    apply_facts(casablanca, facts, ["writers", "languages", "imdb_id", "original_title"])
    film = Film.objects.get(pk=casablanca.pk)
    writers = [c.person for c in film.credits.filter(role="writer").order_by("sort_order")]
    assert [p.name for p in writers] == ["Julius J. Epstein", "Philip G. Epstein", "Howard Koch"]
    assert writers[2].slug == "howard-koch" and writers[2].wikidata_id == "Q1384141"
    assert Person.objects.filter(name="Casey Robinson").exists()  # credit gone, person kept
    assert [lang.name for lang in film.languages.all()] == ["English"]
    assert film.imdb_id == "tt0034583" and film.original_title == "Casablanca"
    assert film_diff(film, facts)[0].field == "german_opening"  # still to be decided


@pytest.mark.django_db
def test_an_imdb_id_on_another_film_changes_nothing(casablanca, recorded):
    FilmFactory(title="Other", slug="other", imdb_id="tt0034583")
    facts = client(recorded).film_facts("Q132689")
    with pytest.raises(WikidataError, match="already belongs to “Other"):
        apply_facts(casablanca, facts, ["imdb_id", "german_opening"])
    casablanca.refresh_from_db()
    assert casablanca.german_opening is None
    assert not WikidataRecord.objects.exists()
    assert FilmCountry.objects.filter(film=casablanca).count() == 1
