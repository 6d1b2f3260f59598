"""Reading cinema listings: what a reader is told about version, languages, format and events.

Every case is a spelling seen in real German cinema listings. Each asserts the whole reading:
the clean title the film is matched by, the version, audio and subtitle languages, formats and
events, so a change in one rule shows up wherever it leaks.
"""

import io
import json
import random

import pytest
from django.core.management import call_command

from kinocritics.cinemas.labels import ParsedListing, language_code, listing_parse
from kinocritics.cinemas.versions import Version, version_words


def case(
    raw: str,
    version: str,
    *,
    title: str,
    audio: str | None = None,
    subs: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    events: tuple[str, ...] = (),
    id: str,
) -> object:
    return pytest.param(raw, (title, version, audio, subs, formats, events), id=id)


def reading(raw: str, **kwargs: object) -> tuple:
    listing = listing_parse(raw, **kwargs)
    return (
        listing.title,
        listing.version,
        listing.audio_language,
        listing.subtitle_languages,
        listing.formats,
        listing.events,
    )


OV_FAMILY = [
    case("Dune: Part Two (OV)", "OV", title="Dune: Part Two", id="bracketed-OV"),
    case("Oppenheimer OV", "OV", title="Oppenheimer", id="trailing-OV"),
    case("oppenheimer ov", "OV", title="oppenheimer", id="lower-case-ov"),
    case("OV: Oppenheimer", "OV", title="Oppenheimer", id="OV-prefix-with-colon"),
    case("Oppenheimer (O.V.)", "OV", title="Oppenheimer", id="dotted-O.V."),
    case("Of Mice and Men (OF)", "OV", title="Of Mice and Men", id="bracketed-OF"),
    case("Perfect Days OF", "OV", title="Perfect Days", id="trailing-OF"),
    case("Oppenheimer Originalversion", "OV", title="Oppenheimer", id="Originalversion"),
    case("Oppenheimer - Originalfassung", "OV", title="Oppenheimer", id="Originalfassung"),
    case("Oppenheimer (Original Version)", "OV", title="Oppenheimer", id="Original-Version"),
    case("Oppenheimer (Orig.)", "OV", title="Oppenheimer", id="Orig."),
    case("Oppenheimer OV-Fassung", "OV", title="Oppenheimer", id="OV-Fassung"),
    case("Oppenheimer OV (englisch)", "OV", title="Oppenheimer", audio="en", id="OV-englisch"),
    case("Oppenheimer engl. OV", "OV", title="Oppenheimer", audio="en", id="engl.-OV"),
    case("Oppenheimer englische OV", "OV", title="Oppenheimer", audio="en", id="englische-OV"),
    case("Oppenheimer OV/Engl.", "OV", title="Oppenheimer", audio="en", id="OV-slash-Engl."),
    case("Amélie (französische OV)", "OV", title="Amélie", audio="fr", id="französische-OV"),
    case("Film (O-Ton)", "OV", title="Film", id="O-Ton"),
    case("Film (OV, UT: keine)", "OV", title="Film", id="OV-no-subtitles-stated"),
    case("Film OV ohne UT", "OV", title="Film", id="OV-ohne-UT"),
]

OMU_DE = [
    case("Past Lives OmU", "OMU_DE", title="Past Lives", subs=("de",), id="trailing-OmU"),
    case("PAST LIVES OMU", "OMU_DE", title="PAST LIVES", subs=("de",), id="upper-case-OMU"),
    case("Past Lives O.m.U.", "OMU_DE", title="Past Lives", subs=("de",), id="O.m.U."),
    case("Past Lives (OmdU)", "OMU_DE", title="Past Lives", subs=("de",), id="OmdU"),
    case("Past Lives OmUd", "OMU_DE", title="Past Lives", subs=("de",), id="OmUd"),
    case("Past Lives OmU (dt.)", "OMU_DE", title="Past Lives", subs=("de",), id="OmU-dt."),
    case("[OmU] Perfect Days", "OMU_DE", title="Perfect Days", subs=("de",), id="OmU-prefix"),
    case(
        "Past Lives (Original mit deutschen Untertiteln)",
        "OMU_DE",
        title="Past Lives",
        subs=("de",),
        id="Original-mit-deutschen-Untertiteln",
    ),
    case("Past Lives mit dt. UT", "OMU_DE", title="Past Lives", subs=("de",), id="mit-dt.-UT"),
    case(
        "Past Lives OV mit deutschen Untertiteln",
        "OMU_DE",
        title="Past Lives",
        subs=("de",),
        id="OV-mit-deutschen-Untertiteln",
    ),
    case("Past Lives OmU-Fassung", "OMU_DE", title="Past Lives", subs=("de",), id="OmU-Fassung"),
    case(
        "Tokyo Story OmU (japanisch)",
        "OMU_DE",
        title="Tokyo Story",
        audio="ja",
        subs=("de",),
        id="OmU-names-audio-language",
    ),
    case(
        "Past Lives (englisch mit deutschen UT)",
        "OMU_DE",
        title="Past Lives",
        audio="en",
        subs=("de",),
        id="englisch-mit-deutschen-UT",
    ),
    case("Film mit Untertiteln", "OMU_DE", title="Film", subs=("de",), id="unnamed-subtitles"),
]

OMU_EN = [
    case(
        "Anatomie d'une chute – OmeU",
        "OMU_EN",
        title="Anatomie d'une chute",
        subs=("en",),
        id="OmeU-after-dash",
    ),
    case("Past Lives (OmEU)", "OMU_EN", title="Past Lives", subs=("en",), id="OmEU"),
    case("Past Lives OmengU", "OMU_EN", title="Past Lives", subs=("en",), id="OmengU"),
    case("Past Lives OmenglU", "OMU_EN", title="Past Lives", subs=("en",), id="OmenglU"),
    case("Past Lives omeu", "OMU_EN", title="Past Lives", subs=("en",), id="lower-omeu"),
    case(
        "Perfect Days OmU engl. UT", "OMU_EN", title="Perfect Days", subs=("en",), id="OmU-engl.-UT"
    ),
    case(
        "Perfect Days OmU (englisch)",
        "OMU_EN",
        title="Perfect Days",
        subs=("en",),
        id="OmU-englisch",
    ),
    case(
        "Perfect Days OmU/engl", "OMU_EN", title="Perfect Days", subs=("en",), id="OmU-slash-engl"
    ),
    case(
        "Perfect Days mit englischen Untertiteln",
        "OMU_EN",
        title="Perfect Days",
        subs=("en",),
        id="mit-englischen-Untertiteln",
    ),
    case(
        "Past Lives (OV with English subtitles)",
        "OMU_EN",
        title="Past Lives",
        subs=("en",),
        id="OV-with-English-subtitles",
    ),
    case(
        "Past Lives - English subtitles",
        "OMU_EN",
        title="Past Lives",
        subs=("en",),
        id="English-subtitles",
    ),
    case("Cure (engl. UT)", "OMU_EN", title="Cure", subs=("en",), id="engl.-UT"),
    case("Film (OV m. engl. UT)", "OMU_EN", title="Film", subs=("en",), id="OV-m.-engl.-UT"),
    case("Dune Part Two (ENG SUB)", "OMU_EN", title="Dune Part Two", subs=("en",), id="ENG-SUB"),
    case(
        "La Haine OmeU (französisch)",
        "OMU_EN",
        title="La Haine",
        audio="fr",
        subs=("en",),
        id="OmeU-with-audio-language",
    ),
    case(
        "Tokyo Story (japanisch mit englischen Untertiteln)",
        "OMU_EN",
        title="Tokyo Story",
        audio="ja",
        subs=("en",),
        id="japanisch-mit-englischen-Untertiteln",
    ),
]

OMU_MULTI = [
    case(
        "Perfect Days OmU dt./engl.",
        "OMU_MULTI",
        title="Perfect Days",
        subs=("de", "en"),
        id="OmU-dt.-engl.",
    ),
    case(
        "Perfect Days (OmU (dt./engl.))",
        "OMU_MULTI",
        title="Perfect Days",
        subs=("de", "en"),
        id="nested-brackets",
    ),
    case(
        "Perfect Days - mit deutschen und englischen Untertiteln",
        "OMU_MULTI",
        title="Perfect Days",
        subs=("de", "en"),
        id="mit-deutschen-und-englischen-Untertiteln",
    ),
    case(
        "Perfect Days (German & English subtitles)",
        "OMU_MULTI",
        title="Perfect Days",
        subs=("de", "en"),
        id="German-and-English-subtitles",
    ),
    case(
        "Film (OmU, deutsch-englische Untertitel)",
        "OMU_MULTI",
        title="Film",
        subs=("de", "en"),
        id="deutsch-englische-Untertitel",
    ),
    case(
        "Film (Untertitel: Deutsch, Englisch)",
        "OMU_MULTI",
        title="Film",
        subs=("de", "en"),
        id="Untertitel-list",
    ),
]

DE_EN_SUBS = [
    case(
        "Das Lehrerzimmer DFmenglU",
        "DE_EN_SUBS",
        title="Das Lehrerzimmer",
        audio="de",
        subs=("en",),
        id="DFmenglU",
    ),
    case(
        "Das Boot (DFmeU)",
        "DE_EN_SUBS",
        title="Das Boot",
        audio="de",
        subs=("en",),
        id="DFmeU",
    ),
    case(
        "Das Lehrerzimmer (Deutsche Fassung mit englischen Untertiteln)",
        "DE_EN_SUBS",
        title="Das Lehrerzimmer",
        audio="de",
        subs=("en",),
        id="Deutsche-Fassung-mit-englischen-Untertiteln",
    ),
    case(
        "Das Lehrerzimmer - German with English subtitles",
        "DE_EN_SUBS",
        title="Das Lehrerzimmer",
        audio="de",
        subs=("en",),
        id="German-with-English-subtitles",
    ),
    case(
        "Phoenix DF mit engl. UT",
        "DE_EN_SUBS",
        title="Phoenix",
        audio="de",
        subs=("en",),
        id="DF-mit-engl.-UT",
    ),
]

GERMAN = [
    case(
        "Kinderkino: Paddington (D)",
        "DE",
        title="Paddington",
        audio="de",
        events=("Kinderkino",),
        id="bracketed-D",
    ),
    case("Barbie D", "DE", title="Barbie", audio="de", id="trailing-D"),
    case("Barbie (DF)", "DE", title="Barbie", audio="de", id="DF"),
    case("Barbie (Deutsch)", "DE", title="Barbie", audio="de", id="Deutsch"),
    case("Barbie dt. Fassung", "DE", title="Barbie", audio="de", id="dt.-Fassung"),
    case("Barbie - deutsche Fassung", "DE", title="Barbie", audio="de", id="deutsche-Fassung"),
    case("Barbie (German version)", "DE", title="Barbie", audio="de", id="German-version"),
    case(
        "Barbie (Deutsche Synchronfassung)", "DE", title="Barbie", audio="de", id="Synchronfassung"
    ),
]

BARE_ENGLISH = [
    case("Oppenheimer (englisch)", "OV", title="Oppenheimer", audio="en", id="bracketed-englisch"),
    case("Oppenheimer (English)", "OV", title="Oppenheimer", audio="en", id="bracketed-English"),
    case("Oppenheimer engl. Fassung", "OV", title="Oppenheimer", audio="en", id="engl.-Fassung"),
    case("Oppenheimer in English", "OV", title="Oppenheimer", audio="en", id="in-English"),
    case(
        "Oppenheimer - English version", "OV", title="Oppenheimer", audio="en", id="English-version"
    ),
    case("Film, in englischer Sprache", "OV", title="Film", audio="en", id="in-englischer-Sprache"),
    case(
        "Film (with English)", "OMU_EN", title="Film", subs=("en",), id="with-English-is-subtitles"
    ),
    case("Johnny English", "UNKNOWN", title="Johnny English", id="English-in-a-title"),
    case(
        "The English Patient (OmU)",
        "OMU_DE",
        title="The English Patient",
        subs=("de",),
        id="English-inside-a-title",
    ),
]

GERMAN_PHRASES = [
    case(
        "Perfect Days (Sprache: Englisch, Untertitel: Deutsch)",
        "OMU_DE",
        title="Perfect Days",
        audio="en",
        subs=("de",),
        id="Sprache-und-Untertitel",
    ),
    case(
        "Amélie (Sprache: Französisch)", "OV", title="Amélie", audio="fr", id="Sprache-Französisch"
    ),
    case(
        "Amélie (Untertitel: Englisch)",
        "OMU_EN",
        title="Amélie",
        subs=("en",),
        id="Untertitel-Englisch",
    ),
    case("Film - Originalsprache: Spanisch", "OV", title="Film", audio="es", id="Originalsprache"),
    case("Film (Sprache: Koreanisch)", "OV", title="Film", audio="ko", id="Koreanisch"),
    case("Film (türkisch)", "OV", title="Film", audio="tr", id="türkisch"),
    case("Film (Farsi)", "OV", title="Film", audio="fa", id="Farsi"),
    case("Film - auf Polnisch", "OV", title="Film", audio="pl", id="auf-Polnisch"),
    case(
        "Film (Mandarin mit engl. UT)",
        "OMU_EN",
        title="Film",
        audio="zh",
        subs=("en",),
        id="Mandarin",
    ),
]

LABELS_IN_TITLES = [
    case(
        "Sneak Preview (engl. OV)",
        "OV",
        title="",
        audio="en",
        events=("Sneak Preview",),
        id="pure-sneak-has-no-title",
    ),
    case("Oppenheimer - 70mm - OV", "OV", title="Oppenheimer", formats=("70mm",), id="dashes"),
    case("Barbie (2D, OV)", "OV", title="Barbie", formats=("2D",), id="list-in-brackets"),
    case(
        "Dune 2 IMAX 3D OmU",
        "OMU_DE",
        title="Dune 2",
        subs=("de",),
        formats=("IMAX", "3D"),
        id="codes-run-together",
    ),
    case(
        "Poor Things + Filmgespräch mit der Regisseurin",
        "UNKNOWN",
        title="Poor Things",
        events=("Filmgespräch",),
        id="plus-talk-with-guest",
    ),
    case(
        "Premiere: The Zone of Interest (OmU)",
        "OMU_DE",
        title="The Zone of Interest",
        subs=("de",),
        events=("Premiere",),
        id="Premiere-prefix",
    ),
    case(
        "Past Lives (Kino 2, OmU)",
        "OMU_DE",
        title="Past Lives (Kino 2)",
        subs=("de",),
        id="other-words-stay",
    ),
    case(
        "Film (OmU) - Teil 2",
        "OMU_DE",
        title="Film - Teil 2",
        subs=("de",),
        id="no-hanging-separator",
    ),
    case("Film/OmU", "OMU_DE", title="Film", subs=("de",), id="slash-joined"),
    case('"Perfect Days" (OmU)', "OMU_DE", title="Perfect Days", subs=("de",), id="quoted-title"),
    case("2:22 OV", "OV", title="2:22", id="colon-inside-a-word"),
    case("Tom &amp; Jerry (OV)", "OV", title="Tom & Jerry", id="html-entity"),
    case("<b>Oppenheimer</b> (OmU)", "OMU_DE", title="Oppenheimer", subs=("de",), id="html-tags"),
    case("🎬 Oppenheimer (OV) 🍿", "OV", title="Oppenheimer", id="emoji"),
    case("Oppenheimer\u00a0(OV)", "OV", title="Oppenheimer", id="no-break-space"),
    case("OmU", "OMU_DE", title="", subs=("de",), id="a-bare-label-has-no-title"),
]

TITLE_WORDS = [
    case("Of Mice and Men", "UNKNOWN", title="Of Mice and Men", id="Of-is-a-word"),
    case("OF MICE AND MEN", "UNKNOWN", title="OF MICE AND MEN", id="OF-inside-a-caps-title"),
    case("MOVIE 43", "UNKNOWN", title="MOVIE 43", id="OV-inside-a-word"),
    case("Lovely Bones OV", "OV", title="Lovely Bones", id="ov-inside-Lovely"),
    case("Marathon Man", "UNKNOWN", title="Marathon Man", id="Marathon-Man"),
    case("The Marathon", "UNKNOWN", title="The Marathon", id="article-keeps-the-word"),
    case("Live and Let Die", "UNKNOWN", title="Live and Let Die", id="Live-at-the-start"),
    case("Pillow Talk", "UNKNOWN", title="Pillow Talk", id="Talk-at-the-end"),
    case("AC/DC: Let There Be Rock", "UNKNOWN", title="AC/DC: Let There Be Rock", id="AC-DC"),
    case(
        "Spider-Man: Across the Spider-Verse 3D",
        "UNKNOWN",
        title="Spider-Man: Across the Spider-Verse",
        formats=("3D",),
        id="hyphens-stay",
    ),
    case("The Good German", "UNKNOWN", title="The Good German", id="German-in-a-title"),
    case("No Time to Die (OV)", "OV", title="No Time to Die", id="No-is-a-word"),
]

FORMATS = [
    case(
        "Dune: Part Two Dolby Atmos",
        "UNKNOWN",
        title="Dune: Part Two",
        formats=("Dolby Atmos",),
        id="Dolby-Atmos",
    ),
    case("Dune (Atmos)", "UNKNOWN", title="Dune", formats=("Dolby Atmos",), id="Atmos"),
    case("Dune 4DX 3D", "UNKNOWN", title="Dune", formats=("4DX", "3D"), id="4DX"),
    case("The Hobbit HFR 3D", "UNKNOWN", title="The Hobbit", formats=("HFR", "3D"), id="HFR"),
    case("Top Gun D-BOX", "UNKNOWN", title="Top Gun", formats=("D-BOX",), id="D-BOX-is-not-D"),
    case("Top Gun ScreenX", "UNKNOWN", title="Top Gun", formats=("ScreenX",), id="ScreenX"),
    case(
        "Lawrence of Arabia 35mm",
        "UNKNOWN",
        title="Lawrence of Arabia",
        formats=("35mm",),
        id="35mm",
    ),
    case("Oppenheimer 70 mm", "UNKNOWN", title="Oppenheimer", formats=("70mm",), id="70-space-mm"),
    case(
        "Oppenheimer (70mm-Kopie)",
        "UNKNOWN",
        title="Oppenheimer",
        formats=("70mm",),
        id="70mm-Kopie",
    ),
    case(
        "Oppenheimer – IMAX Laser",
        "UNKNOWN",
        title="Oppenheimer",
        formats=("IMAX",),
        id="IMAX-Laser",
    ),
    case("Barbie 2D", "UNKNOWN", title="Barbie", formats=("2D",), id="2D"),
]

EVENTS = [
    case("Hamlet Live", "UNKNOWN", title="Hamlet", events=("Live",), id="Live-at-the-end"),
    case("NT Live: Hamlet", "UNKNOWN", title="Hamlet", events=("Live",), id="NT-Live"),
    case(
        "Der Herr der Ringe Marathon",
        "UNKNOWN",
        title="Der Herr der Ringe",
        events=("Marathon",),
        id="Marathon",
    ),
    case(
        "Double Feature: Dune + Dune 2",
        "UNKNOWN",
        title="Dune + Dune 2",
        events=("Double Feature",),
        id="Double-Feature",
    ),
    case(
        "The Zone of Interest OV-Sneak",
        "OV",
        title="The Zone of Interest",
        events=("Sneak Preview",),
        id="OV-Sneak",
    ),
    case(
        "Perfect Days (OmU) + Q&A mit Wim Wenders",
        "OMU_DE",
        title="Perfect Days",
        subs=("de",),
        events=("Q&A",),
        id="Q-and-A",
    ),
    case(
        "Q & A mit Wim Wenders: Perfect Days",
        "UNKNOWN",
        title="Perfect Days",
        events=("Q&A",),
        id="spaced-Q-and-A",
    ),
    case(
        "Perfect Days - im Anschluss Filmgespräch mit Wim Wenders",
        "UNKNOWN",
        title="Perfect Days",
        events=("Filmgespräch",),
        id="im-Anschluss-Filmgespräch",
    ),
    case(
        "Perfect Days OmU mit Einführung",
        "OMU_DE",
        title="Perfect Days",
        subs=("de",),
        events=("Einführung",),
        id="mit-Einführung",
    ),
    case("Film (Vorpremiere)", "UNKNOWN", title="Film", events=("Preview",), id="Vorpremiere"),
    case("Film - Preview", "UNKNOWN", title="Film", events=("Preview",), id="Preview"),
    case(
        "Film (in Anwesenheit der Regisseurin)",
        "UNKNOWN",
        title="Film",
        events=("Filmgespräch",),
        id="in-Anwesenheit",
    ),
    case("Film mit Live-Musik", "UNKNOWN", title="Film", events=("Live",), id="Live-Musik"),
    case(
        "Film (Ladies Night)", "UNKNOWN", title="Film", events=("Ladies Night",), id="Ladies-Night"
    ),
    case(
        "Hamburg-Premiere: Film",
        "UNKNOWN",
        title="Film",
        events=("Premiere",),
        id="Hamburg-Premiere",
    ),
]

MOST_SPECIFIC = [
    case("Film (OV) OmeU", "OMU_EN", title="Film", subs=("en",), id="OmeU-beats-OV"),
    case("Film OmU / OmeU", "OMU_EN", title="Film", subs=("en",), id="OmeU-beats-OmU"),
    case(
        "Sunset Boulevard (OV) | OmU",
        "OMU_DE",
        title="Sunset Boulevard",
        subs=("de",),
        id="OmU-beats-OV",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), OV_FAMILY)
def test_ov_family_labels_read_as_original_version_without_subtitles(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), OMU_DE)
def test_omu_listing_is_german_subtitles(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), OMU_EN)
def test_omeu_listing_is_english_subtitles(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), OMU_MULTI)
def test_german_and_english_subtitles_when_both_are_named(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), DE_EN_SUBS)
def test_german_version_with_english_subtitles(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), GERMAN)
def test_german_labels_read_as_german_audio(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), BARE_ENGLISH)
def test_a_bare_english_is_the_audio_unless_subtitle_words_stand_beside_it(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), GERMAN_PHRASES)
def test_language_phrases_name_audio_and_subtitles(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), LABELS_IN_TITLES)
def test_labels_inside_titles_are_split_from_the_title(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), TITLE_WORDS)
def test_titles_keep_words_that_only_look_like_labels(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), FORMATS)
def test_format_tags_are_normalised_and_leave_the_title(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), EVENTS)
def test_event_words_are_normalised_and_leave_the_title(raw, expected):
    assert reading(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), MOST_SPECIFIC)
def test_the_most_specific_label_wins(raw, expected):
    assert reading(raw) == expected


def test_ov_does_not_mean_english():
    listing = listing_parse("À bout de souffle (OV)")
    assert listing.version == "OV" and listing.audio_language is None
    assert version_words(listing.version, None, listing.subtitle_languages) == (
        "Original language · no subtitles"
    )


def test_a_french_film_with_english_subtitles_reads_in_the_readers_words():
    listing = listing_parse("La Haine OmeU (französisch)")
    words = version_words(listing.version, listing.audio_language, listing.subtitle_languages)
    assert words == "French · English subtitles"


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        pytest.param(
            "Past Lives (engl. OV)",
            {"audio_language": "fr"},
            ("Past Lives", "OV", "fr", (), (), ()),
            id="feed-audio-beats-engl.-in-the-title",
        ),
        pytest.param(
            "Past Lives OmU",
            {"subtitle_languages": ["en"]},
            ("Past Lives", "OMU_EN", None, ("en",), (), ()),
            id="feed-subtitles-beat-OmU",
        ),
        pytest.param(
            "Past Lives OmeU",
            {"audio_language": "ja", "subtitle_languages": ("de",)},
            ("Past Lives", "OMU_DE", "ja", ("de",), (), ()),
            id="both-fields",
        ),
        pytest.param(
            "Past Lives (OV)",
            {"audio_language": "eng"},
            ("Past Lives", "OV", "en", (), (), ()),
            id="three-letter-code",
        ),
        pytest.param(
            "Phoenix (OmeU)",
            {"audio_language": "de-DE", "subtitle_languages": ["EN"]},
            ("Phoenix", "DE_EN_SUBS", "de", ("en",), (), ()),
            id="german-film-with-english-subtitles",
        ),
        pytest.param(
            "Past Lives (engl. OV)",
            {"audio_language": "not a language"},
            ("Past Lives", "OV", "en", (), (), ()),
            id="unreadable-field-falls-back-to-the-title",
        ),
    ],
)
def test_structured_fields_from_the_feed_beat_words_in_the_title(raw, kwargs, expected):
    assert reading(raw, **kwargs) == expected


def test_structured_audio_alone_makes_an_original_version():
    assert reading("Red Rocket", audio_language="en") == ("Red Rocket", "OV", "en", (), (), ())
    assert reading("Das Boot", audio_language="de") == ("Das Boot", "DE", "de", (), (), ())


@pytest.mark.parametrize(
    ("title", "label", "expected"),
    [
        pytest.param(
            "Withnail and I",
            "OV (englisch)",
            ("Withnail and I", "OV", "en", (), (), ()),
            id="OV-englisch",
        ),
        pytest.param("Cure", "engl. UT", ("Cure", "OMU_EN", None, ("en",), (), ()), id="engl.-UT"),
        pytest.param(
            "Phoenix", "DFmenglU", ("Phoenix", "DE_EN_SUBS", "de", ("en",), (), ()), id="DFmenglU"
        ),
        pytest.param(
            "Dune: Part Two", "D", ("Dune: Part Two", "DE", "de", (), (), ()), id="bare-D"
        ),
        pytest.param(
            "Vertigo",
            "OV, IMAX",
            ("Vertigo", "OV", None, (), ("IMAX",), ()),
            id="version-and-format",
        ),
        pytest.param("Film", "English", ("Film", "OV", "en", (), (), ()), id="English-alone"),
        pytest.param(
            "Film",
            "Drama, Kinder",
            ("Film", "UNKNOWN", None, (), (), ()),
            id="other-category-words",
        ),
    ],
)
def test_a_separate_label_is_read_like_title_words(title, label, expected):
    listing = listing_parse(title, label=label)
    assert reading(title, label=label) == expected
    assert listing.raw == f"{title} | {label}"


ODD_INPUTS = [
    "",
    " ",
    "\t\n",
    "()",
    "((((",
    ")))",
    "[OmU",
    "Film (",
    "- OV -",
    "&",
    "&amp;amp;",
    "&#x1F600;",
    "😀🎬",
    "\u200b\u00ad",
    "\x00\x07 Film",
    "OmU " * 500,
    "x" * 5000,
    "Film (OV" + ")" * 50,
    "«Film» – „OmU“",
    "Ｆｉｌｍ （ＯＶ）",
    "<script>alert(1)</script> OmU",
    "مرحبا (OmU)",
    "映画 OV",
    "D D D",
    "mit mit mit",
    "in in English in",
    "Untertitel: ",
    "Sprache:",
    "Q&A mit",
    "OmU (",
    "Q&A mit " * 200,  # talks that run on into talks: read without deep recursion
]


@pytest.mark.parametrize("raw", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
def test_odd_input_never_raises_and_keeps_the_raw_string(raw):
    listing = listing_parse(raw)
    assert isinstance(listing, ParsedListing)
    assert listing.raw == raw
    assert listing.version in Version.values
    assert listing.title == listing.title.strip()


def test_random_listings_never_raise_and_read_the_same_twice():
    rng = random.Random(20261125)
    pieces = [
        "Dune", "Part", "Two", ":", "-", "–", "(", ")", "[", "]", "/", "+", ",", "OV", "OmU",
        "OmeU", "engl.", "dt.", "UT", "mit", "with", "English", "Deutsch", "D", "OF", "Of",
        "3D", "IMAX", "70", "mm", "Premiere", "Live", "Q&A", "Sneak", "Preview", "Sprache",
        "Untertitel", "in", "the", "&amp;", "😀", "é", "\u00a0", "Fassung", "Original", "",
    ]  # fmt: skip
    for _ in range(3000):
        raw = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        listing = listing_parse(raw)
        assert listing.raw == raw
        assert listing.version in Version.values
        assert listing == listing_parse(raw)


@pytest.mark.parametrize(
    "raw",
    [
        param.values[0]
        for param in OV_FAMILY + OMU_DE + OMU_EN + LABELS_IN_TITLES + EVENTS
        if param.values[1][0]
    ],
)
def test_a_clean_title_holds_no_more_labels(raw):
    title = listing_parse(raw).title
    again = listing_parse(title)
    assert again.title == title
    assert (again.version, again.formats, again.events) == ("UNKNOWN", (), ())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-GB", "en"),
        ("eng", "en"),
        ("English", "en"),
        ("Englisch", "en"),
        ("ger", "de"),
        ("fre", "fr"),
        ("zh-Hant", "zh"),
        ("iw", "he"),
        ("und", None),
        ("", None),
        (None, None),
        ("Klingon", None),
    ],
)
def test_language_code_accepts_what_feeds_send(value, code):
    assert language_code(value) == code


def test_classify_labels_prints_one_json_object_per_line():
    out = io.StringIO()
    lines = (
        "Past Lives (OmeU)\n\n   \nSneak Preview (engl. OV)\nDune 2 IMAX 3D OmU\n"
        "Anatomie d’une chute\n"
    )
    call_command("classify_labels", stdin=io.StringIO(lines), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {
            "raw": "Past Lives (OmeU)",
            "title": "Past Lives",
            "version": "OMU_EN",
            "audio_language": None,
            "subtitle_languages": ["en"],
            "format": [],
            "event": [],
        },
        {
            "raw": "Sneak Preview (engl. OV)",
            "title": "",
            "version": "OV",
            "audio_language": "en",
            "subtitle_languages": [],
            "format": [],
            "event": ["Sneak Preview"],
        },
        {
            "raw": "Dune 2 IMAX 3D OmU",
            "title": "Dune 2",
            "version": "OMU_DE",
            "audio_language": None,
            "subtitle_languages": ["de"],
            "format": ["IMAX", "3D"],
            "event": [],
        },
        {
            "raw": "Anatomie d’une chute",
            "title": "Anatomie d’une chute",
            "version": "UNKNOWN",
            "audio_language": None,
            "subtitle_languages": [],
            "format": [],
            "event": [],
        },
    ]
    assert "d’une" in out.getvalue()  # ensure_ascii is off: readable UTF-8


def test_classify_labels_handles_many_lines_in_batches():
    out = io.StringIO()
    lines = "".join(f"Film {n} (OmU)\n" for n in range(5001))
    call_command("classify_labels", stdin=io.StringIO(lines), stdout=out)
    rows = out.getvalue().splitlines()
    assert len(rows) == 5001
    assert json.loads(rows[-1])["title"] == "Film 5000"
