"""Helpers every feed parser shares: languages, local times, yearless dates, ticket links."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

# Every ISO 639-1 code, so a BCP-47 tag like "pt-BR" or "zh-Hant" reduces to a code we can trust.
_ISO_639_1_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
    lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
    or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())

# Names as cinemas write them (English, German, the language's own name) and ISO 639-2/3 codes.
_LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "ar": ("arabic", "arabisch", "ara", "العربية"),
    "bg": ("bulgarian", "bulgarisch", "bul"),
    "bs": ("bosnian", "bosnisch", "bos"),
    "ca": ("catalan", "katalanisch", "català", "cat"),
    "cs": ("czech", "tschechisch", "čeština", "ces", "cze"),
    "da": ("danish", "dänisch", "dansk", "dan"),
    "de": ("german", "deutsch", "dt.", "dt", "deu", "ger"),
    "el": ("greek", "griechisch", "ελληνικά", "ell", "gre"),
    "en": ("english", "englisch", "engl.", "engl", "eng"),
    "es": ("spanish", "spanisch", "español", "castellano", "spa"),
    "et": ("estonian", "estnisch", "est"),
    "fa": ("persian", "farsi", "persisch", "fas", "per"),
    "fi": ("finnish", "finnisch", "suomi", "fin"),
    "fr": ("french", "französisch", "franz.", "français", "francais", "fra", "fre"),
    "ga": ("irish", "irisch", "gle"),
    "he": ("hebrew", "hebräisch", "heb"),
    "hi": ("hindi", "hin"),
    "hr": ("croatian", "kroatisch", "hrvatski", "hrv"),
    "hu": ("hungarian", "ungarisch", "magyar", "hun"),
    "hy": ("armenian", "armenisch", "hye", "arm"),
    "id": ("indonesian", "indonesisch", "ind"),
    "is": ("icelandic", "isländisch", "isl", "ice"),
    "it": ("italian", "italienisch", "italiano", "ital.", "ita"),
    "ja": ("japanese", "japanisch", "jap.", "日本語", "jpn"),
    "ka": ("georgian", "georgisch", "kat", "geo"),
    "ko": ("korean", "koreanisch", "한국어", "kor"),
    "ku": ("kurdish", "kurdisch", "kur"),
    "lt": ("lithuanian", "litauisch", "lit"),
    "lv": ("latvian", "lettisch", "lav"),
    "mk": ("macedonian", "mazedonisch", "mkd", "mac"),
    "nl": ("dutch", "niederländisch", "holländisch", "nederlands", "nld", "dut"),
    "no": ("norwegian", "norwegisch", "norsk", "nor", "nob"),
    "pl": ("polish", "polnisch", "polski", "pol"),
    "pt": ("portuguese", "portugiesisch", "português", "por"),
    "ro": ("romanian", "rumänisch", "română", "ron", "rum"),
    "ru": ("russian", "russisch", "русский", "rus"),
    "sk": ("slovak", "slowakisch", "slk", "slo"),
    "sl": ("slovenian", "slovene", "slowenisch", "slv"),
    "sq": ("albanian", "albanisch", "sqi", "alb"),
    "sr": ("serbian", "serbisch", "srp"),
    "sv": ("swedish", "schwedisch", "svenska", "swe"),
    "ta": ("tamil", "tam"),
    "te": ("telugu", "tel"),
    "th": ("thai", "tha"),
    "tr": ("turkish", "türkisch", "türkçe", "tur"),
    "uk": ("ukrainian", "ukrainisch", "українська", "ukr"),
    "ur": ("urdu", "urd"),
    "vi": ("vietnamese", "vietnamesisch", "vie"),
    "yi": ("yiddish", "jiddisch", "yid"),
    "zh": ("chinese", "chinesisch", "mandarin", "cantonese", "kantonesisch", "中文", "zho", "chi"),
}
_WORD_TO_CODE = {word: code for code, words in _LANGUAGE_WORDS.items() for word in words}
_BCP47 = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")

# The earliest and latest a yearless date may fall relative to today: a programme looks ahead,
# but a feed published late may still list last week's shows.
YEARLESS_BACK = dt.timedelta(days=62)
YEARLESS_AHEAD = dt.timedelta(days=304)

WEEKDAYS: dict[str, int] = {
    "mo": 0, "mon": 0, "di": 1, "tue": 1, "mi": 2, "wed": 2, "do": 3, "thu": 3,
    "fr": 4, "fri": 4, "sa": 5, "sat": 5, "so": 6, "sun": 6,
}  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A room inside a cinema rather than the cinema or its street address: "Saal 2", "Kino 1".
_ROOM = re.compile(
    r"\b(saal|säle|kino\s*\d{1,2}|screen|hall|auditorium|leinwand|raum|room|studio\s*\d{1,2})\b",
    re.IGNORECASE,
)


class NonexistentTimeError(ValueError):
    """A local wall-clock time skipped by a daylight-saving change."""


def language_code(value: str) -> str | None:
    """The ISO 639-1 code for a language name, BCP-47 tag or ISO 639-2 code; None if unknown."""
    word = value.strip().lower()
    if not word:
        return None
    if word in _WORD_TO_CODE:
        return _WORD_TO_CODE[word]
    match = _BCP47.match(word)
    if match:
        primary = match.group(1)
        if primary in ISO_639_1:
            return primary
        return _WORD_TO_CODE.get(primary)
    # "English (UK)", "Englisch, Original": the first word carries the language.
    first = re.split(r"[\s(,/]+", word, maxsplit=1)[0]
    return _WORD_TO_CODE.get(first)


def split_languages(value: str) -> list[str]:
    """The pieces of a list of languages written as 'en|de', 'en, de' or 'en/de'."""
    return [part.strip() for part in re.split(r"[|,/;]+", value) if part.strip()]


def aware_local(*, naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time in tz as an aware datetime; the first of two ambiguous times wins."""
    # fold=0 picks the earlier of the two 02:30s on the night clocks go back: a cinema that
    # really meant the second would be showing a film at half past two in the morning twice.
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive.replace(tzinfo=None, fold=0):
        raise NonexistentTimeError(
            f"{naive:%H:%M} on {naive:%d.%m.%Y} does not exist in {tz.key}: clocks go forward "
            "that night. Check the time with the cinema."
        )
    return aware


def resolve_yearless_date(
    *, day: int, month: int, today: dt.date, weekday: int | None = None
) -> dt.date:
    """The year for a 'day.month.' date: nearest to today, a weekday given must match."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if today - YEARLESS_BACK <= candidate <= today + YEARLESS_AHEAD:
            candidates.append(candidate)
    if not candidates:
        raise ValueError(f"{day:02d}.{month:02d}. is not a date in the months around {today:%Y}.")
    if weekday is not None:
        matching = [c for c in candidates if c.weekday() == weekday]
        if not matching:
            nearest = min(candidates, key=lambda c: abs(c - today))
            raise ValueError(
                f"{day:02d}.{month:02d}. is a {WEEKDAY_NAMES[nearest.weekday()]} in "
                f"{nearest.year}, not a {WEEKDAY_NAMES[weekday]}. Check the date or the weekday."
            )
        candidates = matching
    return min(candidates, key=lambda c: (abs(c - today), c < today))


# The common case, decided without urlsplit(): http(s)://host[:port][/…] with no whitespace or
# control characters anywhere. Whatever this does not match gets the full check below.
_PLAIN_HTTP_URL = re.compile(
    r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s\x00-\x1f\x7f]*)?"
)


def check_ticket_url(value: str) -> str:
    """The URL stripped, if it is a full http(s) address; raises ValueError otherwise."""
    url = value.strip()
    if not url:
        return ""
    if _PLAIN_HTTP_URL.fullmatch(url):
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"ticket link {shorten(url)!r} is not a full http(s) address; "
            "give it as https://… or leave it empty."
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValueError(f"ticket link {shorten(url)!r} contains spaces or control characters.")
    return url


def is_room(value: str) -> bool:
    """Whether a place name names a room in a cinema ('Saal 2', 'Kino 1') rather than a cinema."""
    return bool(_ROOM.search(value))


def split_location(value: str) -> tuple[str, str]:
    """(cinema, auditorium) from 'Cinema Name, Saal 2'; street and town parts are dropped."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        return "", ""
    if is_room(parts[0]):
        return "", parts[0]
    auditorium = next((part for part in parts[1:] if is_room(part)), "")
    return parts[0], auditorium


def join_label(*parts: str) -> str:
    """Label pieces joined with ', ', empties and repeats dropped."""
    seen: list[str] = []
    for part in parts:
        part = part.strip()
        if part and part.lower() not in (s.lower() for s in seen):
            seen.append(part)
    return ", ".join(seen)


def shorten(value: str, limit: int = 60) -> str:
    """A value cut down for an error message, so junk input cannot flood the import report."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def plausible_year(value: object) -> int | None:
    """A production year from '1949', 1949 or '1949-09-01'; None when it is not one."""
    match = re.match(r"^\s*(\d{4})", str(value))
    if not match:
        return None
    year = int(match.group(1))
    return year if 1870 <= year <= 2100 else None


MAX_TITLE_LENGTH = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_text(value: str) -> str:
    """Text with control characters and runs of whitespace reduced to single spaces."""
    # NUL and other control characters cannot be stored in PostgreSQL text and never belong in
    # a listing; anything else (markup included) is kept as text for the templates to escape.
    return " ".join(_CONTROL.sub(" ", value).split())


def check_title(value: str) -> str:
    """A listing title, cleaned; raises ValueError when it is missing or absurdly long."""
    title = clean_text(value)
    if not title:
        raise ValueError("has no title; every showing needs the film's title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValueError(
            f"title is {len(title)} characters long, more than {MAX_TITLE_LENGTH}; "
            "check that the fields are separated correctly."
        )
    return title
