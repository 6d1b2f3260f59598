"""The index follows edits (after commit) and `search_rebuild` rebuilds it whole."""

from io import StringIO

import pytest
from django.core.management import call_command

from kinocritics.core.tests.factories import CriticFactory, FilmFactory, review_publish
from kinocritics.films.models import FilmAlias
from kinocritics.search import services
from kinocritics.search.models import SearchEntry, SearchToken


def titles(query, kind):
    return [h.title for g in services.search(query).groups if g.kind == kind for h in g.hits]


@pytest.mark.django_db
def test_rebuild_command_indexes_every_kind_and_reports(catalogue):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    report = out.getvalue()
    assert "7 films" in report and "1 reviews" in report and "1 critics" in report
    assert "Search index rebuilt: " in report
    counts = {k: SearchEntry.objects.filter(kind=k).count() for k in SearchEntry.Kind.values}
    assert counts == {"film": 7, "person": 7, "review": 1, "article": 1, "critic": 1}
    munich = SearchEntry.objects.get(kind="film", title="Munich")
    assert munich.text == "munich | munchen | muenchen"
    assert set(SearchToken.objects.filter(entry=munich).values_list("token", flat=True)) == {
        "munich",
        "munchen",
        "muenchen",
    }
    interview = SearchEntry.objects.get(kind="article")
    assert interview.text.endswith("|| fatih akin")  # the person it is about, matched less


@pytest.mark.django_db
def test_rebuild_of_one_kind_leaves_the_others(catalogue):
    call_command("search_rebuild", "--kind", "critic", stdout=StringIO())
    assert SearchEntry.objects.filter(kind="film").count() == 7


@pytest.mark.django_db
def test_edits_reach_the_index_after_commit(catalogue, django_capture_on_commit_callbacks):
    film = catalogue["films"]["casanova"]
    with django_capture_on_commit_callbacks(execute=True):
        film.title = "Casanova Variations"
        film.save()
    assert "Casanova Variations" in titles("casanova variations", "film")

    with django_capture_on_commit_callbacks(execute=True):
        FilmAlias.objects.create(film=film, title="Die Casanova-Variationen")
    assert titles("casanova variationen", "film")[0] == "Casanova Variations"

    with django_capture_on_commit_callbacks(execute=True):
        new = FilmFactory(title="Toni Erdmann", slug="toni-erdmann-2016", year=2016)
        critic = CriticFactory(name="Kim Newcritic", slug="kim-newcritic", initials="KN")
        review = review_publish(film=new, critic=critic)
    assert titles("toni erdman", "film") == ["Toni Erdmann"]
    assert titles("toni erdmann", "review") == ["Toni Erdmann"]
    assert titles("kim newcritic", "critic") == ["Kim Newcritic"]

    with django_capture_on_commit_callbacks(execute=True):
        review.unpublish()
    assert titles("toni erdmann", "review") == []

    with django_capture_on_commit_callbacks(execute=True):
        film.delete()
    assert titles("casanova variations", "film") == []


@pytest.mark.django_db
def test_nothing_is_indexed_when_the_transaction_rolls_back(catalogue):
    FilmFactory(title="Never Committed", slug="never-committed")
    assert titles("never committed", "film") == []
