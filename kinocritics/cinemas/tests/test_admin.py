"""Editors: the unmatched-listings queue, per-source status and 'import now'."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from kinocritics.cinemas import tasks
from kinocritics.cinemas.models import ListingTitle, Screening
from kinocritics.cinemas.services import screening_import
from kinocritics.core.tests.factories import FilmFactory

from .conftest import csv_text


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


@pytest.fixture
def queued(csv_source, tomorrow):
    """Two same-titled catalogue films: the listing needs an editor."""
    source, path = csv_source
    FilmFactory(title="Breathless", slug="breathless-1960", year=1960)
    remake = FilmFactory(title="Breathless", slug="breathless-1983", year=1983)
    path.write_text(csv_text(f"abaton,Breathless (OV),{tomorrow.isoformat()},20:15,,,"))
    screening_import(source=source)
    return source, remake


@pytest.mark.django_db
def test_queue_lists_unsure_listings_with_suggestions(editor_client, queued):
    html = editor_client.get("/admin/listings/").content.decode()
    assert "Breathless" in html
    assert "Breathless (1960)" in html and "Breathless (1983)" in html


@pytest.mark.django_db
def test_one_click_assignment_matches_the_shows_and_sticks(editor_client, queued):
    source, remake = queued
    listing = ListingTitle.objects.get(title="Breathless")
    response = editor_client.post(f"/admin/listings/{listing.pk}/assign/", {"film": str(remake.pk)})
    assert response.status_code == 302
    assert Screening.objects.get().film == remake
    screening_import(source=source)
    assert Screening.objects.get().film == remake
    assert (
        "Breathless"
        not in editor_client.get("/admin/listings/").content.decode().split("<tbody>")[1]
    )


@pytest.mark.django_db
def test_assigning_an_unknown_film_says_what_to_paste(editor_client, queued):
    listing = ListingTitle.objects.get(title="Breathless")
    response = editor_client.post(
        f"/admin/listings/{listing.pk}/assign/", {"film": "no-such-film"}, follow=True
    )
    assert "No film “no-such-film”" in response.content.decode()
    assert Screening.objects.get().film is None


@pytest.mark.django_db
def test_source_status_shows_last_run_rows_and_errors(editor_client, csv_source, tomorrow):
    source, path = csv_source
    path.write_text(csv_text(f"abaton,Aftersun OmU,{tomorrow.isoformat()},25:00,,,"))
    screening_import(source=source)
    html = editor_client.get("/admin/snippets/cinemas/source/").content.decode()
    assert "Hamburg CSV" in html
    response = editor_client.post(f"/admin/sources/{source.pk}/import/", follow=True)
    assert "kept the last good programme" in response.content.decode()


@pytest.mark.django_db
def test_the_queue_is_for_editors_only(client, django_user_model, queued):
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    assert client.get("/admin/listings/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_hourly_task_imports_every_source_and_schedules_the_next(csv_source, tomorrow):
    source, path = csv_source
    path.write_text(csv_text(f"abaton,Aftersun OmU,{tomorrow.isoformat()},20:15,,,"))
    with mock.patch.object(tasks, "schedule_next_import") as schedule:
        result = tasks.screenings_import_all_task.call()
    assert Screening.objects.count() == 1
    assert "Hamburg CSV: 1 shows read" in result[0]
    (call,) = schedule.call_args_list
    delay = call.kwargs["after"] - timezone.now()
    assert dt.timedelta(minutes=59) < delay <= dt.timedelta(hours=1)


@pytest.mark.django_db
def test_the_hourly_import_is_queued_once_on_the_worker(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    later = timezone.now() + dt.timedelta(hours=1)
    assert tasks.schedule_next_import(after=later) is True
    assert tasks.schedule_next_import(after=later) is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == tasks.screenings_import_all_task.module_path
    assert queued.run_after == later
