"""/openings/: German openings by cinema week, with our review, original-language shows, an
iCalendar feed and ItemList JSON-LD."""

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone
from icalendar import Calendar

from kinocritics.cinemas.models import Cinema, City, Screening, Source
from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import CriticFactory, FilmFactory, review_publish
from kinocritics.films.models import Credit, Person
from kinocritics.search.openings import thursday_of

BERLIN = timezone.get_default_timezone()


def _main_text(html: str) -> str:
    html = html[html.index("<main") : html.index("</main>")]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def test_the_cinema_week_starts_on_thursday():
    assert thursday_of(dt.date(2026, 11, 26)) == dt.date(2026, 11, 26)  # a Thursday
    assert thursday_of(dt.date(2026, 12, 2)) == dt.date(2026, 11, 26)  # the Wednesday after
    assert thursday_of(dt.date(2026, 11, 25)) == dt.date(2026, 11, 19)


def show(film, cinema, source, day, version):
    return Screening.objects.create(
        cinema=cinema,
        source=source,
        film=film,
        start=dt.datetime.combine(day, dt.time(20, 15), tzinfo=BERLIN),
        version=version,
        title=film.title,
        raw_title=film.title,
        last_seen=timezone.now(),
    )


@pytest.fixture
def openings(db):
    this_week = thursday_of(timezone.localdate())
    next_week = this_week + dt.timedelta(days=7)
    reviewed = FilmFactory(
        title="Anatomie d'une chute",
        slug="anatomie-dune-chute-2023",
        year=2023,
        german_opening=this_week,
        countries=["France"],
    )
    director = Person.objects.create(name="Justine Triet", slug="justine-triet")
    Credit.objects.create(film=reviewed, person=director, role="director", sort_order=0)
    dubbed_only = FilmFactory(
        title="Past Lives", slug="past-lives-2023", year=2023, german_opening=this_week
    )
    later = FilmFactory(
        title="Perfect Days", slug="perfect-days-2023", year=2023, german_opening=next_week
    )
    FilmFactory(title="Long Ago", slug="long-ago", german_opening=this_week - dt.timedelta(weeks=8))
    critic = CriticFactory(name="Erin Testwriter", slug="erin-testwriter", initials="ET")
    review = review_publish(film=reviewed, critic=critic, rating=7)
    city = City.objects.create(name="Hamburg", slug="hamburg")
    berlin = City.objects.create(name="Berlin", slug="berlin")
    abaton = Cinema.objects.create(name="Abaton", slug="abaton", city=city)
    babylon = Cinema.objects.create(name="Babylon", slug="babylon", city=berlin)
    source = Source.objects.create(name="Feed", slug="feed", kind="csv", location="/dev/null")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    show(reviewed, abaton, source, tomorrow, "OMU_EN")
    show(reviewed, abaton, source, tomorrow + dt.timedelta(days=1), "OV")
    show(reviewed, babylon, source, tomorrow, "OMU_DE")
    show(dubbed_only, abaton, source, tomorrow, "DE")
    show(reviewed, abaton, source, timezone.localdate() - dt.timedelta(days=3), "OV")  # past
    return {
        "this_week": this_week,
        "next_week": next_week,
        "reviewed": reviewed,
        "dubbed_only": dubbed_only,
        "later": later,
        "review": review,
    }


@pytest.mark.django_db
def test_openings_page_lists_films_by_thursday_with_review_and_original_language(
    client, openings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = client.get("/openings/")
    assert response.status_code == 200
    html = response.content.decode()
    text = _main_text(html)
    this_week = f"Thursday {openings['this_week']:%-d %B %Y} (this week)"
    next_week = f"Thursday {openings['next_week']:%-d %B %Y}"
    assert text.index(this_week) < text.index("Anatomie d'une chute") < text.index("Past Lives")
    assert text.index("Past Lives") < text.index(next_week) < text.index("Perfect Days")
    assert "Long Ago" not in text
    anatomy = text[text.index("Anatomie d'une chute") : text.index("Past Lives")]
    assert "France" in anatomy and "Directed by Justine Triet" in anatomy
    assert "Our review by Erin Testwriter" in anatomy
    assert "In the original language: 3 shows in Hamburg, Berlin" in anatomy
    past_lives = text[text.index("Past Lives") : text.index(next_week)]
    assert "Not reviewed yet" in past_lives
    assert "No original-language shows listed yet" in past_lives  # the dubbed show does not count
    assert f'href="{openings["review"].url}"' in html
    assert 'href="/showtimes/?film=anatomie-dune-chute-2023&amp;version=original"' in html
    assert '<a href="/openings/" aria-current="page">Openings</a>' in html


@pytest.mark.django_db
def test_openings_page_query_count_does_not_grow_with_films(client, openings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/openings/")  # warm the caches the sidebar and page URLs use
    with CaptureQueriesContext(connection) as before:
        client.get("/openings/")
    for i in range(6):
        film = FilmFactory(
            title=f"Extra {i}", slug=f"extra-{i}", german_opening=openings["next_week"]
        )
        Credit.objects.create(
            film=film,
            person=Person.objects.create(name=f"Director {i}", slug=f"director-{i}"),
            role="director",
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/openings/")
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]


@pytest.mark.django_db
def test_openings_item_list_json_ld_is_valid(client, openings):
    html = client.get("/openings/").content.decode()
    item_list = jsonld.by_type(html, "ItemList")
    jsonld.validate(item_list)
    names = [e["name"] for e in item_list["itemListElement"]]
    assert names == ["Anatomie d'une chute", "Past Lives", "Perfect Days"]
    assert [e["position"] for e in item_list["itemListElement"]] == [1, 2, 3]
    first = item_list["itemListElement"][0]["item"]
    assert first["@type"] == "Movie"
    assert first["url"] == "http://testserver/films/anatomie-dune-chute-2023/"
    assert first["datePublished"] == openings["this_week"].isoformat()
    assert first["director"][0]["name"] == "Justine Triet"
    assert first["review"][0]["author"]["name"] == "Erin Testwriter"
    jsonld.validate(jsonld.by_type(html, "BreadcrumbList"))


@pytest.mark.django_db
def test_openings_weeks_page_back_and_forward(client, openings):
    earlier = openings["this_week"] - dt.timedelta(weeks=8)
    # Any day of a week stands for its Thursday.
    response = client.get("/openings/", {"from": (earlier + dt.timedelta(days=2)).isoformat()})
    text = _main_text(response.content.decode())
    assert f"Thursday {earlier:%-d %B %Y}" in text
    assert "Long Ago" in text and "Perfect Days" not in text
    assert "This week" in text
    # A date that is no date shows this week.
    text = _main_text(client.get("/openings/", {"from": "soon"}).content.decode())
    assert "(this week)" in text


@pytest.mark.django_db
def test_openings_calendar_feed(client, openings):
    response = client.get("/openings.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Opening: Anatomie d'une chute",
        "Opening: Past Lives",
        "Opening: Perfect Days",
    }  # "Long Ago" opened more than four weeks back
    anatomy = events["Opening: Anatomie d'une chute"]
    assert anatomy.decoded("dtstart") == openings["this_week"]
    assert anatomy.decoded("dtend") == openings["this_week"] + dt.timedelta(days=1)
    assert str(anatomy["uid"]) == f"opening-{openings['reviewed'].pk}@kinocritics"
    assert str(anatomy["url"]) == "http://testserver/films/anatomie-dune-chute-2023/"
    description = str(anatomy["description"])
    assert "Directed by Justine Triet" in description
    assert (
        f"Our review by Erin Testwriter: http://testserver{openings['review'].url}" in description
    )


@pytest.mark.django_db
def test_openings_in_the_sitemap(client, openings):
    xml = client.get("/sitemap-openings.xml").content.decode()
    assert "<loc>http://testserver/openings/</loc>" in xml
