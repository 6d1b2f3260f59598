import pytest

from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import CriticFactory, FilmFactory, review_publish


@pytest.mark.django_db
def test_critic_page_shows_bio_initials_and_paginated_reviews(client):
    critic = CriticFactory(
        name="Mara Lindqvist", slug="mara-lindqvist", initials="ML", bio="<p>Loves noir.</p>"
    )
    for n in range(23):
        review_publish(film=FilmFactory(title=f"Noir {n:02d}"), critic=critic)
    html = client.get("/critics/mara-lindqvist/").content.decode()
    assert "Mara Lindqvist" in html and ">ML<" in html and "Loves noir." in html
    assert "Reviews by Mara Lindqvist" in html and "(23)" in html
    assert "Page 1 of 2" in html
    page2 = client.get("/critics/mara-lindqvist/?page=2").content.decode()
    assert page2.count('class="review-card"') == 3
    profile = jsonld.by_type(html, "ProfilePage")
    jsonld.validate(profile)
    assert profile["mainEntity"]["alternateName"] == "ML"


@pytest.mark.django_db
def test_critic_list_counts_reviews_with_constant_queries(client, django_assert_max_num_queries):
    for _ in range(6):
        critic = CriticFactory()
        review_publish(film=FilmFactory(), critic=critic)
    client.get("/critics/")
    with django_assert_max_num_queries(6):
        html = client.get("/critics/").content.decode()
    assert html.count('class="critic-card"') == 6
    assert "1 review<" in html


@pytest.mark.django_db
def test_initials_are_unique_and_upper_case(db):
    from django.core.exceptions import ValidationError

    CriticFactory(initials="BS")
    duplicate = CriticFactory.build(initials="BS", slug="other")
    with pytest.raises(ValidationError, match="initials"):
        duplicate.full_clean()
    lower = CriticFactory.build(initials="kb", slug="kb")
    with pytest.raises(ValidationError):
        lower.full_clean()
