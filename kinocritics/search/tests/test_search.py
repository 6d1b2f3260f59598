"""Search forgives what readers do; the same cases run on SQLite and on PostgreSQL."""

import json
import re

import pytest
from django.db import connection

from kinocritics.search import services
from kinocritics.search.text import fold, query_forms, unturn, variants


def _main_text(html: str) -> str:
    html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_folding_transliterates_and_keeps_both_umlaut_spellings():
    assert fold("Fatih Akın") == "fatih akin"
    assert fold("Łódź & Co.") == "lodz and co"
    assert variants("München") == ["munchen", "muenchen"]
    assert variants("The Lives of Others") == ["the lives of others", "lives of others"]
    assert unturn("Lives of Others, The") == "The Lives of Others"
    assert query_forms("Muenchen") == ["muenchen", "munchen"]
    assert query_forms("   ") == []


# (query, kind, the first result of that kind): one catalogue, every case, on both databases.
FORGIVEN = [
    ("Casablanca", "film", "Casablanca"),
    ("casablanka", "film", "Casablanca"),  # one typo
    ("Casabalnca", "film", "Casablanca"),  # two (a transposition)
    ("Fatih Akin", "person", "Fatih Akın"),  # no dotless i on the keyboard
    ("Akin Fatih", "person", "Fatih Akın"),  # word order
    ("Fatih Akın", "person", "Fatih Akın"),
    ("Muenchen", "film", "Munich"),  # German title, umlaut written out
    ("Munchen", "film", "Munich"),  # umlaut dropped
    ("München", "film", "Munich"),
    ("Gunter Mueller", "person", "Günter Müller"),
    ("Günter Muller", "person", "Günter Müller"),
    ("Lives of Others, The", "film", "Das Leben der Anderen"),  # leading article turned
    ("the lives of others", "film", "Das Leben der Anderen"),  # English title
    ("Leben der Anderen", "film", "Das Leben der Anderen"),
    ("Head On", "film", "Gegen die Wand"),  # alias
    ("humphrey bogard", "person", "Humphrey Bogart"),
    ("Donnersmark", "person", "Florian Henckel von Donnersmarck"),  # part of a name
    ("erin testwriter", "critic", "Erin Testwriter"),
    ("Akin Hamburg", "article", "Fatih Akın on Hamburg and home"),
]


@pytest.mark.django_db
def test_search_forgives_typos_accents_word_order_and_articles(catalogue):
    wrong = {}
    for query, kind, expected in FORGIVEN:
        results = services.search(query)
        group = next((g for g in results.groups if g.kind == kind), None)
        found = group.hits[0].title if group else None
        if found != expected:
            wrong[query] = f"{kind}: expected {expected!r}, found {found!r}"
    assert not wrong, wrong


@pytest.mark.django_db
def test_the_film_named_comes_first_then_its_review(catalogue):
    results = services.search("Casablanca")
    assert results.best_film.title == "Casablanca"
    assert [g.kind for g in results.groups][:1] == ["film"]
    films = [h.title for h in results.groups[0].hits]
    assert films[:2] == ["Casablanca", "Casablanca Express"]
    reviews = next(g for g in results.groups if g.kind == "review")
    assert reviews.hits[0].subtitle.startswith("Review by Erin Testwriter")


@pytest.mark.django_db
def test_a_person_query_puts_people_first_and_no_film_as_best(catalogue):
    results = services.search("Fatih Akin")
    assert results.best_film is None
    assert results.groups[0].kind == "person"


@pytest.mark.django_db
def test_nonsense_finds_nothing(catalogue):
    assert services.search("qqqxzzv").groups == []
    assert services.search("").groups == []


@pytest.mark.django_db
def test_suggestions_read_the_last_word_as_a_beginning(catalogue):
    typed = {
        "casab": "Casablanca",
        "Fatih Ak": "Fatih Akın",
        "Muench": "Munich",
        "lives of o": "Das Leben der Anderen",
        "gegen die w": "Gegen die Wand",
    }
    found = {q: (services.suggest(q) or [None])[0] for q in typed}
    assert {q: hit.title if hit else None for q, hit in found.items()} == typed


@pytest.mark.django_db
def test_suggest_endpoint_returns_cacheable_json(client, catalogue):
    response = client.get("/search/suggest", {"q": "casab"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["query"] == "casab"
    assert data["search_url"] == "/search/?q=casab"
    top = data["results"][0]
    assert top == {
        "kind": "film",
        "kind_label": "Film",
        "title": "Casablanca",
        "subtitle": "1942 · Michael Curtiz",
        "url": "/films/casablanca-1942/",
    }
    assert json.loads(client.get("/search/suggest", {"q": "c"}).content)["results"] == []


@pytest.mark.django_db
def test_search_page_groups_results_with_headings(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "casablanka"})
    assert response.status_code == 200
    html = response.content.decode()
    text = _main_text(html)
    assert "Search results for “casablanka”" in text
    text = text[text.index(" results.") :]
    assert text.index("Films") < text.index("Casablanca") < text.index("Reviews")
    assert '<li class="search-best"><a href="/films/casablanca-1942/">Casablanca</a>' in html
    assert "Review by Erin Testwriter" in text
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.django_db
def test_search_page_filters_by_kind_and_says_when_nothing_matches(client, catalogue):
    text = _main_text(client.get("/search/", {"q": "casablanca", "kind": "film"}).content.decode())
    assert "among films" in text and "Review by" not in text
    text = _main_text(client.get("/search/", {"q": "zzqqxx"}).content.decode())
    assert "Nothing found for “zzqqxx”" in text
    text = _main_text(client.get("/search/").content.decode())
    assert "Spelling need not be perfect" in text


@pytest.mark.django_db
def test_header_search_box_works_without_script_and_loads_it_deferred(client, catalogue):
    html = client.get("/films/").content.decode()
    form = html[
        html.index('<form class="site-search"') : html.index(
            "</form>", html.index('<form class="site-search"')
        )
    ]
    assert 'action="/search/"' in form and 'method="get"' in form
    assert '<label for="site-search-q">' in form
    assert 'role="combobox"' in form and 'aria-controls="site-search-list"' in form
    assert 'name="csrfmiddlewaretoken"' not in form
    assert re.search(r'<script src="/static/js/search\.js" defer></script>', html)
    assert "onclick" not in form and "<script>" not in html


def test_database_under_test_is_reported(request):
    """Makes the vendor visible in -v output when the suite runs on PostgreSQL."""
    request.node.user_properties.append(("vendor", connection.vendor))


@pytest.mark.django_db
def test_a_film_about_a_person_does_not_push_the_person_down(catalogue):
    from kinocritics.core.tests.factories import FilmFactory
    from kinocritics.search import indexing

    FilmFactory(title="Humphrey Bogart: A Life in Pictures", slug="bogart-life", year=1997)
    indexing.rebuild(["film"])
    results = services.search("humphrey bogard")
    assert results.best_film is None
    assert results.groups[0].kind == "person"
