"""Shared pytest fixtures: factories for the catalogue, critics and reviews."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (it outlives the rolled-back database)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def review_index(db):
    from kinocritics.reviews.models import ReviewIndexPage

    return ReviewIndexPage.objects.get()


@pytest.fixture
def red_rocket(db):
    """The brief's reference film, with credits in billing order and one published review."""
    import datetime as dt

    from kinocritics.core.tests.factories import (
        CreditedImageFactory,
        CriticFactory,
        FilmFactory,
        review_publish,
    )
    from kinocritics.films.models import Credit, Person

    film = FilmFactory(
        title="Red Rocket",
        slug="red-rocket-2021",
        year=2021,
        german_opening=dt.date(2022, 4, 14),
        runtime_minutes=130,
        countries=["United States"],
    )
    people = [
        ("Sean Baker", "director"),
        ("Sean Baker", "writer"),
        ("Chris Bergoch", "writer"),
        ("Simon Rex", "actor"),
        ("Bree Elrod", "actor"),
        ("Suzanna Son", "actor"),
        ("Judy Hill", "actor"),
        ("Brenda Deiss", "actor"),
    ]
    for position, (name, role) in enumerate(people):
        person, _ = Person.objects.get_or_create(
            name=name, defaults={"slug": name.lower().replace(" ", "-")}
        )
        Credit.objects.create(film=film, person=person, role=role, sort_order=position)
    critic = CriticFactory(name="Erin Testwriter", slug="erin-testwriter", initials="ET")
    review = review_publish(
        film=film,
        critic=critic,
        rating=7,
        body="<p>Mikey comes home to Texas City and talks without pause.</p>",
        summary="A hustler comes home.",
        still=CreditedImageFactory(title="Red Rocket still", credit="Test Distributor GmbH"),
        legacy_id=2101,
    )
    return film, review, critic


@pytest.fixture
def hamburg_source(db, tmp_path):
    """A CSV feed for the Abaton in Hamburg; write its programme with programme_write()."""
    from kinocritics.cinemas.models import Cinema, City, Source

    city = City.objects.create(name="Hamburg", slug="hamburg")
    abaton = Cinema.objects.create(name="Abaton", slug="abaton", city=city)
    source = Source.objects.create(
        name="Abaton CSV", slug="abaton-csv", kind=Source.Kind.CSV, location=str(tmp_path / "p.csv")
    )
    source.cinemas.set([abaton])
    return source, tmp_path / "p.csv"
