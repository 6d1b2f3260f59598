import datetime as dt

import pytest

from kinocritics.core.tests.factories import FilmFactory
from kinocritics.films.models import Genre


@pytest.fixture
def catalogue(db):
    drama = Genre.objects.create(name="Drama", slug="drama")
    films = [
        FilmFactory(title="The Third Man", year=1949, countries=["United Kingdom"]),
        FilmFactory(title="Breathless", year=1960, countries=["France"]),
        FilmFactory(
            title="Das Boot",
            year=1981,
            countries=["West Germany"],
            german_opening=dt.date(1981, 9, 17),
        ),
        FilmFactory(title="8½", year=1963, countries=["Italy", "France"]),
    ]
    films[2].genres.add(drama)
    films[2].save()
    return films


@pytest.mark.django_db
def test_catalogue_is_a_to_z_ignoring_leading_articles(client, catalogue):
    html = client.get("/films/").content.decode()
    order = [html.index(t) for t in ("8½", "Das Boot", "Breathless", "The Third Man")]
    # '8½' files under '#', first; 'Das Boot' under B (German article), before 'Breathless'.
    assert order == sorted(order)


@pytest.mark.django_db
def test_catalogue_filters_by_letter_year_country_and_genre(client, catalogue):
    assert "Third Man" in client.get("/films/?letter=T").content.decode()
    assert "Breathless" not in client.get("/films/?letter=T").content.decode()
    assert "Breathless" in client.get("/films/?year=1960").content.decode()
    france = catalogue[1].film_countries.get().country_id
    html = client.get(f"/films/?country={france}").content.decode()
    assert "Breathless" in html and "8½" in html and "Third Man" not in html
    html = client.get("/films/?genre=drama").content.decode()
    assert "Das Boot" in html and "Breathless" not in html
    html = client.get("/films/?order=opening").content.decode()
    assert "Opening 17 Sep 1981" in html and "Breathless" not in html


@pytest.mark.django_db
def test_catalogue_ignores_nonsense_filters(client, catalogue):
    response = client.get("/films/?year=abc&country=x&letter=%3Cscript%3E&page=999")
    assert response.status_code == 200
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_catalogue_is_paginated_with_constant_queries(client, django_assert_max_num_queries):
    for n in range(60):
        FilmFactory(title=f"Film {n:02d}", countries=["France", "Italy"])
    with django_assert_max_num_queries(8):
        html = client.get("/films/").content.decode()
    assert "Page 1 of 2" in html and "Film 47" in html and "Film 48" not in html
    assert "Film 48" in client.get("/films/?page=2").content.decode()
