"""Matching listing titles to catalogue films: what gets linked, what waits for an editor."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from kinocritics.cinemas.matching import (
    NUMBER_MISMATCH_CAP,
    REVIEW_SCORE,
    FilmMatcher,
    listing_assign,
    listing_resolve,
)
from kinocritics.cinemas.models import Cinema, City, Screening, Source
from kinocritics.core.tests.factories import FilmFactory
from kinocritics.films.models import FilmAlias

WHEN = dt.date(2024, 3, 7)


def matcher() -> FilmMatcher:
    return FilmMatcher.from_db(today=WHEN)


@pytest.fixture
def perfect_days(db):
    """In German cinemas since December: current on WHEN."""
    return FilmFactory(
        title="Perfect Days", year=2023, german_opening=dt.date(2023, 12, 21), wikidata_id="Q1"
    )


@pytest.mark.django_db
def test_a_current_film_listed_by_its_exact_title_is_linked(perfect_days):
    result = matcher().match("PERFECT DAYS", when=WHEN)

    assert result.decision == "accept"
    assert result.film_id == perfect_days.pk
    assert result.wikidata_id == "Q1"
    assert result.score == 100
    assert result.candidates[0].title == "Perfect Days"


@pytest.mark.django_db
def test_accents_and_punctuation_do_not_stop_a_match():
    cleo = FilmFactory(title="Cléo de 5 à 7", year=1962)

    result = matcher().match("Cleo de 5 a 7", year=1962, when=WHEN)

    assert (result.decision, result.film_id, result.score) == ("accept", cleo.pk, 100)


@pytest.mark.django_db
def test_an_inverted_article_reads_as_the_title():
    film = FilmFactory(title="The Lives of Others", year=2006)

    result = matcher().match("Lives of Others, The", year=2006, when=WHEN)

    assert (result.decision, result.film_id, result.score) == ("accept", film.pk, 100)


@pytest.mark.django_db
def test_a_dropped_article_still_matches_a_current_film():
    film = FilmFactory(title="The Zone of Interest", year=2023, german_opening=dt.date(2024, 2, 29))

    result = matcher().match("Zone of Interest", when=WHEN)

    assert (result.decision, result.film_id) == ("accept", film.pk)
    assert 95 <= result.score < 100


@pytest.mark.django_db
def test_german_original_english_titles_and_aliases_all_match():
    fall = FilmFactory(
        title="Anatomy of a Fall",
        original_title="Anatomie d'une chute",
        german_title="Anatomie eines Falls",
        year=2023,
        german_opening=dt.date(2023, 11, 2),
    )
    lounge = FilmFactory(title="Das Lehrerzimmer", english_title="The Teachers' Lounge", year=2023)
    heron = FilmFactory(title="The Boy and the Heron", year=2023)
    FilmAlias.objects.create(film=heron, title="Der Junge und der Reiher")
    films = matcher()

    assert films.match("Anatomie eines Falls", when=WHEN).film_id == fall.pk
    assert films.match("Anatomie d’une chute", when=WHEN).film_id == fall.pk
    assert films.match("The Teachers’ Lounge", year=2023, when=WHEN).film_id == lounge.pk
    result = films.match("Der Junge und der Reiher", year=2023, when=WHEN)
    assert (result.decision, result.film_id) == ("accept", heron.pk)


@pytest.mark.django_db
def test_a_year_hint_picks_between_films_with_the_same_title():
    old = FilmFactory(title="Dune", year=1984)
    new = FilmFactory(title="Dune", year=2021)
    films = matcher()

    picked = films.match("Dune", year=2021, when=WHEN)
    unsure = films.match("Dune", when=WHEN)

    assert (picked.decision, picked.film_id) == ("accept", new.pk)
    assert unsure.decision == "review"
    assert {c.film_id for c in unsure.candidates} == {old.pk, new.pk}


@pytest.mark.django_db
def test_a_year_hint_does_not_lift_a_weaker_title_over_an_exact_one():
    FilmFactory(title="Hole", year=1998)
    FilmFactory(title="The Hole", year=2009)

    result = matcher().match("Hole", year=2009, when=WHEN)

    assert result.decision == "review"
    assert [(c.title, c.score) for c in result.candidates] == [("Hole", 100), ("The Hole", 97)]


@pytest.mark.django_db
def test_a_remake_missing_from_the_catalogue_is_not_linked_to_the_original():
    FilmFactory(title="Dune", year=1984)

    result = matcher().match("Dune", year=2021, when=WHEN)

    assert result.decision == "review"
    assert result.score == 100


@pytest.mark.django_db
def test_a_sequel_is_not_linked_to_its_first_part():
    FilmFactory(title="Dune", year=2021, german_opening=dt.date(2021, 9, 16))

    result = matcher().match("Dune: Part Two", year=2024, when=WHEN)

    assert result.decision == "none"
    assert result.film_id is None
    # "dune part 2" against "dune" is far apart even before the part-number rule.
    assert result.score < REVIEW_SCORE


@pytest.mark.django_db
def test_a_sequel_in_the_catalogue_is_matched_and_its_namesake_is_not():
    dune = FilmFactory(title="Dune", year=2021, german_opening=dt.date(2021, 9, 16))
    part_two = FilmFactory(title="Dune: Part Two", year=2024, german_opening=dt.date(2024, 2, 29))
    films = matcher()

    assert films.match("Dune: Teil 2", when=WHEN).film_id == part_two.pk
    assert films.match("Dune", year=2021, when=WHEN).film_id == dune.pk


@pytest.mark.parametrize(
    ("listed", "catalogue"),
    [("Paddington 2", "Paddington"), ("Alien 3", "Alien"), ("Rocky IV", "Rocky II")],
)
@pytest.mark.django_db
def test_a_numbered_part_never_matches_another_part(listed, catalogue):
    namesake = FilmFactory(title=catalogue, year=2014, german_opening=dt.date(2024, 2, 1))

    result = matcher().match(listed, when=WHEN)

    assert result.decision == "none"
    assert result.film_id is None
    # The namesake is still shown to an editor as a (weak) suggestion.
    assert result.candidates[0].film_id == namesake.pk
    assert result.score == NUMBER_MISMATCH_CAP


@pytest.mark.django_db
def test_roman_and_arabic_part_numbers_agree():
    rocky = FilmFactory(title="Rocky IV", year=1985)

    result = matcher().match("Rocky 4", year=1985, when=WHEN)

    assert (result.decision, result.film_id) == ("accept", rocky.pk)


@pytest.mark.django_db
def test_an_old_film_without_a_year_waits_for_an_editor():
    casablanca = FilmFactory(title="Casablanca", year=1942)
    films = matcher()

    exact = films.match("CASABLANCA", when=WHEN)
    typo = films.match("Casablanka", year=1942, when=WHEN)

    assert (exact.decision, exact.film_id, exact.score) == ("review", casablanca.pk, 100)
    # A one-letter typo is close, but not close enough to link without an editor.
    assert (typo.decision, typo.film_id) == ("review", casablanca.pk)
    assert REVIEW_SCORE <= typo.score < 95


@pytest.mark.django_db
def test_a_recent_film_with_an_exact_title_and_no_rival_is_linked():
    film = FilmFactory(title="Fallen Leaves", year=2023)

    result = matcher().match("Fallen Leaves", when=WHEN)

    assert (result.decision, result.film_id) == ("accept", film.pk)


@pytest.mark.django_db
def test_a_recent_film_with_a_close_rival_waits_for_an_editor():
    FilmFactory(title="Her", year=2023)
    FilmFactory(title="Here", year=2023)

    assert matcher().match("Her", when=WHEN).decision == "review"


@pytest.mark.django_db
def test_a_nonsense_title_matches_nothing(perfect_days):
    result = matcher().match("Xyzzy Plover Quux", when=WHEN)

    assert (result.decision, result.film_id, result.candidates) == ("none", None, ())


def _screening(*, title: str) -> Screening:
    city = City.objects.create(name="Testburg", slug="testburg")
    cinema = Cinema.objects.create(name="Lichtspiele", slug="lichtspiele", city=city)
    source = Source.objects.create(
        name="Lichtspiele CSV", slug="lichtspiele-csv", kind=Source.Kind.CSV, location="x.csv"
    )
    start = dt.datetime(2024, 3, 8, 20, 0, tzinfo=dt.UTC)
    return Screening.objects.create(
        cinema=cinema, source=source, start=start, last_seen=start, title=title, raw_title=title
    )


@pytest.mark.django_db
def test_an_editors_decision_sticks_when_the_title_is_imported_again():
    FilmFactory(title="Casablanca", year=1942)
    other = FilmFactory(title="Casablanca Express", year=1989)
    films = matcher()
    listing = listing_resolve(matcher=films, title="Casablanca", year=None, when=WHEN)
    assert (listing.decision, listing.film_id) == ("review", None)
    assert listing.suggestions[0]["title"] == "Casablanca"

    listing_assign(listing=listing, film=other, editor=None)
    again = listing_resolve(matcher=films, title="CASABLANCA", year=1942, when=WHEN)

    assert again.pk == listing.pk
    assert (again.decision, again.film_id, again.decided_by_editor) == ("accept", other.pk, True)


@pytest.mark.django_db
def test_an_editor_can_say_a_title_is_no_film():
    film = FilmFactory(title="Sneak Preview", year=2023, german_opening=dt.date(2024, 3, 1))
    films = matcher()
    listing = listing_resolve(matcher=films, title="Sneak Preview", year=None, when=WHEN)
    assert listing.film_id == film.pk

    listing_assign(listing=listing, film=None, editor=None)
    again = listing_resolve(matcher=films, title="Sneak Preview", year=None, when=WHEN)

    assert (again.decision, again.film_id) == ("none", None)


@pytest.mark.django_db
def test_an_accept_learns_an_alias_and_is_not_matched_again(django_assert_num_queries, monkeypatch):
    zone = FilmFactory(title="The Zone of Interest", year=2023, german_opening=dt.date(2024, 2, 29))
    films = matcher()

    listing = listing_resolve(matcher=films, title="Zone of Interest", year=None, when=WHEN)

    assert (listing.decision, listing.film_id, listing.decided_by_editor) == (
        "accept",
        zone.pk,
        False,
    )
    alias = FilmAlias.objects.get(film=zone)
    assert (alias.title, alias.origin) == ("Zone of Interest", "listing")

    def no_second_match(*args, **kwargs):
        raise AssertionError("an accepted title was matched again")

    monkeypatch.setattr(films, "match", no_second_match)
    with django_assert_num_queries(1):
        again = listing_resolve(matcher=films, title="zone of interest", year=2023, when=WHEN)
    assert again.pk == listing.pk


@pytest.mark.django_db
def test_an_exact_accept_adds_no_alias(perfect_days):
    listing_resolve(matcher=matcher(), title="Perfect Days", year=None, when=WHEN)

    assert not FilmAlias.objects.exists()


@pytest.mark.django_db
def test_a_review_is_matched_again_once_the_film_is_in_the_catalogue():
    listing = listing_resolve(matcher=matcher(), title="Fallen Leaves", year=2023, when=WHEN)
    assert listing.decision == "none"
    film = FilmFactory(title="Fallen Leaves", year=2023)

    again = listing_resolve(matcher=matcher(), title="Fallen Leaves", year=2023, when=WHEN)

    assert again.pk == listing.pk
    assert (again.decision, again.film_id) == ("accept", film.pk)


@pytest.mark.django_db
def test_assigning_a_film_moves_the_titles_existing_screenings():
    film = FilmFactory(title="Kinds of Kindness", year=2024)
    screening = _screening(title="Kinds Of Kindness")
    listing = listing_resolve(matcher=matcher(), title="Kinds Of Kindness", year=None, when=WHEN)
    assert listing.title_key == screening.title_key

    listing_assign(listing=listing, film=film, editor=None)

    screening.refresh_from_db()
    assert screening.film_id == film.pk
    listing.refresh_from_db()
    assert (listing.decision, listing.decided_by_editor) == ("accept", True)
    # Same title after folding: nothing new to learn.
    assert not FilmAlias.objects.filter(film=film).exists()

    listing_assign(listing=listing, film=None, editor=None)
    screening.refresh_from_db()
    assert screening.film_id is None


@pytest.mark.django_db
def test_match_titles_prints_one_line_per_title_and_reports_bad_lines(perfect_days):
    FilmFactory(title="Past Lives", year=2023, wikidata_id="Q2")
    stdin = StringIO(
        "\n".join(
            [
                json.dumps({"title": "Perfect Days (OmU)"}),
                json.dumps({"title": "Past Lives – OmeU", "year": 2023}),
                "{not json",
                json.dumps({"year": 2023}),
                json.dumps({"title": "Paddington 2"}),
            ]
        )
        + "\n"
    )
    out = StringIO()

    call_command("match_titles", "--date", WHEN.isoformat(), stdin=stdin, stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0] == {
        "title": "Perfect Days (OmU)",
        "film": "Q1",
        "score": 100.0,
        "decision": "accept",
    }
    assert (lines[1]["film"], lines[1]["decision"]) == ("Q2", "accept")
    assert lines[2]["error"].startswith("line 3: not valid JSON")
    assert lines[3]["error"].startswith("line 4:")
    assert (lines[4]["film"], lines[4]["decision"]) == (None, "none")


@pytest.mark.django_db
def test_a_film_we_reviewed_lately_counts_as_current(red_rocket):
    from kinocritics.cinemas.matching import FilmMatcher

    result = FilmMatcher.from_db().match("Red Rocket")
    assert result.decision == "accept"
