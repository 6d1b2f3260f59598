"""What an editor sees in the Wagtail admin when writing reviews and films."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kinocritics.core.tests.factories import CreditedImageFactory, CriticFactory, FilmFactory
from kinocritics.films.models import Film
from kinocritics.reviews.models import ReviewPage


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(user)
    return client


def _review_form(**fields):
    data = {
        "title": "Draft review",
        "slug": "draft-review",
        "body": rich_text("<p>Thoughts in progress.</p>"),
        "summary": "",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def _add_url(review_index):
    return f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/"


@pytest.mark.django_db
def test_editor_can_save_an_incomplete_draft(editor_client, review_index):
    response = editor_client.post(_add_url(review_index), _review_form())
    assert response.status_code == 302
    page = ReviewPage.objects.get(slug="draft-review")
    assert not page.live


@pytest.mark.django_db
def test_publishing_without_film_critic_or_still_explains_what_is_missing(
    editor_client, review_index
):
    response = editor_client.post(
        _add_url(review_index), _review_form(**{"action-publish": "publish"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This review cannot be published yet" in html
    assert "Choose the film this review is about." in html
    assert "Choose the critic who wrote it." in html
    assert "Add a still from the film." in html
    assert not ReviewPage.objects.filter(slug="draft-review").exists()


@pytest.mark.django_db
def test_publishing_with_an_uncredited_still_names_the_image(editor_client, review_index):
    still = CreditedImageFactory(title="Uncredited frame", credit="  ")
    form = _review_form(
        film=FilmFactory().pk,
        critic=CriticFactory().pk,
        still=still.pk,
        **{"action-publish": "publish"},
    )
    html = editor_client.post(_add_url(review_index), form).content.decode()
    assert "“Uncredited frame” has no credit line" in html


@pytest.mark.django_db
def test_complete_review_publishes_with_stars(editor_client, review_index):
    form = _review_form(
        film=FilmFactory(title="Past Lives").pk,
        critic=CriticFactory().pk,
        still=CreditedImageFactory().pk,
        rating=5,
        **{"action-publish": "publish"},
    )
    response = editor_client.post(_add_url(review_index), form)
    assert response.status_code == 302
    page = ReviewPage.objects.get(slug="draft-review")
    assert page.live and page.stars_text == "**1/2"


@pytest.mark.django_db
def test_two_films_with_the_same_wikidata_or_imdb_id_cannot_be_created(editor_client):
    FilmFactory(title="Casablanca", wikidata_id="Q132689", imdb_id="tt0034583")
    form = nested_form_data(
        {
            "title": "Casablanca (again)",
            "slug": "casablanca-again",
            "wikidata_id": "Q132689",
            "imdb_id": "tt0034583",
            "film_countries": inline_formset([]),
            "credits": inline_formset([]),
            "aliases": inline_formset([]),
        }
    )
    response = editor_client.post("/admin/snippets/films/film/add/", form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Film with this Wikidata id already exists." in html
    assert "Film with this IMDb id already exists." in html
    assert Film.objects.filter(wikidata_id="Q132689").count() == 1


@pytest.mark.django_db
def test_editor_adds_credits_in_billing_order(editor_client):
    from kinocritics.core.tests.factories import PersonFactory

    rex, elrod = PersonFactory(name="Simon Rex"), PersonFactory(name="Bree Elrod")
    form = nested_form_data(
        {
            "title": "Red Rocket",
            "slug": "red-rocket",
            "year": 2021,
            "film_countries": inline_formset([]),
            "credits": inline_formset(
                [
                    {"role": "actor", "person": rex.pk, "ORDER": 1},
                    {"role": "actor", "person": elrod.pk, "ORDER": 2},
                ]
            ),
            "aliases": inline_formset([{"title": "Roter Rakete", "ORDER": 1}]),
        }
    )
    response = editor_client.post("/admin/snippets/films/film/add/", form)
    assert response.status_code == 302
    film = Film.objects.get(slug="red-rocket")
    assert [c.person.name for c in film.credits.order_by("sort_order")] == [
        "Simon Rex",
        "Bree Elrod",
    ]
    assert film.aliases.get().normalised == "roter rakete"


@pytest.mark.django_db
def test_scheduled_review_goes_live_when_its_time_comes(editor_client, review_index):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.models import Revision

    go_live = timezone.localtime() + dt.timedelta(days=2)
    form = _review_form(
        film=FilmFactory().pk,
        critic=CriticFactory().pk,
        still=CreditedImageFactory().pk,
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        **{"action-publish": "publish"},
    )
    assert editor_client.post(_add_url(review_index), form).status_code == 302
    page = ReviewPage.objects.get(slug="draft-review")
    assert not page.live
    assert editor_client.get("/reviews/").content.decode().count("Draft review") == 0

    # Time passes: move the scheduled moment into the past.
    past = timezone.now() - dt.timedelta(minutes=1)
    revision = Revision.objects.get(object_id=str(page.pk), approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_editor_can_preview_a_draft(editor_client, review_index):
    film = FilmFactory(title="Preview Film", countries=["France"])
    form = _review_form(film=film.pk, body=rich_text("<p>Preview text here.</p>"))
    response = editor_client.post(
        f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/preview/", form
    )
    assert response.json()["is_valid"]
    html = editor_client.get(
        f"/admin/pages/add/reviews/reviewpage/{review_index.pk}/preview/"
    ).content.decode()
    assert "Preview text here." in html and "France 2021" in html
