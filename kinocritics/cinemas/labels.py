"""Reading a cinema listing: the film's title, its language version, format tags and events.

Cinemas write the version in dozens of ways and mix it into the title: ``Dune: Part Two (OV)``,
``Past Lives OmU``, ``Sneak Preview (engl. OV)``, ``Poor Things + Filmgespräch mit der
Regisseurin``. ``listing_parse`` splits such a line into plain data. It is pure Python and needs
no database; ``bench/classify_labels.py`` times it on 100,000 lines.

How it reads a line:

1. *Words.* The line is cut into words and separators (brackets, `` - ``, ``–``, ``|``, ``+``,
   ``:``, ``,``). Each word is looked up in a table of label words (``OmU``, ``engl.``,
   ``Untertitel``, ``IMAX``, ``Premiere`` …); a few code families (``OmdU``/``OmenglU``,
   ``DFmenglU``, ``70mm-Kopie``) are recognised by a small pattern instead.
2. *Phrases.* Neighbouring label words are read together: ``engl. OV`` (English audio),
   ``OmU (dt./engl.)``, ``mit deutschen Untertiteln``, ``Sprache: Englisch``,
   ``Filmgespräch mit der Regisseurin``.
3. *Which phrases are labels.* A phrase is only taken out of the title where a label can stand,
   so a title keeps its own words (*Of Mice and Men*, *Johnny English*, *Marathon Man*):

   - unmistakable codes (``OmU``, ``OV``, ``3D``, ``mit englischen Untertiteln``, ``Q&A``) count
     anywhere;
   - words that could also be title words (``Premiere``, ``Live``, ``OF``, a bare ``D``) count at
     the end of the title, or in brackets, or after a separator;
   - a bare language word (``English``, ``Deutsch``) counts only in brackets, after a separator,
     or beside another label (``German with English subtitles``).

4. *Version.* Audio and subtitle languages are collected, the feed's structured fields replace
   them, and the version follows from what the viewer hears and reads (``version_decide``).

The title is empty only when the line holds no title words at all: a bare label such as
``OmU``, or a pure event listing such as ``Sneak Preview (engl. OV)``. Importers treat an empty
title as "no film to match".
"""

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .versions import Version

# Longer lines are cut before reading: no listing is this long, and it bounds the work per line.
MAX_CHARS = 1000


@dataclass(frozen=True)
class ParsedListing:
    """One listing line read into its film title and how the film is shown."""

    raw: str  # the input exactly as given (title, plus " | label" if a label was passed)
    title: str  # clean film title for matching: labels, format tags, event words removed
    version: str  # a Version value, as a plain string: "OV", "OMU_EN" …
    audio_language: str | None  # ISO 639-1, or None when unknown
    subtitle_languages: tuple[str, ...]
    formats: tuple[str, ...]  # "2D", "3D", "IMAX", "70mm", "35mm", "Dolby Atmos", "4DX", …
    events: tuple[str, ...]  # "Premiere", "Preview", "Sneak Preview", "Q&A", "Filmgespräch", …


# --- The words -----------------------------------------------------------------------------

# How sure a phrase is a label rather than part of a title.
WEAK, EDGE, STRONG = 0, 1, 2

# Kinds of label word.
LANG, SUB, WITH, AND, IN, NO, OV, ORIG, OMU, DFMEU, DE, SYNC, FASSUNG, SPRACHE = range(14)
FMT, EVENT, PREFIX = range(14, 17)


class Atom(NamedTuple):
    """What one label word means on its own."""

    kind: int
    value: str | tuple[str, ...] | None = None
    strength: int = WEAK
    talk: bool = False  # an event that may go on with "mit der Regisseurin …"


# ISO 639-1 code → the words cinemas use for it. German "-isch" adjectives get their endings
# (englische, englischen …) and "-sprachig" forms added below.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "de": ("deutsch", "dt", "dt.", "deu", "ger.", "german", "allemand", "tedesco"),
    "en": ("englisch", "engl", "engl.", "eng", "eng.", "english", "anglais", "inglés"),
    "fr": ("französisch", "franz.", "frz.", "french", "français", "française", "francais"),
    "es": ("spanisch", "span.", "spanish", "español", "espanol", "castellano"),
    "it": ("italienisch", "ital.", "italian", "italiano"),
    "ja": ("japanisch", "jap.", "japanese"),
    "ko": ("koreanisch", "kor.", "korean"),
    "zh": ("chinesisch", "chin.", "chinese", "mandarin", "kantonesisch", "cantonese"),
    "tr": ("türkisch", "türk.", "turkish", "türkçe"),
    "ru": ("russisch", "russ.", "russian"),
    "pl": ("polnisch", "poln.", "polish", "polski"),
    "da": ("dänisch", "dän.", "danish"),
    "sv": ("schwedisch", "schwed.", "swedish"),
    "no": ("norwegisch", "norw.", "norwegian"),
    "fi": ("finnisch", "finnish"),
    "is": ("isländisch", "icelandic"),
    "nl": ("niederländisch", "holländisch", "flämisch", "dutch", "flemish"),
    "pt": ("portugiesisch", "port.", "portuguese", "português"),
    "el": ("griechisch", "griech.", "greek"),
    "cs": ("tschechisch", "tschech.", "czech"),
    "sk": ("slowakisch", "slovak"),
    "hu": ("ungarisch", "hungarian"),
    "ro": ("rumänisch", "romanian"),
    "uk": ("ukrainisch", "ukrainian"),
    "bg": ("bulgarisch", "bulgarian"),
    "sr": ("serbisch", "serbian"),
    "hr": ("kroatisch", "croatian"),
    "bs": ("bosnisch", "bosnian"),
    "sl": ("slowenisch", "slovenian", "slovene"),
    "et": ("estnisch", "estonian"),
    "lv": ("lettisch", "latvian"),
    "lt": ("litauisch", "lithuanian"),
    "sq": ("albanisch", "albanian"),
    "ca": ("katalanisch", "catalan"),
    "eu": ("baskisch", "basque"),
    "ar": ("arabisch", "arab.", "arabic"),
    "fa": ("persisch", "farsi", "persian"),
    "he": ("hebräisch", "hebrew"),
    "yi": ("jiddisch", "yiddish"),
    "ku": ("kurdisch", "kurdish"),
    "ka": ("georgisch", "georgian"),
    "hi": ("hindi",),
    "ur": ("urdu",),
    "bn": ("bengalisch", "bengali"),
    "ta": ("tamil",),
    "te": ("telugu",),
    "ml": ("malayalam",),
    "th": ("thailändisch", "thai"),
    "vi": ("vietnamesisch", "vietnamese"),
    "id": ("indonesisch", "indonesian"),
}

# Three-letter (ISO 639-2/3) and retired codes a structured feed may send.
LANGUAGE_ALIASES = {
    "ara": "ar", "ben": "bn", "bos": "bs", "bul": "bg", "cat": "ca", "ces": "cs", "chi": "zh",
    "cmn": "zh", "cze": "cs", "dan": "da", "deu": "de", "dut": "nl", "ell": "el", "eng": "en",
    "est": "et", "eus": "eu", "fas": "fa", "fin": "fi", "fra": "fr", "fre": "fr", "geo": "ka",
    "ger": "de", "gre": "el", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "ice": "is",
    "ind": "id", "isl": "is", "ita": "it", "jpn": "ja", "kat": "ka", "kor": "ko", "kur": "ku",
    "lav": "lv", "lit": "lt", "mal": "ml", "nld": "nl", "nob": "no", "nno": "no", "nor": "no",
    "per": "fa", "pol": "pl", "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru", "slk": "sk",
    "slo": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "alb": "sq", "srp": "sr", "swe": "sv",
    "tam": "ta", "tel": "te", "tha": "th", "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi",
    "yid": "yi", "yue": "zh", "zho": "zh", "iw": "he", "in": "id", "ji": "yi", "nb": "no",
    "nn": "no",
}  # fmt: skip

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _language_atoms() -> dict[str, Atom]:
    """Every spelling of every language word → its LANG atom."""
    atoms: dict[str, Atom] = {}
    for code, words in LANGUAGE_WORDS.items():
        for word in words:
            forms = [word]
            if word.endswith("sch"):  # deutsch, englisch, französisch …
                forms += [word + ending for ending in ("e", "en", "er", "es")]
                forms += [word + "sprachig" + ending for ending in ("", "e", "en", "er", "es")]
            for form in forms:
                atoms[form] = Atom(LANG, code)
                atoms[form.translate(_UMLAUTS)] = Atom(LANG, code)
    return atoms


def _event(name: str, strength: int, *, talk: bool = False) -> Atom:
    return Atom(EVENT, name, strength, talk)


# Recognised spellings, lower case, as single words (hyphenated compounds included).
ATOMS: dict[str, Atom] = {
    **_language_atoms(),
    **dict.fromkeys(
        ("untertitel", "untertiteln", "untertitelt", "untertitelte", "untertitelung", "ut",
         "u.t.", "subs", "sub", "subtitles", "subtitle", "subtitled"),
        Atom(SUB, strength=EDGE),
    ),
    **dict.fromkeys(("mit", "with", "m."), Atom(WITH)),
    **dict.fromkeys(("und", "and", "u.", "&", "sowie"), Atom(AND)),
    **dict.fromkeys(("in", "auf"), Atom(IN)),
    **dict.fromkeys(("ohne", "without", "no", "keine", "kein"), Atom(NO)),
    **dict.fromkeys(
        ("ov", "o.v.", "o.v", "originalversion", "originalfassung", "ov-fassung", "ov-version"),
        Atom(OV, strength=STRONG),
    ),
    "original": Atom(ORIG, strength=WEAK),
    "orig.": Atom(ORIG, strength=EDGE),
    "orig": Atom(ORIG, strength=EDGE),
    **dict.fromkeys(
        ("synchronfassung", "synchronisiert", "synchronisierte", "synchronisierten", "dubbed"),
        Atom(SYNC, strength=STRONG),
    ),
    **dict.fromkeys(
        ("fassung", "version", "sprachfassung", "vorstellung", "vorführung", "screening", "dub"),
        Atom(FASSUNG),
    ),
    **dict.fromkeys(("sprache", "language", "audio", "ton", "tonspur"), Atom(SPRACHE)),
    **dict.fromkeys(("originalsprache", "originalton", "o-ton"), Atom(SPRACHE, "orig")),
    **{key: Atom(FMT, "2D", STRONG) for key in ("2d", "2-d")},
    **{key: Atom(FMT, "3D", STRONG) for key in ("3d", "3-d")},
    **{key: Atom(FMT, "IMAX", STRONG) for key in ("imax", "imax®", "imax-laser")},
    **{key: Atom(FMT, "Dolby Atmos", STRONG) for key in ("atmos", "dolby-atmos", "dolbyatmos")},
    **{key: Atom(FMT, "4DX", STRONG) for key in ("4dx", "4-dx")},
    **{key: Atom(FMT, "HFR", STRONG) for key in ("hfr", "48fps")},
    **{key: Atom(FMT, "D-BOX", STRONG) for key in ("d-box", "dbox")},
    **{key: Atom(FMT, "ScreenX", STRONG) for key in ("screenx", "screen-x")},
    # Events: talks may run on ("Filmgespräch mit der Regisseurin"), the rest are one word.
    **{
        key: _event("Filmgespräch", STRONG, talk=True)
        for key in (
            "filmgespräch", "filmgespräche", "filmgespraech", "publikumsgespräch",
            "regiegespräch", "podiumsgespräch", "werkstattgespräch", "kinogespräch",
            "nachgespräch", "künstlergespräch", "podiumsdiskussion",
        )
    },  # fmt: skip
    "gespräch": _event("Filmgespräch", EDGE, talk=True),
    # Weak: "Pillow Talk" and "Christmas Special" are titles; "(Talk)" and "+ Special" are not.
    **{key: _event("Filmgespräch", WEAK, talk=True) for key in ("talk", "diskussion")},
    **{key: _event("Filmgespräch", EDGE) for key in ("gast", "gäste", "gästen")},
    "q&a": _event("Q&A", STRONG, talk=True),
    **{key: _event("Einführung", STRONG, talk=True) for key in ("einführung", "filmeinführung")},
    "intro": _event("Einführung", EDGE, talk=True),
    "vorfilm": _event("Vorfilm", STRONG, talk=True),
    **{
        key: _event("Premiere", STRONG, talk=True)
        for key in (
            "hamburg-premiere", "hamburgpremiere", "deutschlandpremiere", "deutschland-premiere",
            "europapremiere", "weltpremiere", "kinopremiere", "filmpremiere", "erstaufführung",
        )
    },  # fmt: skip
    "premiere": _event("Premiere", EDGE, talk=True),
    **{key: _event("Sneak Preview", STRONG) for key in ("sneak", "sneak-preview", "sneakpreview")},
    **{key: _event("Preview", STRONG) for key in ("vorpremiere", "voraufführung")},
    "preview": _event("Preview", EDGE),
    **{
        key: _event("Kinderkino", STRONG)
        for key in ("kinderkino", "kinder-kino", "kinderfilm", "kinderfilme", "familienkino")
    },
    **{key: _event("Seniorenkino", STRONG) for key in ("seniorenkino", "senioren-kino")},
    **{key: _event("Ladies Night", STRONG) for key in ("ladies-night", "ladiesnight")},
    **{
        key: _event("Double Feature", STRONG)
        for key in ("double-feature", "doublefeature", "doppelvorstellung", "doppelprogramm")
    },
    **{
        key: _event("Marathon", STRONG)
        for key in ("filmmarathon", "kinomarathon", "film-marathon")
    },
    "marathon": _event("Marathon", EDGE),
    **{
        key: _event("Live", STRONG)
        for key in (
            "liveübertragung", "live-übertragung", "livestream", "live-stream", "live-musik",
            "livemusik",
        )
    },  # fmt: skip
    "live": _event("Live", EDGE),
    **{key: _event("Event", STRONG) for key in ("sonderveranstaltung", "sondervorstellung")},
    "event": _event("Event", EDGE),
    "special": _event("Event", WEAK),
    **{key: _event("Open Air", STRONG) for key in ("open-air", "openair")},
    **dict.fromkeys(
        ("anschl.", "anschließend", "anschliessend", "anschließendem", "anschliessendem",
         "anschließender", "anschließendes", "danach", "plus"),
        Atom(PREFIX),
    ),
}  # fmt: skip

# Two words read as one (the lexer joins them when only a space stands between).
BIGRAMS: dict[tuple[str, str], Atom] = {
    ("sneak", "preview"): _event("Sneak Preview", STRONG),
    ("sneak", "peek"): _event("Sneak Preview", STRONG),
    ("double", "feature"): _event("Double Feature", STRONG),
    ("ladies", "night"): _event("Ladies Night", STRONG),
    ("ladies'", "night"): _event("Ladies Night", STRONG),
    ("open", "air"): _event("Open Air", STRONG),
    ("nt", "live"): _event("Live", STRONG),
    ("met", "opera"): _event("Live", STRONG),
    ("national", "theatre"): _event("Live", STRONG),
    ("royal", "opera"): _event("Live", STRONG),
    ("royal", "ballet"): _event("Live", STRONG),
    ("bolshoi", "ballet"): _event("Live", STRONG),
    ("special", "screening"): _event("Event", STRONG),
    ("in", "anwesenheit"): _event("Filmgespräch", STRONG, talk=True),
    ("zu", "gast"): _event("Filmgespräch", STRONG, talk=True),
    ("in", "person"): _event("Filmgespräch", STRONG, talk=True),
    ("film", "talk"): _event("Filmgespräch", STRONG, talk=True),
    ("im", "anschluss"): Atom(PREFIX),
    ("followed", "by"): Atom(PREFIX),
    ("gefolgt", "von"): Atom(PREFIX),
    ("70", "mm"): Atom(FMT, "70mm", STRONG),
    ("35", "mm"): Atom(FMT, "35mm", STRONG),
    ("dolby", "atmos"): Atom(FMT, "Dolby Atmos", STRONG),
    ("imax", "laser"): Atom(FMT, "IMAX", STRONG),
    ("screen", "x"): Atom(FMT, "ScreenX", STRONG),
}

_BIGRAM_FIRST = frozenset(first for first, _ in BIGRAMS)

# Upper-case only: "D" and "OF" are labels, "d" and "of" are words.
CASED_ATOMS = {
    **dict.fromkeys(("D", "D.", "DF", "D.F.", "D.F"), Atom(DE, strength=EDGE)),
    **dict.fromkeys(("OF", "O.F.", "O.F"), Atom(OV, strength=EDGE)),
}

_OMU_RE = re.compile(
    r"o\.?m\.?(?:(d|dt|de|deu|e|en|eng|engl)\.?)?u\.?(?:(d|dt|de|e|en|eng|engl)\.?)?"
)
_DFMEU_RE = re.compile(r"d\.?f\.?m\.?(?:e|en|eng|engl)\.?u\.?(?:t\.?)?")
_FILM_GAUGE_RE = re.compile(r"(35|70)-?mm(?:-[a-zäöü]+)?")

# Words that make a following label word part of the title: "The Marathon", "Die Premiere".
ARTICLES = frozenset(
    {
        "the", "a", "an", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer",
        "le", "la", "les", "l'", "el", "los", "las", "il", "lo", "un", "une", "my", "your",
        "his", "her", "our", "their", "its", "this", "that", "of", "in", "at", "on", "for",
        "to", "from", "by", "and", "und", "&",
    }
)  # fmt: skip
# A talk's description starts with one of these: "Q&A mit …", "Premiere in Anwesenheit von …".
TAIL_STARTERS = frozenset(
    {"mit", "with", "von", "vom", "by", "der", "des", "zum", "zur", "feat.", "featuring"}
)
# Small words allowed between "mit"/"followed by" and the event: "followed by a Q&A".
EVENT_FILLERS = frozenset({"a", "an", "ein", "eine", "einem", "einer", "einen"})

_WORD_PUNCT = ".!?*\"'„“”«»‚‘’"


def _atom_of(word: str) -> Atom | None:
    """The label meaning of one word, or None for an ordinary word."""
    atom = CASED_ATOMS.get(word)
    if atom is not None:
        return atom
    key = word.lower()
    atom = ATOMS.get(key)
    if atom is not None:
        return atom
    stripped = key.strip(_WORD_PUNCT)
    if not stripped:
        return None
    if stripped != key:
        atom = ATOMS.get(stripped) or CASED_ATOMS.get(word.strip(_WORD_PUNCT))
        if atom is not None:
            return atom
    first = stripped[0]
    if first == "o" and (match := _OMU_RE.fullmatch(stripped)):
        codes = tuple(
            dict.fromkeys(
                "de" if letters.startswith("d") else "en" for letters in match.groups() if letters
            )
        )
        return Atom(OMU, codes, STRONG)
    if first == "d" and _DFMEU_RE.fullmatch(stripped):
        return Atom(DFMEU, strength=STRONG)
    if first in "37" and (match := _FILM_GAUGE_RE.fullmatch(stripped)):
        return Atom(FMT, f"{match.group(1)}mm", STRONG)
    return None


# --- Cutting a line into tokens ------------------------------------------------------------

# Token kinds.
T_WORD, T_JOIN, T_HARD, T_OPEN, T_CLOSE = range(5)

# Inside a run of non-space text: brackets, commas, unspaced dashes, pipes, semicolons, plus
# signs, a colon that ends the run ("Dune:", but "2:22" stays whole) and "/", which joins label
# words ("dt./engl.", "OV/Engl.").
_CHUNK_SPLIT_RE = re.compile(r"([()\[\]{}|;+,–—/]|:$)")
# A run that is only a dash, slash or bullet stood between spaces: a separator ("Film - OV").
_SPACED_SEPARATOR_RE = re.compile(r"[-‐‑–—]+|[/·•]")
_SEPARATOR_KINDS = {
    "(": T_OPEN, "[": T_OPEN, "{": T_OPEN, ")": T_CLOSE, "]": T_CLOSE, "}": T_CLOSE,
    "/": T_JOIN,
}  # fmt: skip
_QA_RE = re.compile(r"(?<!\w)q\s*(?:&|\+|and|und)\s*a(?!\w)", re.IGNORECASE)

# Word → (key, atom, hyphen parts). Listings reuse few words, so most lookups are one dict hit.
_WORD_CACHE: dict[str, tuple[str, Atom | None, tuple[tuple[str, str, Atom | None], ...]]] = {}
_WORD_CACHE_SIZE = 20_000


def _word(word: str) -> tuple[str, Atom | None, tuple[tuple[str, str, Atom | None], ...]]:
    """A word's lookup key, its label meaning, and its parts if it is hyphenated label words."""
    cached = _WORD_CACHE.get(word)
    if cached is not None:
        return cached
    atom = _atom_of(word)
    parts: tuple[tuple[str, str, Atom | None], ...] = ()
    if atom is None and "-" in word:
        # "OV-Sneak", "OmU-Fassung", "deutsch-englische": label words joined by hyphens are read
        # one by one; "Spider-Man" stays a word because its parts are not labels.
        pieces = [
            (piece, piece.lower().strip(_WORD_PUNCT), _atom_of(piece)) for piece in word.split("-")
        ]
        if any(piece for piece, _, _ in pieces) and all(a for piece, _, a in pieces if piece):
            parts = tuple(pieces)
    cached = (word.lower().strip(_WORD_PUNCT), atom, parts)
    if len(_WORD_CACHE) >= _WORD_CACHE_SIZE:
        _WORD_CACHE.clear()
    _WORD_CACHE[word] = cached
    return cached


_Row = tuple[int, str, str, Atom | None, bool]  # kind, text, key, atom, spaced

# Run of non-space text → its tokens. Lines repeat their runs ("(OmU)", "UT)", "Dune:"), so
# most runs are one dict hit instead of a regex split.
_CHUNK_CACHE: dict[str, tuple[_Row, ...]] = {}


def _chunk(chunk: str) -> tuple[_Row, ...]:
    """The tokens of one run of non-space text; its first token counts as spaced."""
    rows: list[_Row] = []
    if _SPACED_SEPARATOR_RE.fullmatch(chunk):
        rows.append((T_HARD, chunk, "", None, True))
    else:
        spaced = True
        for index, part in enumerate(_CHUNK_SPLIT_RE.split(chunk)):
            if index % 2:
                rows.append((_SEPARATOR_KINDS.get(part, T_HARD), part, "", None, spaced))
                spaced = False
            elif part:
                key, atom, pieces = _word(part)
                if not pieces:
                    rows.append((T_WORD, part, key, atom, spaced))
                for position, (piece, piece_key, piece_atom) in enumerate(pieces):
                    if position:
                        rows.append((T_JOIN, "-", "", None, False))
                    if piece:
                        rows.append((T_WORD, piece, piece_key, piece_atom, spaced and not position))
                spaced = False
    if len(_CHUNK_CACHE) >= _WORD_CACHE_SIZE:
        _CHUNK_CACHE.clear()
    _CHUNK_CACHE[chunk] = cached = tuple(rows)
    return cached


class _Tokens:
    """A line cut into words and separators, as parallel columns: index i is one token.

    Whitespace is not a token: ``spaced[i]`` says whether whitespace stood before token i.
    """

    __slots__ = ("kinds", "texts", "keys", "atoms", "spaced")

    def __init__(self, text: str) -> None:
        rows: list[_Row] = []
        cache = _CHUNK_CACHE
        for chunk in text.split():
            chunk_rows = cache.get(chunk) or _chunk(chunk)
            first = chunk_rows[0]
            previous = rows[-1] if rows else None
            if (
                previous is not None
                and previous[0] == T_WORD
                and first[0] == T_WORD
                and previous[2] in _BIGRAM_FIRST
                and (pair := BIGRAMS.get((previous[2], first[2])))
            ):
                # "Sneak Preview", "Dolby Atmos", "im Anschluss": two words, one meaning.
                rows[-1] = (T_WORD, f"{previous[1]} {first[1]}", first[2], pair, previous[4])
                rows.extend(chunk_rows[1:])
            else:
                rows.extend(chunk_rows)
        # Rows are tuples turned into columns in one C-level step: lines are short and many,
        # so per-token appends to five lists were most of the cost.
        columns = tuple(zip(*rows, strict=True)) if rows else ((), (), (), (), ())
        self.kinds: tuple[int, ...] = columns[0]
        self.texts: tuple[str, ...] = columns[1]
        self.keys: tuple[str, ...] = columns[2]  # words: lower case, outer punctuation stripped
        self.atoms: tuple[Atom | None, ...] = columns[3]
        self.spaced: tuple[bool, ...] = columns[4]


# --- Reading label phrases -----------------------------------------------------------------


class _Phrase:
    """One label phrase: the tokens it covers and what it says."""

    __slots__ = (
        "start", "end", "strength", "audio", "subs", "implicit_subs", "original", "german",
        "format", "event",
    )  # fmt: skip

    def __init__(
        self,
        start: int,
        end: int,
        strength: int,
        *,
        audio: str | None = None,
        subs: Sequence[str] = (),
        implicit_subs: bool = False,
        original: bool = False,
        german: bool = False,
        fmt: str | None = None,
        event: str | None = None,
    ) -> None:
        self.start, self.end, self.strength = start, end, strength
        self.audio, self.subs, self.implicit_subs = audio, tuple(subs), implicit_subs
        self.original, self.german = original, german
        self.format, self.event = fmt, event


class _Reader:
    """Reads label phrases from tokens; each method starts at the phrase's first word."""

    def __init__(self, tokens: _Tokens) -> None:
        self.kinds = tokens.kinds
        self.texts = tokens.texts
        self.keys = tokens.keys
        self.atoms = tokens.atoms
        self.count = len(tokens.kinds)
        self.in_tail = False  # reading ahead inside a talk's description

    def phrases(self) -> list[_Phrase]:
        found: list[_Phrase] = []
        index = 0
        atoms = self.atoms
        while index < self.count:
            if atoms[index] is not None and (phrase := self.read(index)):
                found.append(phrase)
                index = phrase.end + 1
            else:
                index += 1
        return found

    def nxt(self, index: int | None) -> int | None:
        """The next token, or None at the end."""
        if index is None or index + 1 >= self.count:
            return None
        return index + 1

    def atom(self, index: int | None, kind: int) -> Atom | None:
        """The atom at index if it is of this kind."""
        if index is None:
            return None
        atom = self.atoms[index]
        return atom if atom is not None and atom.kind == kind else None

    def is_sep(self, index: int | None, text: str) -> bool:
        return index is not None and self.kinds[index] == T_HARD and self.texts[index] == text

    def read(self, index: int) -> _Phrase | None:
        """The label phrase starting at index, if one does."""
        atom = self.atoms[index]
        assert atom is not None
        kind = atom.kind
        if kind == LANG:
            return self._language(index)
        if kind in (OV, ORIG):
            return self._original(index, index)
        if kind == OMU:
            return self._omu(index, atom)
        if kind == SUB:
            return self._subtitles(index)
        if kind == WITH:
            return self._with(index)
        if kind == FMT:
            return _Phrase(index, index, STRONG, fmt=str(atom.value))
        if kind == EVENT:
            end = self._talk_tail(index) if atom.talk and not self.in_tail else index
            return _Phrase(index, end, atom.strength, event=str(atom.value))
        if kind == PREFIX:
            return self._event_chain(index)
        if kind == DFMEU:
            return _Phrase(index, index, STRONG, german=True, subs=("en",))
        if kind == DE:
            return _Phrase(index, self._skip_fassung(index), EDGE, german=True)
        if kind == SYNC:
            return _Phrase(index, index, STRONG, german=True)
        if kind == SPRACHE:
            return self._sprache(index, atom)
        if kind == NO:
            after = self.nxt(index)
            if after is not None and self.atom(after, SUB):
                return _Phrase(index, after, STRONG, original=True)  # "ohne Untertitel"
        if kind == IN:
            return self._in_language(index)
        return None  # AND, FASSUNG: words unless part of a phrase

    def _language_list(self, index: int) -> tuple[int, list[str]]:
        """'dt./engl.', 'deutschen und englischen', 'Deutsch, Englisch': (last index, codes)."""
        first = self.atoms[index]
        assert first is not None
        codes = [str(first.value)]
        end = index
        while (joint := self.nxt(end)) is not None:
            if self.kinds[joint] == T_JOIN or self.texts[joint] == "," or self.atom(joint, AND):
                after = self.nxt(joint)
                if after is not None and (lang := self.atom(after, LANG)):
                    codes.append(str(lang.value))
                    end = after
                    continue
            break
        return end, list(dict.fromkeys(codes))

    def _language_tail(self, end: int) -> tuple[int, list[str]] | None:
        """Languages right after a code: 'OV (englisch)', 'OmU/engl', 'OV engl.'."""
        after = self.nxt(end)
        if after is None:
            return None
        kind = self.kinds[after]
        if kind in (T_OPEN, T_JOIN):
            first = self.nxt(after)
            if first is None or not self.atom(first, LANG):
                return None
            last, codes = self._language_list(first)
            following = self.nxt(last)
            if kind == T_OPEN:
                if following is not None and self.kinds[following] == T_CLOSE:
                    return following, codes
                return None
            # "OmU/engl. UT" is OmU plus a subtitle phrase, read on its own.
            return None if self.atom(following, SUB) else (last, codes)
        if self.atom(after, LANG):
            last, codes = self._language_list(after)
            # Only when the language ends the label: "OV French Exit" is OV and a title.
            following = self.nxt(last)
            if following is None or self.kinds[following] in (T_HARD, T_OPEN, T_CLOSE):
                return last, codes
            atom = self.atoms[following]
            if atom is not None and atom.kind != SUB:
                return last, codes
        return None

    def _skip_fassung(self, end: int) -> int:
        """Past a trailing 'Fassung'/'Version': 'OmU-Fassung', 'DF-Version'."""
        after = self.nxt(end)
        if after is not None and self.kinds[after] == T_JOIN:
            after = self.nxt(after)
        return after if after is not None and self.atom(after, FASSUNG) else end

    def _language(self, index: int) -> _Phrase:
        end, codes = self._language_list(index)
        after = self.nxt(end)
        if after is not None and self.atom(after, SUB):  # "engl. UT", "English subtitles"
            return _Phrase(index, after, STRONG, subs=codes)
        if len(codes) == 1 and after is not None:
            target = self.nxt(after) if self.kinds[after] == T_JOIN else after
            atom = self.atoms[target] if target is not None else None
            if target is not None and atom is not None:
                if atom.kind in (OV, ORIG):  # "engl. OV", "englische Originalfassung"
                    return self._original(index, target, audio=codes[0])
                if atom.kind in (FASSUNG, SYNC):  # "engl. Fassung", "German version"
                    return _Phrase(index, target, STRONG, audio=codes[0])
                if atom.kind == SPRACHE and atom.value is None:  # "English language version"
                    return _Phrase(index, self._skip_fassung(target), STRONG, audio=codes[0])
        # A bare language word: its audio, but only where the segment rules allow it.
        return _Phrase(index, end, WEAK, audio=codes[0])

    def _original(self, start: int, index: int, *, audio: str | None = None) -> _Phrase:
        atom = self.atoms[index]
        assert atom is not None
        strength = atom.strength
        end = self._skip_fassung(index)
        if end != index and atom.kind == ORIG:
            strength = STRONG  # "Original Version", "Original-Fassung"
        if tail := self._language_tail(end):
            end, codes = tail
            audio = audio or codes[0]
        if start != index:  # a language before it: "engl. OV", "englisches Original"
            strength = max(strength, EDGE if atom.kind == ORIG else STRONG)
        return _Phrase(start, end, strength, audio=audio, original=True)

    def _omu(self, index: int, atom: Atom) -> _Phrase:
        subs = list(atom.value or ())  # letters in the code: OmdU, OmeU, OmenglU, OmUd
        audio = None
        end = self._skip_fassung(index)
        if tail := self._language_tail(end):
            end = self._skip_fassung(tail[0])
            # "OmU (englisch)", "OmU dt./engl.": German/English after OmU name the subtitles;
            # any other language is the audio ("OmU (japanisch)").
            for code in tail[1]:
                if code in ("de", "en"):
                    subs.append(code)
                elif audio is None:
                    audio = code
        return _Phrase(
            index, end, STRONG, audio=audio, subs=subs, implicit_subs=not subs, original=True
        )

    def _subtitles(self, index: int) -> _Phrase:
        target = self.nxt(index)
        if self.is_sep(target, ":") or self.atom(target, IN):  # "Untertitel: Deutsch"
            target = self.nxt(target)
        if target is not None and self.atom(target, LANG):
            end, codes = self._language_list(target)
            return _Phrase(index, end, STRONG, subs=codes)
        if target is not None and self.atom(target, NO):  # "Untertitel: keine"
            return _Phrase(index, target, STRONG, original=True)
        return _Phrase(index, index, EDGE, implicit_subs=True)

    def _with(self, index: int) -> _Phrase | None:
        after = self.nxt(index)
        atom = self.atoms[after] if after is not None else None
        if after is None or atom is None:
            return self._event_chain(index)
        if atom.kind == LANG:
            end, codes = self._language_list(after)
            sub = self.nxt(end)
            if sub is not None and self.atom(sub, SUB):  # "mit deutschen Untertiteln"
                return _Phrase(index, sub, STRONG, subs=codes)
            # "with English": "mit"/"with" are enough to make a language the subtitles.
            return _Phrase(index, end, EDGE, subs=codes)
        if atom.kind == SUB:  # "mit Untertiteln", "with subtitles in English"
            inner = self._subtitles(after)
            return _Phrase(
                index,
                inner.end,
                STRONG,
                subs=inner.subs,
                implicit_subs=inner.implicit_subs,
                original=inner.original,
            )
        return self._event_chain(index)

    def _event_chain(self, start: int) -> _Phrase | None:
        """'mit Filmgespräch', 'im Anschluss Q&A', 'followed by a Q&A', 'mit Live-Musik'."""
        index: int | None = start
        while index is not None:
            atom = self.atoms[index]
            if atom is None:
                if self.kinds[index] != T_WORD or self.keys[index] not in EVENT_FILLERS:
                    return None
            elif atom.kind == EVENT:
                end = self._talk_tail(index) if atom.talk and not self.in_tail else index
                return _Phrase(start, end, STRONG, event=str(atom.value))
            elif atom.kind not in (WITH, PREFIX):
                return None
            index = self.nxt(index)
        return None

    def _talk_tail(self, end: int) -> int:
        """The end of a talk's description: 'Filmgespräch mit der Regisseurin', up to a label."""
        first = self.nxt(end)
        if first is None or self.kinds[first] != T_WORD:
            return end
        if self.keys[first] not in TAIL_STARTERS and not self.atom(first, WITH):
            return end
        last = end
        index: int | None = first
        # Looking ahead for a label must not start another tail: that would nest once per
        # "Q&A mit …" in the line.
        self.in_tail = True
        while index is not None:
            kind = self.kinds[index]
            if kind == T_WORD:
                if (
                    self.atoms[index] is not None
                    and (phrase := self.read(index))
                    and phrase.strength
                ):
                    break  # a label after the talk: "… mit der Regisseurin OmU"
                last = index
            elif not (kind == T_JOIN or self.texts[index] == ","):
                break
            index = self.nxt(index)
        self.in_tail = False
        return last

    def _sprache(self, index: int, atom: Atom) -> _Phrase | None:
        target = self.nxt(index)
        if self.is_sep(target, ":"):
            target = self.nxt(target)
        if target is not None and (lang := self.atom(target, LANG)):  # "Sprache: Französisch"
            return _Phrase(index, target, STRONG, audio=str(lang.value), original=bool(atom.value))
        if atom.value:  # "Originalton" alone
            return _Phrase(index, index, STRONG, original=True)
        return None

    def _in_language(self, index: int) -> _Phrase | None:
        after = self.nxt(index)
        if after is None or not self.atom(after, LANG):
            return None
        end, codes = self._language_list(after)
        following = self.nxt(end)
        sprache = self.atom(following, SPRACHE)
        if following is not None and sprache is not None and not sprache.value:
            end = following  # "in englischer Sprache"
        return _Phrase(index, end, EDGE, audio=codes[0])


# --- Deciding which phrases are labels -----------------------------------------------------

# Element kind of a phrase once phrases are read: a phrase is one element.
E_PHRASE = -1


class _Elements:
    """Tokens with each phrase collapsed into one element, and which elements are labels."""

    __slots__ = ("kinds", "texts", "phrases", "spaced", "consumed")

    def __init__(self, tokens: _Tokens, phrases: list[_Phrase], *, label_only: bool) -> None:
        if not phrases:  # a plain title: the tokens are the elements
            self.kinds: list[int] = list(tokens.kinds)
            self.texts: Sequence[str] = tokens.texts
            self.phrases: Sequence[_Phrase | None] = (None,) * len(tokens.kinds)
            self.spaced: Sequence[bool] = tokens.spaced
            self.consumed = [False] * len(tokens.kinds)
            self._mark(label_only=label_only)
            return
        kinds: list[int] = []
        texts: list[str] = []
        found: list[_Phrase | None] = []
        spaced: list[bool] = []
        index = 0
        # Slices copy runs of plain tokens at C speed; each phrase adds one element.
        for phrase in phrases:
            start = phrase.start
            kinds += tokens.kinds[index:start]
            texts += tokens.texts[index:start]
            spaced += tokens.spaced[index:start]
            found += [None] * (start - index)
            kinds.append(E_PHRASE)
            if phrase.end == start:  # most phrases are one word
                texts.append(tokens.texts[start])
            else:
                texts.append(
                    "".join(
                        (" " if tokens.spaced[i] and i > start else "") + tokens.texts[i]
                        for i in range(start, phrase.end + 1)
                    )
                )
            spaced.append(tokens.spaced[start])
            found.append(phrase)
            index = phrase.end + 1
        kinds += tokens.kinds[index:]
        texts += tokens.texts[index:]
        spaced += tokens.spaced[index:]
        found += [None] * (len(tokens.kinds) - index)
        self.kinds = kinds
        self.texts = texts
        self.phrases = found
        self.spaced = spaced
        self.consumed = [False] * len(kinds)
        self._mark(label_only=label_only)

    def _mark(self, *, label_only: bool) -> None:
        kinds, consumed = self.kinds, self.consumed
        pairs: list[tuple[int, int]] = []  # matched brackets, innermost first
        stack: list[int] = []
        # One pass: stretches between separators and brackets are marked as they end.
        start = 0
        has_phrase = has_word = False
        for index, kind in enumerate(kinds):
            if kind == E_PHRASE:
                has_phrase = True
            elif kind == T_WORD:
                has_word = True
            elif kind != T_JOIN:
                if has_phrase:
                    self._mark_segment(start, index, has_word=has_word, label_only=label_only)
                start, has_phrase, has_word = index + 1, False, False
                if kind == T_OPEN:
                    stack.append(index)
                elif kind == T_CLOSE:
                    if stack:
                        pairs.append((stack.pop(), index))
                    else:
                        kinds[index] = T_HARD  # an unmatched bracket is just a separator
        if has_phrase:
            self._mark_segment(start, len(kinds), has_word=has_word, label_only=label_only)
        for index in stack:
            kinds[index] = T_HARD

        # A bracket that held only labels goes with them: "Barbie (2D, OV)".
        for open_index, close_index in pairs:
            inside = range(open_index + 1, close_index)
            if all(consumed[i] or kinds[i] not in (T_WORD, E_PHRASE) for i in inside):
                for i in (open_index, close_index, *inside):
                    consumed[i] = True

    def _mark_segment(self, start: int, stop: int, *, has_word: bool, label_only: bool) -> None:
        """Mark the labels in kinds[start:stop], one stretch between separators."""
        kinds, phrases, consumed = self.kinds, self.phrases, self.consumed
        positions = [i for i in range(start, stop) if kinds[i] == E_PHRASE]
        if label_only or not has_word:
            for i in positions:
                consumed[i] = True
            return
        strength = {i: getattr(phrases[i], "strength", WEAK) for i in positions}
        for i in positions:
            if strength[i] == STRONG:
                consumed[i] = True
        # Labels at the end of a title: "Hamlet Live", "Paddington D", "Perfect Days OmU engl.".
        # (The stretch holds a word, so both walks stop inside it.)
        last_word = stop - 1
        while kinds[last_word] != T_WORD:
            last_word -= 1
        run = [i for i in positions if i > last_word]
        if run:
            strongest = max(strength[i] for i in run)
            article = self.texts[last_word].lower() in ARTICLES
            if strongest == STRONG or (strongest == EDGE and not article):
                for i in run:
                    consumed[i] = True
        # Labels at the start only with a sure one among them: "engl. OmU Perfect Days".
        first_word = start
        while kinds[first_word] != T_WORD:
            first_word += 1
        run = [i for i in positions if i < first_word]
        if any(strength[i] == STRONG for i in run):
            for i in run:
                consumed[i] = True

    def labels(self) -> list[_Phrase]:
        """The phrases that are labels, in reading order."""
        return [
            phrase
            for phrase, consumed in zip(self.phrases, self.consumed, strict=True)
            if consumed and phrase is not None
        ]

    def title(self) -> str:
        """What is left once the labels are out, without separators left hanging."""
        kinds, texts, consumed, spaced = self.kinds, self.texts, self.consumed, self.spaced
        out: list[str] = []
        pending = ""  # a separator waiting for the next kept word; dropped at the end
        space = after_open = started = False
        last = len(kinds) - 1
        for index, kind in enumerate(kinds):
            if consumed[index]:
                space = True
                continue
            space = space or spaced[index]
            text = texts[index]
            if kind == T_HARD:
                if started and not pending:
                    pending = text
                continue
            if kind == T_JOIN:
                # Kept only between two kept words: "AC/DC" stays, "Film/OmU" loses its slash.
                if (
                    0 < index < last
                    and not spaced[index]
                    and not spaced[index + 1]
                    and all(
                        not consumed[i] and kinds[i] in (T_WORD, E_PHRASE)
                        for i in (index - 1, index + 1)
                    )
                ):
                    out.append(text)
                    space = False
                continue
            if kind == T_CLOSE:
                out.append(text)
                pending, space = "", False
                continue
            if pending:
                out.append(pending + " " if pending in ":,;" else f" {pending} ")
            elif space and started and not after_open:
                out.append(" ")
            out.append(text)
            pending, space, started, after_open = "", False, True, kind == T_OPEN
        title = " ".join("".join(out).split()).strip(" -‐–—|:,;/+•·")
        if len(title) >= 2 and title[0] in _QUOTES and title[-1] in _QUOTES:
            inner = title[1:-1]
            if not any(quote in inner for quote in _QUOTES):  # '"Film"', not '"A" and "B"'
                title = inner.strip()
        return title


_QUOTES = "\"'„“”«»‚‘’"


# --- The version -----------------------------------------------------------------------------


def version_decide(
    *, audio_language: str | None, subtitle_languages: Sequence[str], original: bool
) -> Version:
    """The version a viewer gets from what they hear and read."""
    if audio_language == "de":
        return Version.DE_EN_SUBS if "en" in subtitle_languages else Version.DE
    if "de" in subtitle_languages and "en" in subtitle_languages:
        return Version.OMU_MULTI
    if "en" in subtitle_languages:
        return Version.OMU_EN
    if "de" in subtitle_languages:
        return Version.OMU_DE
    if original or audio_language or subtitle_languages:
        # Subtitles in neither German nor English are rare; they stay listed with the OV.
        return Version.OV
    return Version.UNKNOWN


def language_code(value: str | None) -> str | None:
    """ISO 639-1 for a structured field's value: 'en', 'EN', 'en-GB', 'eng', 'English'."""
    if not value or not isinstance(value, str):
        return None
    key = value.strip().lower().replace("_", "-")
    base = key.split("-", 1)[0]
    if len(base) == 2 and base.isalpha() and base.isascii():
        return LANGUAGE_ALIASES.get(base, base)
    if base in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[base]
    atom = ATOMS.get(key) or ATOMS.get(base)
    return str(atom.value) if atom is not None and atom.kind == LANG else None


# --- The whole line --------------------------------------------------------------------------

_TAG_RE = re.compile(r"<[^<>]{0,200}>")
# Emoji and pictographs: decoration, never part of a title we can match.
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]+")
# Invisible and odd spaces: NBSP and friends become spaces, soft hyphens and zero-widths go.
_INVISIBLE = {
    **{code: " " for code in range(32) if chr(code) not in "\t\n\r"},
    **dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000"), " "),
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200e\u200f\u2060\ufeff"), None),
    ord("\u2010"): "-",
    ord("\u2011"): "-",
}


def _clean_text(text: str) -> str:
    """Entities unescaped, tags and emoji dropped, odd spaces made plain."""
    plain = text.isascii() and text.isprintable() and "&" not in text and "<" not in text
    if plain and len(text) <= MAX_CHARS:
        return text  # the usual listing: nothing to clean
    text = text[: MAX_CHARS * 2]
    for _ in range(2):  # feeds double-escape: "&amp;amp;"
        if "&" not in text:
            break
        text = html.unescape(text)
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = _EMOJI_RE.sub(" ", text)
    if not text.isprintable():
        text = text.translate(_INVISIBLE)
    return text[:MAX_CHARS]


class _Facts:
    """What the label phrases of a line say together."""

    def __init__(self) -> None:
        self.audio: str | None = None
        self.subs: list[str] = []
        self.implicit_subs = False
        self.original = False
        self.german = False
        self.formats: list[str] = []
        self.events: list[str] = []

    def add(self, phrase: _Phrase) -> None:
        if phrase.audio and self.audio is None:
            self.audio = phrase.audio
        self.subs.extend(phrase.subs)
        self.implicit_subs |= phrase.implicit_subs
        self.original |= phrase.original
        self.german |= phrase.german
        if phrase.format and phrase.format not in self.formats:
            self.formats.append(phrase.format)
        if phrase.event and phrase.event not in self.events:
            self.events.append(phrase.event)


def _read(text: str, facts: _Facts, *, label_only: bool) -> str:
    """Add the labels of one text to facts; return what is left of it as a title."""
    text = _clean_text(text)
    if not text or text.isspace():
        return ""
    if "q" in text or "Q" in text:
        text = _QA_RE.sub("Q&A", text)
    tokens = _Tokens(text)
    # Most words are no label word at all; a line without any is only a title.
    phrases = _Reader(tokens).phrases() if any(tokens.atoms) else []
    elements = _Elements(tokens, phrases, label_only=label_only)
    if phrases:
        for phrase in elements.labels():
            facts.add(phrase)
    return "" if label_only else elements.title()


_SUBTITLE_ORDER = {"de": 0, "en": 1}


@lru_cache(maxsize=8192)
def _parse(
    raw_title: str, label: str, audio_language: str | None, subtitle_languages: tuple[str, ...]
) -> ParsedListing:
    facts = _Facts()
    title = _read(raw_title, facts, label_only=False)
    if label:
        _read(label, facts, label_only=True)

    # Structured fields from the feed beat words in the title or label.
    audio = (audio_language and language_code(audio_language)) or facts.audio
    if audio is None and facts.german and not facts.original:
        audio = "de"
    stated = [code for code in map(language_code, subtitle_languages) if code]
    if stated:
        subs = stated
    elif facts.subs:
        subs = facts.subs  # named subtitles beat OmU's unnamed (German) ones: OmeU beats OmU
    elif facts.implicit_subs:
        subs = ["de"]
    else:
        subs = []
    if len(subs) > 1:  # German and English first, as readers scan for them
        subs = sorted(dict.fromkeys(subs), key=lambda code: _SUBTITLE_ORDER.get(code, 2))

    version = version_decide(
        audio_language=audio,
        subtitle_languages=subs,
        original=facts.original or bool(stated) or bool(audio_language),
    )
    if version == Version.UNKNOWN:
        audio, subs = None, []
    return ParsedListing(
        raw=f"{raw_title} | {label}" if label else raw_title,
        title=title,
        version=version.value,
        audio_language=audio,
        subtitle_languages=tuple(subs),
        formats=tuple(facts.formats),
        events=tuple(facts.events),
    )


def listing_parse(
    raw_title: str,
    *,
    label: str = "",
    audio_language: str | None = None,
    subtitle_languages: Sequence[str] = (),
) -> ParsedListing:
    """Split a listing title and label into title, version, languages, formats and events."""
    return _parse(
        raw_title if isinstance(raw_title, str) else "",
        label if isinstance(label, str) else "",
        audio_language if isinstance(audio_language, str) else None,
        tuple(code for code in subtitle_languages or () if isinstance(code, str)),
    )
