"""A small catalogue with the names readers get wrong, and its search index."""

import datetime as dt

import pytest

from kinocritics.core.tests.factories import CriticFactory, FilmFactory, review_publish
from kinocritics.festivals.models import ArticleIndexPage, ArticlePage
from kinocritics.films.models import Credit, FilmAlias, Person
from kinocritics.search import indexing


def publish_article(*, title, kind="interview", people=(), authors=()):
    index = ArticleIndexPage.objects.get()
    article = ArticlePage(title=title, slug=title.lower().replace(" ", "-")[:50], kind=kind)
    index.add_child(instance=article)
    article.people.set(list(people))
    article.authors.set(list(authors))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def credit(film, name, role, order=0):
    person, _ = Person.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-").replace("ı", "i")}
    )
    Credit.objects.create(film=film, person=person, role=role, sort_order=order)
    return person


@pytest.fixture
def catalogue(db):
    films = {
        "casablanca": FilmFactory(title="Casablanca", slug="casablanca-1942", year=1942),
        "express": FilmFactory(
            title="Casablanca Express", slug="casablanca-express-1989", year=1989
        ),
        "casanova": FilmFactory(title="Casanova", slug="casanova-2005", year=2005),
        "others": FilmFactory(
            title="Das Leben der Anderen",
            original_title="Das Leben der Anderen",
            german_title="Das Leben der Anderen",
            english_title="The Lives of Others",
            slug="das-leben-der-anderen-2006",
            year=2006,
            german_opening=dt.date(2006, 3, 23),
        ),
        "munich": FilmFactory(
            title="Munich", german_title="München", slug="munich-2005", year=2005
        ),
        "wall": FilmFactory(
            title="Gegen die Wand", english_title="Head-On", slug="gegen-die-wand-2004", year=2004
        ),
        "edge": FilmFactory(
            title="Auf der anderen Seite", slug="auf-der-anderen-seite-2007", year=2007
        ),
    }
    FilmAlias.objects.create(film=films["wall"], title="Head On – Gegen die Wand")
    credit(films["casablanca"], "Michael Curtiz", "director")
    credit(films["casablanca"], "Humphrey Bogart", "actor", 1)
    credit(films["casablanca"], "Ingrid Bergman", "actor", 2)
    akin = credit(films["wall"], "Fatih Akın", "director")
    credit(films["edge"], "Fatih Akın", "director")
    credit(films["wall"], "Fatih Akın", "writer", 1)
    credit(films["munich"], "Steven Spielberg", "director")
    credit(films["others"], "Florian Henckel von Donnersmarck", "director")
    Person.objects.create(name="Günter Müller", slug="gunter-muller")
    critic = CriticFactory(name="Erin Testwriter", slug="erin-testwriter", initials="ET")
    review = review_publish(
        film=films["casablanca"], critic=critic, rating=8, summary="Still the one."
    )
    interview = publish_article(
        title="Fatih Akın on Hamburg and home", people=[akin], authors=[critic]
    )
    indexing.rebuild()
    return {
        "films": films,
        "akin": akin,
        "critic": critic,
        "review": review,
        "interview": interview,
    }
