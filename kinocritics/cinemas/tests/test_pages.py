"""What a reader sees: /showtimes/, cinema pages, the film page section, calendars and the API."""

import datetime as dt

import pytest
from icalendar import Calendar

from kinocritics.cinemas.models import Screening, Source
from kinocritics.cinemas.templatetags.showtimes import shows_html
from kinocritics.cinemas.versions import is_english_friendly
from kinocritics.core.tests import jsonld
from kinocritics.core.tests.factories import FilmFactory

from .conftest import local


def show(*, cinema, source, start, title, film=None, version="OV", audio="", subs=(), **extra):
    return Screening.objects.create(
        cinema=cinema,
        source=source,
        film=film,
        start=start,
        title=title,
        raw_title=title,
        version=version,
        audio_language=audio,
        subtitle_languages=list(subs),
        english_friendly=is_english_friendly(version, audio, subs),
        last_seen=start,
        **extra,
    )


@pytest.fixture
def programme(hamburg, tomorrow):
    city, abaton, savoy = hamburg
    source = Source.objects.create(name="Feed", slug="feed", kind="csv", location="x.csv")
    source.cinemas.set([abaton, savoy])
    amelie = FilmFactory(title="Amélie", slug="amelie-2001", year=2001, countries=["France"])
    past_lives = FilmFactory(title="Past Lives", slug="past-lives-2023", year=2023)
    shows = {
        "french_en_subs": show(
            cinema=abaton, source=source, start=local(tomorrow, "17:45"), title="Amélie",
            film=amelie, version="OMU_EN", audio="fr", subs=["en"],
            ticket_url="https://tickets.example.org/abaton/1",
        ),
        "french_de_subs": show(
            cinema=savoy, source=source, start=local(tomorrow, "20:00"), title="Amélie",
            film=amelie, version="OMU_DE", audio="fr", subs=["de"],
        ),
        "english_ov": show(
            cinema=savoy, source=source, start=local(tomorrow, "20:15"), title="Past Lives",
            film=past_lives, version="OV", audio="en",
        ),
        "dubbed": show(
            cinema=abaton, source=source, start=local(tomorrow, "20:15"), title="Past Lives",
            film=past_lives, version="DE", audio="de",
        ),
        "unmatched": show(
            cinema=abaton, source=source, start=local(tomorrow, "23:00"),
            title="Kurzfilmnacht", version="OV",
        ),
    }  # fmt: skip
    return shows, amelie, past_lives


@pytest.mark.django_db
def test_showtimes_page_lists_the_week_with_versions_in_words(client, programme):
    html = client.get("/showtimes/").content.decode()
    assert "French · English subtitles" in html
    assert "French · German subtitles" in html
    assert "English · no subtitles" in html
    assert 'href="https://tickets.example.org/abaton/1"' in html
    assert "Kurzfilmnacht" in html


@pytest.mark.django_db
def test_english_friendly_filter_keeps_english_audio_or_english_subtitles(client, programme):
    html = client.get("/showtimes/?version=english").content.decode()
    assert "French · English subtitles" in html
    assert "English · no subtitles" in html
    assert "French · German subtitles" not in html
    assert "German · no subtitles" not in html


@pytest.mark.django_db
def test_filters_by_cinema_day_time_and_language_are_shareable_urls(client, programme, tomorrow):
    day = tomorrow.isoformat()
    html = client.get(f"/showtimes/?cinema=savoy&day={day}&from=20:10").content.decode()
    assert "English · no subtitles" in html and "French ·" not in html
    html = client.get("/showtimes/?audio=fr&cinema=abaton&cinema=savoy").content.decode()
    assert "Amélie" in html and "Past Lives" not in html
    assert client.get("/showtimes/?day=nonsense&from=99&version=<b>").status_code == 200


@pytest.mark.django_db
def test_shows_without_a_ticket_link_say_they_link_the_programme(client, programme):
    html = client.get("/showtimes/?cinema=abaton&view=cinema").content.decode()
    assert 'href="https://abaton.example.org/programm"' in html
    assert "(programme page)" in html


@pytest.mark.django_db
def test_showtimes_query_count_is_constant(
    client, programme, tomorrow, django_assert_max_num_queries
):
    shows, amelie, _ = programme
    client.get("/showtimes/")
    with django_assert_max_num_queries(12):
        client.get("/showtimes/?version=english")
    source = Source.objects.get()
    for n in range(40):
        show(cinema=shows["dubbed"].cinema, source=source, film=amelie, title="Amélie",
             start=local(tomorrow, "10:00") + dt.timedelta(minutes=n), version="OMU_EN",
             audio="fr", subs=["en"])  # fmt: skip
    with django_assert_max_num_queries(12):
        client.get("/showtimes/?version=english")


@pytest.mark.django_db
def test_film_page_says_where_to_see_it_in_the_original_language(client, programme):
    shows, amelie, past_lives = programme
    html = client.get(past_lives.get_absolute_url()).content.decode()
    section = html[html.index("Where to see it in the original language") :]
    assert "Savoy" in section and "English · no subtitles" in section
    assert "German · no subtitles" not in section  # the dubbed show is not listed
    events = [b for b in jsonld.blocks(html) if "@graph" in b]
    assert events and events[0]["@graph"][0]["@type"] == "ScreeningEvent"
    assert events[0]["@graph"][0]["inLanguage"] == "en"


@pytest.mark.django_db
def test_cinema_pages_show_the_week_a_map_link_and_json_ld(client, programme):
    html = client.get("/cinemas/").content.decode()
    assert "Abaton" in html and "openstreetmap.org" in html
    html = client.get("/cinemas/abaton/").content.decode()
    assert "Amélie" in html and "Allendeplatz 3" in html
    theater = jsonld.by_type(html, "MovieTheater")
    assert theater["event"][0]["@type"] == "ScreeningEvent"
    assert theater["event"][0]["offers"]["url"] == "https://tickets.example.org/abaton/1"
    assert client.get("/cinemas/nowhere/").status_code == 404


@pytest.mark.django_db
def test_calendar_feeds_carry_the_filtered_shows(client, programme):
    response = client.get("/showtimes.ics?version=english")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == [
        "Amélie (French · English subtitles)",
        "Past Lives (English · no subtitles)",
    ]
    cinema_calendar = Calendar.from_ical(client.get("/cinemas/savoy/calendar.ics").content)
    assert len(cinema_calendar.walk("VEVENT")) == 2


@pytest.mark.django_db
def test_api_lists_screenings_and_cinemas_with_openapi_docs(client, programme):
    data = client.get("/api/v1/screenings?version=english").json()
    assert data["count"] == 2
    first = data["items"][0]
    assert first["version_words"] == "French · English subtitles"
    assert first["film"]["slug"] == "amelie-2001"
    assert first["ticket_url"] == "https://tickets.example.org/abaton/1"
    cinemas = client.get("/api/v1/cinemas?city=hamburg").json()
    assert [c["slug"] for c in cinemas] == ["abaton", "savoy"]
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/screenings" in schema["paths"]


@pytest.mark.django_db
def test_sidebar_links_each_cinema_page(client, programme):
    html = client.get("/about/").content.decode()
    assert 'href="/cinemas/abaton/"' in html and 'href="/cinemas/savoy/"' in html


@pytest.mark.django_db
def test_film_page_queries_do_not_grow_with_its_shows(client, programme, tomorrow):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shows, amelie, _ = programme

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(amelie.get_absolute_url()).status_code == 200
        return len(ctx)

    client.get(amelie.get_absolute_url())
    few = queries()
    source = Source.objects.get()
    for n in range(40):
        show(cinema=shows["dubbed"].cinema, source=source, film=amelie, title="Amélie",
             start=local(tomorrow, "11:00") + dt.timedelta(minutes=n), version="OMU_EN",
             audio="fr", subs=["en"])  # fmt: skip
    assert queries() == few


@pytest.mark.django_db
def test_show_rows_escape_feed_text_and_keep_every_detail_a_reader_needs(
    client, programme, tomorrow
):
    shows, amelie, _ = programme
    source = Source.objects.get()
    show(
        cinema=shows["dubbed"].cinema, source=source, start=local(tomorrow, "21:30"),
        title='<script>alert("x")</script> Night', version="OMU_EN", audio="ja", subs=["en"],
        auditorium="Saal <2>", formats=["70mm", "<b>3D</b>"], event="Q&A <live>",
    )  # fmt: skip
    show(
        cinema=shows["dubbed"].cinema, source=source, start=local(tomorrow, "22:00"),
        title="Amélie", film=amelie, version="OMU_EN", audio="fr", subs=["en"],
        ticket_url="https://tickets.example.org/a?x=1&y=2",
    )  # fmt: skip
    for url in ("/showtimes/?cinema=abaton", "/showtimes/?cinema=abaton&view=cinema"):
        html = _main(client.get(url))
        assert "<script>" not in html and "<b>3D</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Night" in html
        assert "Japanese · English subtitles" in html
        assert '<span class="tag">70mm · &lt;b&gt;3D&lt;/b&gt;</span>' in html
        assert '<span class="tag tag--event">Q&amp;A &lt;live&gt;</span>' in html
        # Times are Berlin wall-clock times, linked to the ticket page with & escaped.
        assert (
            '<a class="show__time" href="https://tickets.example.org/a?x=1&amp;y=2" '
            'rel="noopener">22:00</a>'
        ) in html
        # Without a ticket link the time links the programme page, and says so.
        assert 'title="The cinema\'s programme page">21:30</a>' in html
        assert '<a href="/films/amelie-2001/">Amélie</a>' in html
    by_film = _main(client.get("/showtimes/?cinema=abaton"))
    # The filter form keeps the reader's choice of cinemas.
    assert '<label><input type="checkbox" name="cinema" value="abaton" checked> Abaton</label>' in (
        by_film
    )
    assert '<label><input type="checkbox" name="cinema" value="savoy"> Savoy</label>' in by_film
    assert '<a href="/cinemas/abaton/">Abaton</a>, Saal &lt;2&gt;</span>' in by_film
    cinema_page = _main(client.get("/cinemas/abaton/"))
    assert '<span class="show__where">Saal &lt;2&gt;</span>' in cinema_page


@pytest.mark.django_db
def test_a_cancelled_show_is_struck_through_and_says_cancelled(programme):
    shows, _, _ = programme
    cancelled = shows["french_en_subs"]
    cancelled.cancelled = True
    html = shows_html([cancelled], with_cinema=True)
    assert html.startswith('<li class="show show--cancelled">')
    assert '<strong class="tag tag--cancelled">Cancelled</strong>' in html
    assert "(programme page)" not in html


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
