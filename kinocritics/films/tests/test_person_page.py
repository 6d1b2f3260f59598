"""Person pages: filmography by role with years, our reviews, interviews, Person JSON-LD."""

import re
from html import unescape

import pytest

from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import (
    CreditFactory,
    CriticFactory,
    FilmFactory,
    review_publish,
)
from kinocritics.festivals.models import ArticleIndexPage, ArticlePage
from kinocritics.films.models import Person


def _text(html: str) -> str:
    html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r"<(script|style|nav)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def publish_article(title, *, kind, people, authors=()):
    article = ArticlePage(title=title, slug=re.sub(r"\W+", "-", title.lower())[:50], kind=kind)
    ArticleIndexPage.objects.get().add_child(instance=article)
    article.people.set(people)
    article.authors.set(authors)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def akin(db):
    person = Person.objects.create(name="Fatih Akın", slug="fatih-akin", wikidata_id="Q51562")
    wall = FilmFactory(title="Gegen die Wand", slug="gegen-die-wand-2004", year=2004)
    edge = FilmFactory(title="Auf der anderen Seite", slug="auf-der-anderen-seite-2007", year=2007)
    soul = FilmFactory(title="Soul Kitchen", slug="soul-kitchen-2009", year=2009)
    cameo = FilmFactory(title="Kurz und schmerzlos", slug="kurz-und-schmerzlos-1998", year=1998)
    for film in (wall, edge, soul):
        CreditFactory(film=film, person=person, role="director")
        CreditFactory(film=film, person=person, role="writer")
    CreditFactory(film=cameo, person=person, role="actor")
    critic = CriticFactory(name="Erin Testwriter", slug="erin-testwriter", initials="ET")
    review = review_publish(film=edge, critic=critic, rating=7)
    interview = publish_article(
        "Fatih Akın on making films in Hamburg",
        kind="interview",
        people=[person],
        authors=[critic],
    )
    report = publish_article("Cannes diary, day three", kind="festival_report", people=[person])
    other = Person.objects.create(name="Somebody Else", slug="somebody-else")
    publish_article("An interview with somebody else", kind="interview", people=[other])
    return person, review, interview, report


@pytest.mark.django_db
def test_person_page_shows_roles_years_reviews_and_interview(
    client, akin, django_assert_max_num_queries
):
    person, review, interview, report = akin
    client.get("/people/fatih-akin/")  # warm the site-root and sidebar caches
    with django_assert_max_num_queries(14):
        response = client.get("/people/fatih-akin/")
    html = response.content.decode()
    text = _text(html)
    order = ["Directed", "Soul Kitchen 2009", "Auf der anderen Seite 2007", "Gegen die Wand 2004",
             "Wrote", "Acted in", "Kurz und schmerzlos 1998", "Our reviews of Fatih Akın’s films",
             "Interview", "Fatih Akın on making films in Hamburg", "Also in our articles",
             "Cannes diary, day three"]  # fmt: skip
    positions = [text.find(x) for x in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    reviews = text[text.index("Our reviews of") : text.index("Interview")]
    assert "Auf der anderen Seite 2007" in reviews and "Reviewed by Erin Testwriter" in reviews
    assert "by Erin Testwriter" in text[text.index("Fatih Akın on making") :]
    assert f'href="{interview.url}"' in html and f'href="{review.url}"' in html
    assert "somebody else" not in text


@pytest.mark.django_db
def test_person_json_ld(client, akin):
    person, review, interview, report = akin
    html = client.get("/people/fatih-akin/").content.decode()
    profile = jsonld.by_type(html, "ProfilePage")
    jsonld.validate(profile)
    main = profile["mainEntity"]
    assert main["@type"] == "Person"
    assert main["name"] == "Fatih Akın"
    assert main["url"] == "http://testserver/people/fatih-akin/"
    assert main["jobTitle"] == ["Actor", "Film director", "Screenwriter"]
    assert main["sameAs"] == ["https://www.wikidata.org/wiki/Q51562"]
    assert [a["headline"] for a in main["subjectOf"]] == [
        "Fatih Akın on making films in Hamburg",
        "Cannes diary, day three",
    ]
    assert main["subjectOf"][0]["articleSection"] == "Interview"
    assert all(a["url"].startswith("http://testserver/articles/") for a in main["subjectOf"])


@pytest.mark.django_db
def test_person_without_credits_or_articles(client, db):
    Person.objects.create(name="Nobody Yet", slug="nobody-yet")
    text = _text(client.get("/people/nobody-yet/").content.decode())
    assert "No film credits recorded yet." in text
    assert "Interview" not in text and "Our reviews" not in text
    assert client.get("/people/no-such-person/").status_code == 404
