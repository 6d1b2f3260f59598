import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import CreditFactory, FilmFactory, PersonFactory


def _text(html: str) -> str:
    """The visible text of the page's <main>, tags removed and whitespace folded."""
    html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r"<(script|style|nav)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.sub(r" ([,:)])", r"\1", text).replace("( ", "(").strip()


@pytest.mark.django_db
def test_film_page_shows_the_reference_fields_in_order(client, red_rocket):
    film, review, critic = red_rocket
    response = client.get("/films/red-rocket-2021/")
    assert response.status_code == 200
    text = _text(response.content.decode())
    expected_in_order = [
        "© Test Distributor GmbH",
        "Red Rocket",
        "U.S.A. 2021",
        "Opening 14 Apr 2022",
        "Directed by: Sean Baker",
        "Writing credits: Sean Baker, Chris Bergoch",
        "Principal actors: Simon Rex, Bree Elrod, Suzanna Son, Judy Hill, Brenda Deiss",
        "Length: 130 minutes",
        "Mikey comes home to Texas City",
        "(Erin Testwriter)",
    ]
    positions = [text.find(fragment) for fragment in expected_in_order]
    assert -1 not in positions, dict(zip(expected_in_order, positions, strict=True))
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_film_page_links_each_person_and_the_critic(client, red_rocket):
    html = client.get("/films/red-rocket-2021/").content.decode()
    for slug in ("sean-baker", "chris-bergoch", "simon-rex", "brenda-deiss"):
        assert f'href="/people/{slug}/"' in html
    assert 'href="/critics/erin-testwriter/"' in html


@pytest.mark.django_db
def test_film_page_hides_empty_credit_lines_and_shows_other_titles(client):
    film = FilmFactory(
        title="Gegen die Wand", english_title="Head-On", german_title="Gegen die Wand", year=2004
    )
    text = _text(client.get(film.get_absolute_url()).content.decode())
    assert "Writing credits" not in text
    assert "English title: Head-On" in text
    assert "German title" not in text  # same as the display title
    assert "We have not reviewed this film yet." in text


@pytest.mark.django_db
def test_film_page_structured_data_is_a_movie_with_its_review(client, red_rocket):
    html = client.get("/films/red-rocket-2021/").content.decode()
    jsonld.validate_page(html)
    movie = jsonld.by_type(html, "Movie")
    assert movie["name"] == "Red Rocket"
    assert [a["name"] for a in movie["actor"]][:2] == ["Simon Rex", "Bree Elrod"]
    assert movie["director"][0]["name"] == "Sean Baker"
    assert movie["duration"] == "PT130M"
    (review,) = movie["review"]
    assert review["author"]["name"] == "Erin Testwriter"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3.5,
        "bestRating": 4,
        "worstRating": 0.5,
    }
    crumbs = jsonld.by_type(html, "BreadcrumbList")
    assert [i["name"] for i in crumbs["itemListElement"]] == ["Home", "Films", "Red Rocket"]


@pytest.mark.django_db
def test_film_page_has_open_graph_tags(client, red_rocket):
    html = client.get("/films/red-rocket-2021/").content.decode()
    assert '<meta property="og:title" content="Red Rocket">' in html
    assert '<meta property="og:type" content="video.movie">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+">', html)


def _film_page_queries(client, credits: int) -> int:
    film = FilmFactory(countries=["United States", "Germany"])
    for n in range(credits):
        CreditFactory(film=film, role=("director", "writer", "actor")[n % 3])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(film.get_absolute_url()).status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_film_page_query_count_does_not_grow_with_credits(client, red_rocket):
    _film_page_queries(client, 1)  # warm caches (site root, content types)
    few = _film_page_queries(client, 3)
    many = _film_page_queries(client, 80)
    assert few == many
    assert many <= 12


@pytest.mark.django_db
def test_unknown_film_is_a_friendly_404(client):
    response = client.get("/films/no-such-film/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_person_page_lists_films_by_role_with_our_review(client, red_rocket):
    film, review, critic = red_rocket
    other = FilmFactory(title="Tangerine", slug="tangerine-2015", year=2015)
    CreditFactory(film=other, person=PersonFactory(name="Sean Baker X", slug="x"), role="actor")
    from kinocritics.films.models import Credit, Person

    baker = Person.objects.get(slug="sean-baker")
    Credit.objects.create(film=other, person=baker, role="director", sort_order=0)
    response = client.get("/people/sean-baker/")
    html = response.content.decode()
    text = _text(html)
    assert "Directed" in text and "Wrote" in text
    directed = text[text.index("Directed") : text.index("Wrote")]
    assert directed.index("Red Rocket") < directed.index("Tangerine")  # newest first
    assert f'href="{review.url}"' in html
    profile = jsonld.by_type(html, "ProfilePage")
    jsonld.validate(profile)
    assert profile["mainEntity"]["name"] == "Sean Baker"
