"""Editors: paste an old-style review list, check it, save a draft; the import command."""

import datetime as dt

import pytest
from django.core.management import call_command

from kinocritics.core.tests.factories import CriticFactory, FilmFactory
from kinocritics.festivals.models import ArticlePage, Festival, FestivalEdition

OLD_LIST = """\
Melon Route, The ****
Ana Ortiz, Spain/Argentina
Starts December 27
Two sisters drive a melon truck across a dry country and find out who they are.
(Bea Sample, KB***, NT**1/2)

Quiet Harbour *****
Lars Ek, Sweden
A ferry captain retires and does not know what to do with his hands.
(Kit Bright, ZZ***, KB**)
"""


@pytest.fixture
def setup(db, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "e@example.org", "pw"))
    festival = Festival.objects.create(name="Berlinale", slug="berlinale")
    edition = FestivalEdition.objects.create(
        festival=festival, year=2014, start_date=dt.date(2014, 2, 6)
    )
    CriticFactory(name="Bea Sample", slug="bea-sample", initials="BS")
    CriticFactory(name="Kit Bright", slug="kit-bright", initials="KB")
    CriticFactory(name="Nora Test", slug="nora-test", initials="NT")
    FilmFactory(title="The Melon Route", slug="the-melon-route", year=2014)
    return client, edition


@pytest.mark.django_db
def test_pasted_list_is_shown_with_problems_flagged_before_saving(setup):
    client, edition = setup
    response = client.post(
        "/admin/festival-list/paste/",
        {"edition": edition.pk, "title": "Reviews I", "text": OLD_LIST, "preview": "1"},
    )
    html = response.content.decode()
    assert "2 entries read" in html
    assert "The Melon Route" in html and "Quiet Harbour" in html
    assert "*****" in html and "not a rating" in html
    assert "ZZ" in html and "unknown initials" in html
    assert "co-rating by the author" in html
    assert not ArticlePage.objects.exists()  # nothing saved yet


@pytest.mark.django_db
def test_saving_makes_a_draft_article_with_structured_entries(setup):
    client, edition = setup
    response = client.post(
        "/admin/festival-list/paste/",
        {"edition": edition.pk, "title": "Reviews I", "text": OLD_LIST, "save": "1"},
    )
    article = ArticlePage.objects.get()
    assert response.status_code == 302 and not article.live
    first, second = [b.value for b in article.get_latest_revision_as_object().body]
    assert first["film"].title == "The Melon Route" and first["stars"] == "8"
    assert [(c["critic"].initials, c["stars"]) for c in first["co_ratings"]] == [
        ("KB", "6"), ("NT", "5")
    ]  # fmt: skip
    assert second["title"] == "Quiet Harbour" and second["stars"] == ""
    assert "[Check:" in second["text"] and "*****" in second["text"]  # kept, never dropped


@pytest.mark.django_db
def test_import_command_reads_a_file_and_reports_problems(setup, tmp_path, capsys):
    _, edition = setup
    path = tmp_path / "berlinale-reviews.txt"
    path.write_text(OLD_LIST, encoding="utf-8")
    call_command("import_festival_list", str(path), "--edition", "berlinale/2014")
    out = capsys.readouterr().out
    assert "Read 2 entries (1 matched to catalogue films)" in out
    assert "unknown initials" in out
    assert ArticlePage.objects.get().edition == edition


@pytest.mark.django_db
def test_import_command_explains_a_wrong_edition(setup, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.txt"
    path.write_text(OLD_LIST)
    with pytest.raises(CommandError, match="festival-slug/year"):
        call_command("import_festival_list", str(path), "--edition", "cannes")
