"""Importing a cinema's programme: snapshots, stale feeds, bad rows, film matching."""

import datetime as dt

import pytest
from django.utils import timezone

from kinocritics.cinemas.matching import listing_assign
from kinocritics.cinemas.models import ListingTitle, Screening, Source
from kinocritics.cinemas.services import screening_import
from kinocritics.core.tests.factories import FilmFactory

from .conftest import csv_text, local


@pytest.fixture
def past_lives(db):
    return FilmFactory(
        title="Past Lives",
        slug="past-lives-2023",
        year=2023,
        german_opening=timezone.localdate() - dt.timedelta(days=10),
    )


def _import(source, path, text):
    path.write_text(text, encoding="utf-8")
    source.refresh_from_db()
    return screening_import(source=source)


@pytest.mark.django_db
def test_import_reads_labels_and_matches_the_film(csv_source, tomorrow, past_lives):
    source, path = csv_source
    day = tomorrow.isoformat()
    run = _import(
        source,
        path,
        csv_text(
            f"abaton,Past Lives (OmeU),{day},20:15,,Saal 1,https://tickets.example.org/1",
            f"savoy,PAST LIVES,{day},18:00,OV (englisch),,",
        ),
    )
    assert run.ok and run.created == 2 and not run.errors
    omeu = Screening.objects.get(cinema__slug="abaton")
    assert omeu.film == past_lives
    assert omeu.version == "OMU_EN" and omeu.subtitle_languages == ["en"]
    assert omeu.english_friendly
    assert omeu.start == local(tomorrow, "20:15")
    assert omeu.raw_title == "Past Lives (OmeU)"
    ov = Screening.objects.get(cinema__slug="savoy")
    assert ov.film == past_lives and ov.audio_language == "en"
    assert ov.version_words == "English · no subtitles"


@pytest.mark.django_db
def test_a_new_snapshot_replaces_the_future_programme(csv_source, tomorrow, past_lives):
    source, path = csv_source
    day = tomorrow.isoformat()
    _import(
        source,
        path,
        csv_text(
            f"abaton,Past Lives OmU,{day},14:30,,,",
            f"abaton,Past Lives OmU,{day},17:45,,,",
            f"abaton,Past Lives OmU,{day},20:15,,,",
        ),
    )
    first_seen = Screening.objects.get(start=local(tomorrow, "17:45")).first_seen
    run = _import(
        source,
        path,
        csv_text(
            f"abaton,Past Lives OmU,{day},17:45,,,",
            f"abaton,Past Lives OmU,{day},20:15,,,",
            f"abaton,Past Lives OmU,{day},22:30,,,",
        ),
    )
    assert (run.created, run.removed, run.unchanged) == (1, 1, 2)
    times = [s.start for s in Screening.objects.order_by("start")]
    assert times == [local(tomorrow, t) for t in ("17:45", "20:15", "22:30")]
    assert Screening.objects.get(start=local(tomorrow, "17:45")).first_seen == first_seen


@pytest.mark.django_db
def test_an_ov_and_a_dubbed_show_at_the_same_minute_are_two_screenings(csv_source, tomorrow):
    source, path = csv_source
    day = tomorrow.isoformat()
    run = _import(
        source,
        path,
        csv_text(
            f"abaton,Dune: Part Two (OV),{day},20:00,,Saal 1,",
            f"abaton,Dune: Part Two,{day},20:00,D,Saal 1,",
            f"abaton,Dune: Part Two (OV),{day},20:00,,Saal 2,",
        ),
    )
    assert run.created == 3
    assert sorted(Screening.objects.values_list("version", "auditorium")) == [
        ("DE", "Saal 1"),
        ("OV", "Saal 1"),
        ("OV", "Saal 2"),
    ]


@pytest.mark.django_db
def test_a_bad_row_is_reported_with_its_line_and_the_rest_imports(csv_source, tomorrow):
    source, path = csv_source
    day = tomorrow.isoformat()
    run = _import(
        source,
        path,
        csv_text(
            f"abaton,Aftersun OmU,{day},20:15,,,",
            f"abaton,Aftersun OmU,{day},25:00,,,",
            f"nowhere,Aftersun OmU,{day},21:00,,,",
        ),
    )
    assert run.created == 1
    messages = [str(e) for e in run.errors]
    assert any(m.startswith("line 3") for m in messages), messages
    assert any(m.startswith("line 4") and "unknown cinema" in m for m in messages), messages
    source.refresh_from_db()
    assert not source.stale and len(source.last_row_errors) == 2


@pytest.mark.django_db
def test_a_failing_feed_keeps_the_last_good_programme_and_marks_it_stale(
    csv_source, tomorrow, client
):
    source, path = csv_source
    _import(source, path, csv_text(f"abaton,Aftersun OmU,{tomorrow.isoformat()},20:15,,,"))
    path.unlink()
    run = screening_import(source=source)
    assert not run.ok and "could not read" in run.failed
    assert Screening.objects.count() == 1
    source.refresh_from_db()
    assert source.stale and source.last_success_at is not None
    html = client.get("/cinemas/abaton/").content.decode()
    assert "Aftersun" in html
    assert "Programme of Abaton, Savoy as of" in html  # every cinema the feed covers


@pytest.mark.django_db
def test_a_feed_that_suddenly_returns_nothing_keeps_the_programme(csv_source, tomorrow):
    source, path = csv_source
    _import(source, path, csv_text(f"abaton,Aftersun OmU,{tomorrow.isoformat()},20:15,,,"))
    run = _import(source, path, csv_text())
    assert not run.ok and "no shows" in run.failed
    assert Screening.objects.count() == 1
    assert Source.objects.get().stale


@pytest.mark.django_db
def test_past_screenings_are_kept_as_history(csv_source, tomorrow):
    source, path = csv_source
    _import(source, path, csv_text(f"abaton,Aftersun OmU,{tomorrow.isoformat()},20:15,,,"))
    later = timezone.now() + dt.timedelta(days=3)
    path.write_text(
        csv_text(f"abaton,Tár OmU,{(tomorrow + dt.timedelta(days=3)).isoformat()},20:15,,,")
    )
    run = screening_import(source=source, now=later)
    assert run.ok
    assert set(Screening.objects.values_list("title", flat=True)) == {"Aftersun", "Tár"}


@pytest.mark.django_db
def test_an_editors_match_sticks_on_the_next_import(csv_source, tomorrow, django_user_model):
    source, path = csv_source
    film = FilmFactory(title="Anatomy of a Fall", slug="anatomy-of-a-fall", year=2023)
    text = csv_text(f"abaton,Anatomie d'une chute – OmeU,{tomorrow.isoformat()},20:15,,,")
    _import(source, path, text)
    listing = ListingTitle.objects.get()
    assert listing.decision != "accept"
    editor = django_user_model.objects.create_user("ed")
    listing_assign(listing=listing, film=film, editor=editor)
    assert Screening.objects.get().film == film  # existing shows follow at once
    _import(source, path, text)
    assert Screening.objects.get().film == film
    assert film.aliases.filter(title="Anatomie d'une chute").exists()


@pytest.mark.django_db
def test_a_changed_show_keeps_its_first_seen_and_takes_only_the_new_details(
    csv_source, tomorrow, past_lives
):
    source, path = csv_source
    day = tomorrow.isoformat()
    before = timezone.now() - dt.timedelta(hours=2)
    path.write_text(
        csv_text(
            f"abaton,Past Lives OmU,{day},17:45,,Saal 1,https://tickets.example.org/1",
            f"savoy,Past Lives (OmeU),{day},20:15,,,",
        ),
        encoding="utf-8",
    )
    first = screening_import(source=source, now=before)
    assert first.created == 2
    stored = Screening.objects.get(cinema__slug="abaton")
    assert stored.first_seen == stored.last_seen == before
    assert (stored.film, stored.version, stored.subtitle_languages) == (
        past_lives,
        "OMU_DE",
        ["de"],
    )
    assert stored.start == local(tomorrow, "17:45")
    savoy = Screening.objects.get(cinema__slug="savoy")
    assert (savoy.version, savoy.english_friendly) == ("OMU_EN", True)

    later = before + dt.timedelta(hours=1)
    path.write_text(
        csv_text(
            f"abaton,Past Lives OmU 70mm,{day},17:45,,Saal 1,https://tickets.example.org/new?a=1&b=2",
            f"savoy,Past Lives (OmeU),{day},20:15,,,",
        ),
        encoding="utf-8",
    )
    run = screening_import(source=source, now=later)
    assert (run.created, run.updated, run.unchanged, run.removed) == (0, 1, 1, 0)
    changed = Screening.objects.get(cinema__slug="abaton")
    assert changed.pk == stored.pk and changed.first_seen == before and changed.last_seen == later
    assert changed.ticket_url == "https://tickets.example.org/new?a=1&b=2"
    assert changed.formats == ["70mm"] and changed.raw_title == "Past Lives OmU 70mm"
    assert (changed.film, changed.subtitle_languages, changed.auditorium) == (
        past_lives, ["de"], "Saal 1"
    )  # fmt: skip
    # The unchanged show was left as it was.
    assert Screening.objects.filter(english_friendly=True).count() == 1
