"""manage.py import_films against a tiny omdb fixture (and the real file's checksum)."""

import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinocritics.films.importers import (
    CATALOGUE_SHA256,
    bundled_catalogue_path,
    file_sha256,
    verify_checksum,
)
from kinocritics.films.models import Country, Credit, Film, Genre, Language, Person

OMDB_SCHEMA = """
CREATE TABLE omdb ("ID" INTEGER, "imdbID" TEXT, "Title" TEXT, "Year" INTEGER, "Rating" TEXT,
"Runtime" REAL, "Genre" TEXT, "Released" TEXT, "Director" TEXT, "Writer" TEXT, "Cast" TEXT,
"Metacritic" INTEGER, "imdbRating" REAL, "imdbVotes" INTEGER, "Language" TEXT, "Country" TEXT,
"Awards" TEXT, "lastUpdated" TEXT, "Oscars" INTEGER)
"""

# (ID, imdbID, Title, Year, Runtime, Genre, Director, Writer, Cast, Language, Country)
ROWS = [
    (
        101,
        "tt0101001",
        "The Harbour",
        1961,
        97.6,
        "Drama, Crime",
        "Anna Berg",
        "Anna Berg, James W. Smith, Jr.",
        "Carl Dahl, Ed Begley, Jr., Zoe Adams",
        "German, English",
        "West Germany, United States",
    ),
    (
        102,
        "tt0102002",
        "Night Train",
        1975,
        None,
        "Thriller",
        "",
        None,
        "Ed Begley, Jr., Mary Jones",
        "English",
        "United Kingdom",
    ),
    (103, "tt0103003", "Double", 1990, 90.0, "Drama", "Anna Berg", "", "Carl Dahl", "", "France"),
    # Same title and year as Q103, and the same IMDb id (as with a film and its recut).
    (104, "tt0103003", "Double", 1990, 91.0, "Drama", "Ben Ott", "", "", "French", "France"),
]


def write_catalogue(path: Path, rows: list[tuple]) -> Path:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(OMDB_SCHEMA)
        conn.executemany(
            'INSERT INTO omdb ("ID", "imdbID", "Title", "Year", "Runtime", "Genre", "Director", '
            '"Writer", "Cast", "Language", "Country") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            rows,
        )
    conn.close()
    return path


@pytest.fixture
def catalogue(tmp_path) -> Path:
    return write_catalogue(tmp_path / "movies.db", ROWS)


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_films",
        "--path",
        str(path),
        "--skip-checksum",
        "--no-progress",
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def credits_of(wikidata_id: str) -> list[tuple[str, str, int]]:
    return list(
        Credit.objects.filter(film__wikidata_id=wikidata_id)
        .order_by("sort_order")
        .values_list("role", "person__name", "sort_order")
    )


@pytest.mark.django_db
def test_import_creates_films_people_and_credits(catalogue):
    out, _ = run_import(catalogue)

    assert Film.objects.count() == 4
    assert Person.objects.count() == 7
    assert Credit.objects.count() == 11
    assert "films      4 created" in out
    assert "people     7 created" in out
    assert "credits    11 created" in out

    film = Film.objects.get(wikidata_id="Q101")
    assert film.title == "The Harbour"
    assert film.sort_title == "harbour"
    assert film.slug == "the-harbour-1961"
    assert (film.year, film.runtime_minutes, film.imdb_id) == (1961, 98, "tt0101001")
    assert film.original_title == film.german_title == film.english_title == ""
    assert credits_of("Q101") == [
        ("director", "Anna Berg", 0),
        ("writer", "Anna Berg", 1),
        ("writer", "James W. Smith, Jr.", 2),
        ("actor", "Carl Dahl", 3),
        ("actor", "Ed Begley, Jr.", 4),
        ("actor", "Zoe Adams", 5),
    ]
    assert [fc.country.name for fc in film.film_countries.order_by("sort_order")] == [
        "West Germany",
        "United States",
    ]
    assert sorted(film.languages.values_list("name", flat=True)) == ["English", "German"]
    assert sorted(film.genres.values_list("slug", flat=True)) == ["crime", "drama"]


@pytest.mark.django_db
def test_lookup_tables_and_country_short_names(catalogue):
    run_import(catalogue)

    assert dict(Country.objects.values_list("name", "short_name")) == {
        "France": "",
        "United Kingdom": "U.K.",
        "United States": "U.S.A.",
        "West Germany": "",
    }
    assert set(Language.objects.values_list("name", flat=True)) == {"English", "French", "German"}
    assert set(Genre.objects.values_list("name", "slug")) == {
        ("Crime", "crime"),
        ("Drama", "drama"),
        ("Thriller", "thriller"),
    }


@pytest.mark.django_db
def test_existing_country_short_name_is_left_alone(catalogue):
    Country.objects.create(name="United States", short_name="USA")

    run_import(catalogue)

    assert Country.objects.get(name="United States").short_name == "USA"


@pytest.mark.django_db
def test_jr_names_are_one_person(catalogue):
    run_import(catalogue)

    begley = Person.objects.get(name="Ed Begley, Jr.")
    assert begley.slug == "ed-begley-jr"
    assert set(begley.credits.values_list("film__wikidata_id", flat=True)) == {"Q101", "Q102"}
    assert Person.objects.filter(name="James W. Smith, Jr.").exists()
    assert not Person.objects.filter(name__in=["Jr.", "Ed Begley", "James W. Smith"]).exists()


@pytest.mark.django_db
def test_film_without_director_or_writer(catalogue):
    run_import(catalogue)

    assert credits_of("Q102") == [("actor", "Ed Begley, Jr.", 0), ("actor", "Mary Jones", 1)]
    film = Film.objects.get(wikidata_id="Q102")
    assert film.runtime_minutes is None


@pytest.mark.django_db
def test_same_title_and_year_and_shared_imdb_id(catalogue):
    _, err = run_import(catalogue)

    first, second = Film.objects.filter(title="Double").order_by("wikidata_id")
    assert (first.wikidata_id, first.slug, first.imdb_id) == ("Q103", "double-1990", "tt0103003")
    assert (second.wikidata_id, second.slug, second.imdb_id) == ("Q104", "double-1990-q104", None)
    assert "IMDb id left empty on 1 films" in err
    assert "Q104" in err


@pytest.mark.django_db
def test_people_match_existing_names_and_get_unique_slugs(catalogue):
    anna = Person.objects.create(name="Anna Berg", slug="anna-berg")
    Person.objects.create(name="Mary Jones (singer)", slug="mary-jones")

    run_import(catalogue)

    assert Person.objects.filter(name="Anna Berg").get() == anna
    assert anna.credits.count() == 3
    assert Person.objects.get(name="Mary Jones").slug == "mary-jones-2"


@pytest.mark.django_db
def test_second_run_changes_nothing(catalogue):
    run_import(catalogue)
    counts = [m.objects.count() for m in (Film, Person, Credit, Country, Language, Genre)]

    out, _ = run_import(catalogue)

    assert [m.objects.count() for m in (Film, Person, Credit, Country, Language, Genre)] == counts
    assert "Catalogue is up to date: 4 films already imported, nothing changed." in out


@pytest.mark.django_db
def test_new_films_are_added_on_a_later_run(catalogue, tmp_path):
    run_import(catalogue)
    extra = (105, "tt0105005", "Coda", 2001, 80.0, "Drama", "Ben Ott", "", "Carl Dahl", "", "")
    bigger = write_catalogue(tmp_path / "bigger.db", [*ROWS, extra])

    out, _ = run_import(bigger)

    assert "films      1 created" in out
    assert "4 already imported" in out
    assert "people     0 created" in out
    assert credits_of("Q105") == [("director", "Ben Ott", 0), ("actor", "Carl Dahl", 1)]


@pytest.mark.django_db
def test_update_changes_catalogue_fields_only(catalogue, tmp_path):
    run_import(catalogue)
    film = Film.objects.get(wikidata_id="Q101")
    film.german_title = "Der Hafen"
    film.save()
    renamed = (101, "tt0101001", "The Old Harbour", *ROWS[0][3:])
    changed = write_catalogue(tmp_path / "changed.db", [renamed, *ROWS[1:]])

    out, _ = run_import(changed)
    assert "nothing changed" in out
    assert Film.objects.get(wikidata_id="Q101").title == "The Harbour"

    out, _ = run_import(changed, "--update")

    film.refresh_from_db()
    assert film.title == "The Old Harbour"
    assert film.sort_title == "old harbour"
    assert film.german_title == "Der Hafen"
    assert film.slug == "the-harbour-1961"
    assert len(credits_of("Q101")) == 6
    assert "1 updated (title 1)" in out


@pytest.mark.django_db
def test_checksum_mismatch_is_refused(catalogue):
    with pytest.raises(CommandError, match="Checksum mismatch") as excinfo:
        call_command("import_films", "--path", str(catalogue), "--no-progress")

    assert file_sha256(catalogue) in str(excinfo.value)
    assert CATALOGUE_SHA256 in str(excinfo.value)
    assert not Film.objects.exists()


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("import_films", "--path", str(tmp_path / "nope.db"), "--skip-checksum")


def test_bundled_catalogue_passes_the_checksum():
    pytest.importorskip("bokeh_sampledata")

    verify_checksum(path=bundled_catalogue_path())
