"""Feed parsers: what a cinema sends us becomes showings, and bad rows say where they are."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from kinocritics.cinemas.demo.feeds import demo_feeds
from kinocritics.cinemas.feeds.base import RawShowing
from kinocritics.cinemas.feeds.common import (
    aware_local,
    check_ticket_url,
    language_code,
    resolve_yearless_date,
    split_location,
)
from kinocritics.cinemas.feeds.csv import parse_csv
from kinocritics.cinemas.feeds.ical import parse_ical
from kinocritics.cinemas.feeds.jsonld import parse_jsonld

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = dt.date(2026, 11, 25)
UTC = dt.UTC


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def utc_offset_hours(moment: dt.datetime) -> float:
    offset = moment.utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def errors_by_position(result) -> dict[str, str]:
    return {error.position: error.message for error in result.errors}


JUNK = ('<<{[ junk ]}>> \x00\x01 ;," BEGIN: @type ScreeningEvent\n' * 90_000)[: 5 * 1024 * 1024]


# --- shared helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("EN_gb", "en"),
        ("English", "en"),
        ("Englisch", "en"),
        ("Französisch", "fr"),
        ("français", "fr"),
        ("jpn", "ja"),
        ("zh-Hant", "zh"),
        ("pt-BR", "pt"),
        ("OV", None),
        ("Klingonisch", None),
        ("", None),
    ],
)
def test_language_names_and_tags_become_iso_639_1(value, code):
    assert language_code(value) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Abaton, Saal 2", ("Abaton", "Saal 2")),
        ("Savoy Filmtheater, Steindamm 54, 20099 Hamburg", ("Savoy Filmtheater", "")),
        ("Zeise Kinos, Kino 1, Friedensallee 7", ("Zeise Kinos", "Kino 1")),
        ("Saal 2", ("", "Saal 2")),
        ("3001 Kino", ("3001 Kino", "")),
        ("", ("", "")),
    ],
)
def test_a_location_splits_into_cinema_and_auditorium(value, expected):
    assert split_location(value) == expected


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://tickets.example.org/1", "/tickets/1", "https://"]
)
def test_only_full_http_addresses_are_ticket_links(url):
    with pytest.raises(ValueError, match="http"):
        check_ticket_url(url)


def test_the_ambiguous_half_hour_in_october_is_the_first_one():
    naive = dt.datetime.combine(dt.date(2026, 10, 25), dt.time(2, 30))
    first = aware_local(naive=naive, tz=BERLIN)
    assert first.astimezone(UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_yearless_date_without_weekday_takes_the_nearest_year():
    assert resolve_yearless_date(day=8, month=1, today=dt.date(2026, 12, 20)) == dt.date(2027, 1, 8)
    assert resolve_yearless_date(day=29, month=12, today=dt.date(2027, 1, 2)) == dt.date(
        2026, 12, 29
    )


# --- CSV ------------------------------------------------------------------------------------

ZEISE_CSV = (
    "\ufeffCinema;Title;Date;Time;Version;Audio_Language;Subtitle languages;Auditorium;"
    "Ticket-URL;Year;Status\r\n"
    "zeise;Past Lives;Do 26.11.;20:15 Uhr;OmU;ko;de;Kino 1;"
    "https://tickets.example.org/zeise/101;2023;\r\n"
    "zeise;Anatomie d'une chute – OmeU;26.11.2026;17.45;;fr;en;Kino 2;;;ausverkauft\r\n"
    "studio-kino;Sneak Preview (engl. OV);2026-11-27;22:30;;;;;;;abgesagt\r\n"
)


def test_a_csv_feed_becomes_showings_with_their_lines():
    result = parse_csv(ZEISE_CSV, tz=BERLIN, today=TODAY)

    assert result.errors == []
    assert result.showings == [
        RawShowing(
            position="line 2",
            cinema="zeise",
            title="Past Lives",
            start=berlin(2026, 11, 26, 20, 15),
            label="OmU",
            audio_language="ko",
            subtitle_languages=("de",),
            auditorium="Kino 1",
            ticket_url="https://tickets.example.org/zeise/101",
            year=2023,
        ),
        RawShowing(
            position="line 3",
            cinema="zeise",
            title="Anatomie d'une chute – OmeU",
            start=berlin(2026, 11, 26, 17, 45),
            audio_language="fr",
            subtitle_languages=("en",),
            auditorium="Kino 2",
        ),
        RawShowing(
            position="line 4",
            cinema="studio-kino",
            title="Sneak Preview (engl. OV)",
            start=berlin(2026, 11, 27, 22, 30),
            cancelled=True,
        ),
    ]


def test_a_comma_separated_csv_reads_quoted_lists_and_needs_no_cinema_column():
    text = (
        "title,date,time,subtitle_languages\n"
        '"Tokyo Story, restored",28.11.,14:30,"en,de"\n'
        "Vertigo,28.11.,20:15,en|de\n"
    )
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert result.errors == []
    assert [(s.cinema, s.title, s.subtitle_languages) for s in result.showings] == [
        ("", "Tokyo Story, restored", ("en", "de")),
        ("", "Vertigo", ("en", "de")),
    ]


def test_bad_csv_rows_are_reported_by_line_and_the_rest_imports():
    text = (
        "cinema;title;date;time;ticket_url;audio_language\n"
        "abaton;Vertigo;26.11.2026;20:15;;en\n"
        "abaton;;26.11.2026;20:15;;\n"
        "abaton;Chinatown;31.02.;20:15;;\n"
        "abaton;Chinatown;27.11.2026;25:00;;\n"
        "abaton;Cure;27.11.2026;20:15;javascript:alert(1);\n"
        "abaton;Seppuku;Mo 26.11.2026;20:15;;\n"
        "abaton;Phoenix;27.11.2026;20:15;;xx-lang\n"
        "abaton;Cure;27.11.2026;20:15;;ja;one field too many\n"
        "\n"
        "abaton;La Haine;27.11.2026;22:30;;fr\n"
    )
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert [(s.position, s.title) for s in result.showings] == [
        ("line 2", "Vertigo"),
        ("line 11", "La Haine"),
    ]
    errors = errors_by_position(result)
    assert list(errors) == [f"line {n}" for n in range(3, 10)]
    assert "no title" in errors["line 3"]
    assert "31.02." in errors["line 4"] and "not a real date" in errors["line 4"]
    assert "25:00" in errors["line 5"] and "not a time of day" in errors["line 5"]
    assert "javascript:alert(1)" in errors["line 6"] and "http" in errors["line 6"]
    assert "Thursday, not a Monday" in errors["line 7"]
    assert "xx-lang" in errors["line 8"]
    assert "quotes" in errors["line 9"]
    assert str(result.errors[0]).startswith("line 3: ")


def test_a_quoted_line_break_keeps_the_line_numbers_of_later_rows():
    text = 'title;date;time\n"Der Himmel\nüber Berlin";26.11.2026;20:15\nCure;26.11.2026;99:00\n'
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert result.showings[0].title == "Der Himmel über Berlin"
    assert result.showings[0].position == "line 2"
    assert [e.position for e in result.errors] == ["line 4"]


def test_a_csv_without_the_required_columns_is_one_error():
    result = parse_csv("Film;Tag\nVertigo;26.11.\n", tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert len(result.errors) == 1
    assert result.errors[0].position == "line 1"
    assert "title, date, time" in result.errors[0].message


def test_csv_status_abgesagt_cancels_but_ausverkauft_does_not():
    text = (
        "title;date;time;status\n"
        "Vertigo;26.11.2026;20:15;abgesagt\n"
        "Vertigo;27.11.2026;20:15;Cancelled\n"
        "Vertigo;28.11.2026;20:15;ausverkauft\n"
    )
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert [s.cancelled for s in result.showings] == [True, True, False]


@pytest.mark.parametrize(
    ("listed", "today", "expected"),
    [
        ("Fr 08.01.", dt.date(2026, 12, 20), dt.date(2027, 1, 8)),
        ("08.01.", dt.date(2026, 12, 20), dt.date(2027, 1, 8)),
        ("Di 29.12.", dt.date(2027, 1, 2), dt.date(2026, 12, 29)),
        ("Tue 29.12.", dt.date(2027, 1, 2), dt.date(2026, 12, 29)),
        ("29.12.", dt.date(2027, 1, 2), dt.date(2026, 12, 29)),
    ],
)
def test_a_yearless_date_across_new_year_gets_the_right_year(listed, today, expected):
    result = parse_csv(f"title;date;time\nCure;{listed};20:15\n", tz=BERLIN, today=today)

    assert result.errors == []
    assert result.showings[0].start.date() == expected


def test_a_yearless_date_whose_weekday_fits_no_nearby_year_is_reported():
    # 8 January 2027 is a Friday; the Thursday 8 January was almost a year ago.
    result = parse_csv(
        "title;date;time\nCure;Do 08.01.;20:15\n", tz=BERLIN, today=dt.date(2026, 12, 20)
    )

    assert result.showings == []
    assert "Friday" in result.errors[0].message and "Thursday" in result.errors[0].message


def test_csv_times_on_the_spring_dst_weekend():
    text = (
        "title;date;time\n"
        "Cure;28.03.2026;23:30\n"
        "Cure;29.03.2026;01:30\n"
        "Cure;29.03.2026;02:30\n"
        "Cure;29.03.2026;03:30\n"
        "Cure;So 29.03.;20:15\n"
    )
    result = parse_csv(text, tz=BERLIN, today=dt.date(2026, 3, 20))

    assert [utc_offset_hours(s.start) for s in result.showings] == [1, 1, 2, 2]
    assert result.showings[1].start.astimezone(UTC).hour == 0
    assert result.showings[2].start.astimezone(UTC).hour == 1
    assert [e.position for e in result.errors] == ["line 4"]
    assert "does not exist" in result.errors[0].message


def test_csv_times_on_the_autumn_dst_weekend():
    text = (
        "title;date;time\n"
        "Cure;25.10.2026;01:30\n"
        "Cure;25.10.2026;02:30\n"
        "Cure;25.10.2026;03:30\n"
        "Cure;So 25.10.;20:15\n"
    )
    result = parse_csv(text, tz=BERLIN, today=dt.date(2026, 10, 20))

    assert result.errors == []
    assert [utc_offset_hours(s.start) for s in result.showings] == [2, 2, 1, 1]
    # The ambiguous 02:30 is the first one, still in summer time.
    assert result.showings[1].start.astimezone(UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert result.showings[2].start.astimezone(UTC) == dt.datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_markup_in_a_csv_title_is_kept_as_text():
    text = "title;date;time\n<script>alert('x')</script> Vertigo;26.11.2026;20:15\n"
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert result.showings[0].title == "<script>alert('x')</script> Vertigo"


def test_five_megabytes_of_junk_as_csv_is_an_error_not_a_crash():
    result = parse_csv(JUNK, tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert len(result.errors) == 1


def test_a_giant_csv_field_is_one_bad_row():
    text = f'title;date;time\n"{"x" * 200_000}";26.11.2026;20:15\nCure;26.11.2026;20:15\n'
    result = parse_csv(text, tz=BERLIN, today=TODAY)

    assert [s.title for s in result.showings] == ["Cure"]
    assert [e.position for e in result.errors] == ["line 2"]


# --- JSON-LD --------------------------------------------------------------------------------

ABATON_EVENTS = {
    "@context": "https://schema.org",
    "@type": "MovieTheater",
    "@id": "https://abaton.example.org/#kino",
    "name": "Abaton",
    "address": {"@type": "PostalAddress", "addressLocality": "Hamburg"},
    "event": [
        {
            "@type": "ScreeningEvent",
            "name": "Past Lives (OmU)",
            "startDate": "2026-11-26T20:15:00+01:00",
            "location": {"@type": "Place", "name": "Saal 2"},
            "workPresented": {"@type": "Movie", "name": "Past Lives", "dateCreated": "2023-01-21"},
            "inLanguage": {"@type": "Language", "name": "Korean", "alternateName": "ko"},
            "subtitleLanguage": ["Deutsch"],
            "offers": [{"@type": "Offer", "url": "https://tickets.example.org/abaton/1"}],
        },
        {
            "@type": "ScreeningEvent",
            "name": "Tokyo Story",
            "startDate": "2026-11-27T17:45",
            "workPresented": {"@type": "Movie", "name": "Tokyo Story", "copyrightYear": 1953},
            "inLanguage": "ja-JP",
            "subtitleLanguage": "en",
            "videoFormat": "IMAX",
            "eventStatus": "https://schema.org/EventCancelled",
        },
        {
            "@type": "ScreeningEvent",
            "name": "Vertigo",
            "startDate": "2026-11-28",
        },
    ],
}


def abaton_page(*blocks: str) -> str:
    scripts = "\n".join(f'<script type="application/ld+json">{block}</script>' for block in blocks)
    return (
        "<!doctype html><html><head><title>Abaton – Programm</title>"
        f"{scripts}</head><body><h1>Programm</h1></body></html>"
    )


def test_json_ld_in_a_page_becomes_showings_and_a_broken_block_is_one_error():
    page = abaton_page('{"@context": "https://schema.org", "@type": ', json.dumps(ABATON_EVENTS))
    result = parse_jsonld(page, tz=BERLIN, today=TODAY)

    assert result.showings == [
        RawShowing(
            position="event 1",
            cinema="Abaton",
            title="Past Lives",
            start=berlin(2026, 11, 26, 20, 15),
            label="OmU",
            audio_language="ko",
            subtitle_languages=("de",),
            auditorium="Saal 2",
            ticket_url="https://tickets.example.org/abaton/1",
            year=2023,
        ),
        RawShowing(
            position="event 2",
            cinema="Abaton",
            title="Tokyo Story",
            start=berlin(2026, 11, 27, 17, 45),
            label="IMAX",
            audio_language="ja",
            subtitle_languages=("en",),
            year=1953,
            cancelled=True,
        ),
    ]
    errors = errors_by_position(result)
    assert list(errors) == ["script block 1", "event 3"]
    assert "not valid JSON" in errors["script block 1"]
    assert "no time of day" in errors["event 3"]


def test_json_ld_graph_with_references_places_and_german_titles():
    document = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ScreeningEvent",
                "@id": "#show-1",
                "name": "Die Zeit, die wir teilen (OmeU)",
                "workPresented": {"@id": "#movie-1"},
                "startDate": "2026-11-26T19:15:00Z",
                "location": {
                    "@type": "Place",
                    "name": "Kino 3",
                    "containedInPlace": {"@id": "#zeise"},
                },
                "inLanguage": {"@type": "Language", "name": "Englisch"},
                "offers": {"@type": "Offer", "url": "https://tickets.example.org/zeise/9"},
            },
            {"@type": "Movie", "@id": "#movie-1", "name": "We Live in Time", "dateCreated": 2024},
            {"@type": "MovieTheater", "@id": "#zeise", "name": "Zeise Kinos"},
            {
                "@type": "ItemList",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": 1,
                        "item": {
                            "@type": ["Event"],
                            "name": "Kurzfilmnacht: Hamburger Shorts",
                            "workPresented": {"@type": "Movie", "name": "Hamburger Shorts"},
                            "startDate": "2026-11-27T21:00:00+01:00",
                            "location": "Metropolis, Saal 1",
                            "url": "/programm/kurzfilmnacht",
                            "eventStatus": {"@id": "schema:EventCancelled"},
                        },
                    },
                    {"@type": "ListItem", "item": {"@type": "Event", "name": "Lesung"}},
                ],
            },
        ],
    }
    result = parse_jsonld(json.dumps(document), tz=BERLIN, today=TODAY)

    assert result.errors == []
    first, second = result.showings
    assert (first.position, first.cinema, first.auditorium) == ("event 1", "Zeise Kinos", "Kino 3")
    assert (first.title, first.label, first.year) == (
        "We Live in Time",
        "Die Zeit, die wir teilen (OmeU)",
        2024,
    )
    assert first.start == berlin(2026, 11, 26, 20, 15)
    assert first.audio_language == "en"
    assert first.ticket_url == "https://tickets.example.org/zeise/9"
    assert (second.position, second.cinema, second.auditorium) == (
        "event 2",
        "Metropolis",
        "Saal 1",
    )
    assert (second.title, second.label) == ("Hamburger Shorts", "Kurzfilmnacht")
    assert second.ticket_url == ""  # a relative event page is no ticket link
    assert second.cancelled is True


def test_json_ld_events_listed_by_reference_under_a_theater_get_its_name():
    document = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ScreeningEvent",
                "@id": "#e1",
                "name": "Cure",
                "startDate": "2026-11-26T20:00",
            },
            {"@type": "MovieTheater", "@id": "#savoy", "name": "Savoy", "event": [{"@id": "#e1"}]},
        ],
    }
    result = parse_jsonld(json.dumps(document), tz=BERLIN, today=TODAY)

    assert [(s.position, s.cinema, s.title) for s in result.showings] == [
        ("event 1", "Savoy", "Cure")
    ]


def test_a_bad_json_ld_ticket_link_reports_the_event():
    event = {
        "@type": "ScreeningEvent",
        "name": "Cure",
        "startDate": "2026-11-26T20:00:00+01:00",
        "offers": {"url": "javascript:alert(1)"},
    }
    result = parse_jsonld(json.dumps([event, {**event, "offers": []}]), tz=BERLIN, today=TODAY)

    assert [s.position for s in result.showings] == ["event 2"]
    assert result.errors[0].position == "event 1"


def test_json_ld_local_times_on_both_dst_weekends():
    events = [
        {"@type": "ScreeningEvent", "name": "Cure", "startDate": start}
        for start in (
            "2026-03-29T01:30:00",
            "2026-03-29T02:30:00",
            "2026-03-29T03:30:00",
            "2026-10-25T02:30:00",
            "2026-10-25T03:30:00",
            "2026-10-25T02:30:00+01:00",
        )
    ]
    result = parse_jsonld(json.dumps(events), tz=BERLIN, today=TODAY)

    assert [e.position for e in result.errors] == ["event 2"]
    assert "does not exist" in result.errors[0].message
    assert [utc_offset_hours(s.start) for s in result.showings] == [1, 2, 2, 1, 1]
    # An explicit offset picks the second 02:30, an hour after the first. (Subtract in UTC:
    # Python compares two times in the same zone by wall clock, fold ignored.)
    first, second = (result.showings[i].start.astimezone(UTC) for i in (2, 4))
    assert second - first == dt.timedelta(hours=1)


def test_a_page_cut_off_inside_a_script_block_keeps_the_complete_blocks():
    event = {"@type": "ScreeningEvent", "name": "Cure", "startDate": "2026-11-26T20:00"}
    page = abaton_page(json.dumps(event))
    page += '<script type="application/ld+json">{"@type": "ScreeningEvent", "na'
    result = parse_jsonld(page, tz=BERLIN, today=TODAY)

    assert [s.title for s in result.showings] == ["Cure"]
    assert [e.position for e in result.errors] == ["script block 2"]


def test_an_unparseable_json_ld_document_is_one_error():
    result = parse_jsonld('{"@type": "ScreeningEvent", "name": ', tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert [e.position for e in result.errors] == ["document"]


def test_a_page_without_json_ld_is_one_error():
    result = parse_jsonld("<html><body>Programm folgt</body></html>", tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert len(result.errors) == 1


def test_a_script_tag_in_a_json_ld_title_is_kept_as_text():
    event = {
        "@type": "ScreeningEvent",
        "name": "<script>alert(1)</script> Vertigo",
        "startDate": "2026-11-26T20:15:00+01:00",
    }
    # Inside HTML the closing tag must be written <\/script>, as json_script and CMSs do.
    page = abaton_page(json.dumps(event).replace("</", "<\\/"))
    result = parse_jsonld(page, tz=BERLIN, today=TODAY)

    assert result.errors == []
    assert result.showings[0].title == "<script>alert(1)</script> Vertigo"


@pytest.mark.parametrize(
    "text",
    [JUNK, "[" * 200_000 + "]" * 200_000, abaton_page(JUNK), "{" + '"a":{' * 50_000],
    ids=["junk", "deep-nesting", "junk-in-page", "deep-unclosed"],
)
def test_hostile_json_ld_is_an_error_not_a_crash(text):
    result = parse_jsonld(text, tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert len(result.errors) == 1


# --- iCalendar ------------------------------------------------------------------------------

SAVOY_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Savoy Filmtheater//Programm//EN
BEGIN:VEVENT
UID:2026-11-26-2015@savoy.example.org
SUMMARY:Sunset Boulevard (OV)
DTSTART;TZID=Europe/Berlin:20261126T201500
LOCATION:Savoy Filmtheater, Saal 1, Steindamm 54, 20099 Hamburg
URL:https://savoy.example.org/tickets/2026-11-26-2015
CATEGORIES:Klassiker
X-LANGUAGE:en
END:VEVENT
BEGIN:VEVENT
UID:2026-11-27-1730@savoy.example.org
SUMMARY:Breathless
DTSTART:20261127T163000Z
DESCRIPTION:Godards Debüt.\\nVersion: OmeU\\nFSK 16
LOCATION:Savoy Filmtheater
X-LANGUAGE:fr
X-SUBTITLES:en
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:2026-11-28-2230@savoy.example.org
SUMMARY:Sneak Preview (engl. OV)
DTSTART:20261128T223000
CATEGORIES:Sneak,OV
END:VEVENT
BEGIN:VEVENT
UID:2026-11-29@savoy.example.org
SUMMARY:Filmquiz
DTSTART;VALUE=DATE:20261129
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def test_an_ical_feed_becomes_showings_and_an_all_day_event_is_reported():
    result = parse_ical(SAVOY_ICS, tz=BERLIN, today=TODAY)

    assert result.showings == [
        RawShowing(
            position="event 1 (UID 2026-11-26-2015@savoy.example.org)",
            cinema="Savoy Filmtheater",
            title="Sunset Boulevard (OV)",
            start=berlin(2026, 11, 26, 20, 15),
            label="Klassiker",
            audio_language="en",
            auditorium="Saal 1",
            ticket_url="https://savoy.example.org/tickets/2026-11-26-2015",
        ),
        RawShowing(
            position="event 2 (UID 2026-11-27-1730@savoy.example.org)",
            cinema="Savoy Filmtheater",
            title="Breathless",
            start=berlin(2026, 11, 27, 17, 30),  # 16:30 UTC
            label="OmeU",
            audio_language="fr",
            subtitle_languages=("en",),
            cancelled=True,
        ),
        RawShowing(
            position="event 3 (UID 2026-11-28-2230@savoy.example.org)",
            cinema="",
            title="Sneak Preview (engl. OV)",
            start=berlin(2026, 11, 28, 22, 30),  # floating: Hamburg time
            label="Sneak, OV",
        ),
    ]
    assert [e.position for e in result.errors] == ["event 4 (UID 2026-11-29@savoy.example.org)"]
    assert "all-day" in result.errors[0].message


def test_ical_with_tzid_across_both_dst_switches():
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}\r\nSUMMARY:Cure\r\nDTSTART;TZID=Europe/Berlin:{stamp}\r\n"
        "END:VEVENT\r\n"
        for n, stamp in enumerate(
            [
                "20260329T013000",
                "20260329T023000",
                "20260329T033000",
                "20261025T013000",
                "20261025T023000",
                "20261025T033000",
            ],
            start=1,
        )
    )
    result = parse_ical(f"BEGIN:VCALENDAR\r\n{events}END:VCALENDAR\r\n", tz=BERLIN, today=TODAY)

    assert [e.position for e in result.errors] == ["event 2 (UID 2)"]
    assert "does not exist" in result.errors[0].message
    assert [utc_offset_hours(s.start) for s in result.showings] == [1, 2, 2, 2, 1]
    assert [s.start.astimezone(UTC).hour for s in result.showings] == [0, 1, 23, 0, 2]


def test_ical_utc_and_floating_times():
    ics = (
        "BEGIN:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Vertigo\r\nDTSTART:20260715T181500Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Vertigo\r\nDTSTART:20260715T201500\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Vertigo\r\nDTSTART:20261215T201500\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    result = parse_ical(ics, tz=BERLIN, today=TODAY)

    assert result.errors == []
    assert [s.start for s in result.showings] == [
        berlin(2026, 7, 15, 20, 15),
        berlin(2026, 7, 15, 20, 15),
        berlin(2026, 12, 15, 20, 15),
    ]
    assert [utc_offset_hours(s.start) for s in result.showings] == [2, 2, 1]


def test_ical_events_that_cannot_be_imported_are_reported_and_the_rest_imports():
    ics = (
        "BEGIN:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Cure\r\nDTSTART;TZID=Mars/Olympus:20261126T201500\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Cure\r\nDTSTART:20261126T201500\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Cure\r\nDTSTART:20261126T201500\r\nURL:javascript:x()\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Cure\r\nDTSTART:2026112\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20261126T201500\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nSUMMARY:Seppuku\r\nDTSTART:20261126T201500\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    result = parse_ical(ics, tz=BERLIN, today=TODAY)

    assert [(s.position, s.title) for s in result.showings] == [("event 6", "Seppuku")]
    errors = errors_by_position(result)
    assert list(errors) == [f"event {n}" for n in range(1, 6)]
    assert "Mars/Olympus" in errors["event 1"]
    assert "RRULE" in errors["event 2"]
    assert "http" in errors["event 3"]
    assert "DTSTART" in errors["event 4"]
    assert "no title" in errors["event 5"]


@pytest.mark.parametrize(
    "data",
    ["Programm folgt", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Cure\r\n", JUNK, JUNK.encode()],
    ids=["text", "truncated", "junk", "junk-bytes"],
)
def test_a_broken_calendar_is_one_error(data):
    result = parse_ical(data, tz=BERLIN, today=TODAY)

    assert result.showings == []
    assert [e.position for e in result.errors] == ["calendar"]


def test_ical_bytes_that_are_not_utf8_are_read_not_crashed_on():
    ics = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Cl\xe9o de 5 \xe0 7 \x81\r\n"
        b"DTSTART:20261126T201500\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = parse_ical(ics, tz=BERLIN, today=TODAY)

    assert result.errors == []
    assert result.showings[0].title == "Cléo de 5 à 7 \ufffd"


def test_ical_utf8_bytes_with_markup_in_the_title_are_kept_as_text():
    ics = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:<script>alert(1)</script> À bout de souffle\r\n"
        "DTSTART:20261126T201500\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    result = parse_ical(b"\xef\xbb\xbf" + ics, tz=BERLIN, today=TODAY)

    assert result.showings[0].title == "<script>alert(1)</script> À bout de souffle"


# --- demo feeds -----------------------------------------------------------------------------

DEMO_PARSERS = {
    "abaton.jsonld.html": parse_jsonld,
    "savoy.ics": parse_ical,
    "hamburg-ov.csv": parse_csv,
}


@pytest.fixture(scope="module")
def demo_results():
    feeds = demo_feeds(today=TODAY)
    assert set(feeds) == set(DEMO_PARSERS)
    return {name: DEMO_PARSERS[name](feeds[name], tz=BERLIN, today=TODAY) for name in feeds}


@pytest.mark.parametrize("name", list(DEMO_PARSERS))
def test_each_demo_feed_parses_cleanly_for_the_next_two_weeks(demo_results, name):
    result = demo_results[name]

    assert result.errors == []
    assert result.showings
    days = {s.start.astimezone(BERLIN).date() for s in result.showings}
    assert min(days) == TODAY
    assert max(days) == TODAY + dt.timedelta(days=13)


def test_demo_feeds_give_every_cinema_two_to_five_shows_a_day(demo_results):
    per_day: dict[tuple[str, dt.date], int] = {}
    for name, result in demo_results.items():
        for s in result.showings:
            key = (s.cinema or name, s.start.astimezone(BERLIN).date())
            per_day[key] = per_day.get(key, 0) + 1
    cinemas = {cinema for cinema, _ in per_day}
    assert cinemas == {
        "Abaton",
        "Savoy",
        "zeise",
        "studio-kino",
        "passage",
        "metropolis",
        "3001-kino",
    }
    assert len(per_day) == 7 * 14
    assert set(per_day.values()) <= {2, 3, 4, 5}


def test_demo_feeds_carry_the_labels_and_special_shows_the_demo_needs(demo_results):
    showings = [s for result in demo_results.values() for s in result.showings]
    titles = {s.title for s in showings}
    labels = {s.label for s in showings} | {s.title for s in showings}

    assert {"À bout de souffle", "Breathless", "Sneak Preview (engl. OV)"} <= titles
    assert "Kurzfilmnacht: Hamburger Shorts" in titles
    for label in ("OV", "OmU", "OmeU", "OV (englisch)", "OmdU", "DFmenglU", "engl. UT"):
        assert label in labels
    assert any(title.endswith("(D)") for title in titles)
    assert sum(s.cancelled for s in showings) == 1
    assert sum("IMAX" in s.label for s in showings) == 1
    tickets = {s.ticket_url.split("/")[2] for s in showings if s.ticket_url}
    assert tickets == {"tickets.example.org", "savoy.example.org"}


def test_demo_feeds_are_the_same_for_the_same_day():
    assert demo_feeds(today=TODAY) == demo_feeds(today=TODAY)
    assert demo_feeds(today=TODAY) != demo_feeds(today=TODAY + dt.timedelta(days=1))
