"""Reading the old site's plain-text festival review lists into drafts for an editor to check.

A list is a run of blocks, one per film, usually alphabetical:

    Melon Route, The ****
    Vera Lindqvist, Sweden/Denmark
    Starts December 27
    One paragraph of review, wrapped over as many lines as it takes.
    (Author Name, BS***, KB **½, NT**1/2)

How a block is read:

- **Blocks** are separated by blank lines, but a block ends at its closing parenthesised author
  line, so a review with a blank line inside it stays one block. A block that never gets its
  author line ends where the next paragraph plainly starts an entry (a title with stars, or a
  title followed by a director line); it is kept, with a problem.
- **Title line**: the title, then the author's stars (`*` to `****`, halves as `1/2` or `½`),
  or no stars (unrated). An inverted leading article is turned round for display
  (`Melon Route, The` → `The Melon Route`, `Himmel über Berlin, Der`, `Avventura, L'`).
- **Director line**: `Name[, Name…], Country[/Country…]`; the last comma-separated part is the
  country list split on `/`. Suffixes such as `, Jr.` stay with their name; a trailing
  `, 2024` (or `Germany 2024`) is read as the film's year and only used as a matching hint.
- **German start line** (optional, right after the director line): `Starts December 27`,
  `Starts 27 December 2024`, `German release: 27.12.2024`. The raw text is kept; the date is
  filled when the line has a day and month and a year can be had: written in the line, else
  the next such day on or after `when` (the festival's date), else the edition `year`.
- **Text**: the lines up to the author line; wrapped lines are joined with a space, blank lines
  inside a block become paragraph breaks.
- **Cross-reference**: `See festival coverage`, `See detailed review by JM` as the last lines
  of the body (instead of, or after, the text) or straight after the author line. A block
  that is only a cross-reference needs neither text nor an author line.
- **Author line**: `(Author Name, BS***, KB **½)`: the author (a critic's name, or initials),
  then co-ratings by other critics as initials + stars.

Bad input never raises and is never dropped: it is kept as written and described in a problem
that names the entry. Entry problems include their co-ratings' problems, so an editor reads
one list per entry. Nothing here writes; `critic_refs` is the only database read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from kinocritics.cinemas.matching import ACCEPT, FilmMatcher
from kinocritics.critics.models import Critic
from kinocritics.films.text import normalise_title, split_names
from kinocritics.reviews.ratings import parse_stars

RATING_HELP = "use * to **** with optional 1/2"

# ---------------------------------------------------------------------------------------------
# Plain data handed to the services and the admin.


@dataclass(frozen=True)
class CriticRef:
    """A critic as the parser needs it: id, full name and initials."""

    id: int
    name: str
    initials: str


@dataclass(frozen=True)
class CoRatingDraft:
    """One co-rating from the closing parentheses, e.g. `NT**1/2`."""

    initials: str
    half_stars: int | None
    raw: str  # as written, initials included: "KB **½"
    critic_id: int | None
    problem: str  # "" when fine; several problems are joined with "; "


@dataclass(frozen=True)
class EntryDraft:
    """One film's block of a review list, as read."""

    line: int  # 1-based line of the title
    raw_title: str
    title: str  # for display: inverted article turned round
    half_stars: int | None
    stars_raw: str
    directors: tuple[str, ...]
    countries: tuple[str, ...]
    german_start_raw: str
    german_start: dt.date | None
    text: str
    author_name: str
    author_critic_id: int | None
    co_ratings: tuple[CoRatingDraft, ...]
    cross_reference: str
    film_id: int | None  # only an accepted match
    film_score: float
    film_decision: str  # "accept" | "review" | "none", or "" when no matcher was given
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ListDraft:
    """A whole review list: its entries, and problems with text that belongs to no entry."""

    entries: tuple[EntryDraft, ...]
    problems: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Patterns.

# Pasted text arrives from Word, e-mail and the old site's HTML: odd spaces, invisible
# characters and look-alike asterisks and slashes are folded before anything is matched.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CHAR_MAP = str.maketrans(
    {
        "\ufeff": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\u00ad": None,
        "\u2217": "*",
        "\uff0a": "*",
        "\u2044": "/",
        "\u2215": "/",
    }
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_STARS = r"\*+(?:\s*(?:\d+\s*/\s*\d+|[½¼¾⅓⅔]))?"
_TITLE_LINE = re.compile(rf"^(?P<title>.*?)[\s:–—-]*(?P<stars>{_STARS})$")
_ARTICLES = r"the|a|an|der|die|das|ein|eine|le|la|les|l['’]|un|une|el|los|las|il|lo|gli|uno|una"
_INVERTED = re.compile(rf"^(?P<head>.+),\s*(?P<article>{_ARTICLES})$", re.IGNORECASE)
_ALT_TITLE = re.compile(r"^(?P<main>.+?)\s*\((?P<alt>[^()]+)\)$")
_OPEN_QUOTES = "\"“„«‘'"
_CLOSE_QUOTES = "\"”“»’'"

_DIRECTOR_LABEL = re.compile(r"^(?:directed\s+by|directors?|dir\.)\s*:?\s+", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_TRAILING_YEAR = re.compile(r"^(?P<rest>.*\S)\s+(?P<year>(?:19|20)\d\d)$")
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV)\.?$")
_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la", "ten"}
    | {"ter", "bin", "ibn", "al", "el", "y", "dos", "das", "zu"}
)
_COUNTRY_JOINERS = frozenset({"and", "of", "the", "&"})
_NOT_IN_NAMES = re.compile(r"[\d*!?;:\"“”()]")

_START_STRONG = re.compile(
    r"^(?:german\s+(?:release|start|opening)(?:\s+date)?|in\s+german\s+cinemas"
    r"|kinostart|bundesstart|no\s+german\s+(?:release|distributor|start)(?:\s+yet)?)\b",
    re.IGNORECASE,
)
_START_WEAK = re.compile(
    r"^(?:starts?|starting|opens?|opening|release(?:\s+date)?)\b", re.IGNORECASE
)
_START_HINTS = re.compile(
    r"\b(?:\d{1,2}|(?:19|20)\d\d|tba|tbc|tbd|soon|spring|summer|autumn|fall|winter|not\s+yet"
    r"|unknown|later)\b",
    re.IGNORECASE,
)
_MAX_WEAK_START = 60  # a longer "Opens with …" line is review text, not a release date

_MONTH_NAMES = [
    ("january", "januar", "jänner"),
    ("february", "februar"),
    ("march", "märz", "maerz"),
    ("april",),
    ("may", "mai"),
    ("june", "juni"),
    ("july", "juli"),
    ("august",),
    ("september", "sept"),
    ("october", "oktober"),
    ("november",),
    ("december", "dezember"),
]
_MONTHS = {
    form: number
    for number, names in enumerate(_MONTH_NAMES, start=1)
    for name in names
    for form in (name, name[:3])
}
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2})?")
_DAY_MONTH = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<month>[^\W\d_]{3,})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    r"\b(?P<month>[^\W\d_]{3,})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_MONTH_WORD = re.compile(r"[^\W\d_]{3,}")

_CROSS_REF = re.compile(
    r"^see\s+(?:[^.!?]*\s)?(?:review|coverage|report|article|interview|capsule|feature|essay"
    r"|part|page|above|below)s?\b[^!?]*$",
    re.IGNORECASE,
)
_MAX_CROSS_REF = 100
_CROSS_REF_BY = re.compile(r"\bby\s+(?P<initials>[A-Z]{2,3})\b")

_SENTENCE_END = '.!?"”’)…'
_MAX_TITLE = 100

_CLOSING = re.compile(r"^\((?P<inner>.*)\)\.?$")
_CO_RATING = re.compile(r"^(?P<initials>[^\W\d_]{2,3})\s*(?P<stars>\*.*)?$")
_CO_RATING_MANY = re.compile(rf"(?P<initials>[^\W\d_]{{2,3}})\s*(?P<stars>{_STARS})")
_BARE_INITIALS = re.compile(r"^[A-Z]{2,3}$")


# ---------------------------------------------------------------------------------------------
# Public functions.


def critic_refs() -> list[CriticRef]:
    """Every critic as a CriticRef, for `review_list_parse(critics=…)`."""
    rows = Critic.objects.order_by("name").values_list("id", "name", "initials")
    return [CriticRef(id=pk, name=name, initials=initials) for pk, name, initials in rows]


def review_list_parse(
    text: str,
    *,
    critics: Sequence[CriticRef],
    matcher: FilmMatcher | None = None,
    year: int | None = None,
    when: dt.date | None = None,
) -> ListDraft:
    """Read a pasted festival review list into entries and problems, without writing anything."""
    lines = [_clean(line) for line in _LINE_BREAK.split(text or "")]
    blocks, problems = _blocks(lines)
    context = _Context(critics=critics, matcher=matcher, year=year, when=when)
    entries: list[EntryDraft] = []
    for block in blocks:
        entry = _entry(block, context=context)
        if entry is None:
            problems.append(_stray_problem(block))
        else:
            entries.append(entry)
    problems.sort(key=_problem_line)
    return ListDraft(entries=tuple(entries), problems=tuple(problems))


# ---------------------------------------------------------------------------------------------
# Splitting the text into blocks.


@dataclass
class _Block:
    """The lines of one block as found, before they are read."""

    title: tuple[int, str]  # (line number, text)
    body: list[tuple[int, str]] = field(default_factory=list)  # "" marks a blank line
    closing: tuple[int, str] | None = None
    after: list[tuple[int, str]] = field(default_factory=list)  # cross-references after it


def _clean(line: str) -> str:
    """One line with odd spaces folded and invisible characters gone."""
    return _SPACES.sub(" ", line.translate(_CHAR_MAP)).strip()


def _blocks(lines: list[str]) -> tuple[list[_Block], list[str]]:
    """Group the lines into blocks; lines that fit no block become list problems."""
    blocks: list[_Block] = []
    problems: list[str] = []
    current: _Block | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            if current is not None:
                if _block_ends_at_blank(current, lines=lines, blank=i):
                    blocks.append(current)
                    current = None
                else:
                    current.body.append((i + 1, ""))
            i += 1
            continue
        closing = _closing_at(lines, i)
        if current is None:
            if closing is not None:
                problems.append(
                    f"line {i + 1}: the author line “{closing[0]}” follows no review: "
                    "join it to the block it closes"
                )
                i += closing[1]
            elif _is_cross_ref(line):
                if blocks:
                    blocks[-1].after.append((i + 1, line))
                else:
                    problems.append(
                        f"line {i + 1}: “{line}” points elsewhere but follows no entry: "
                        "move it under the entry it belongs to"
                    )
                i += 1
            elif _is_heading_before_entry(lines, i):
                problems.append(_stray_line_problem(i + 1, line))
                i += 1
            else:
                current = _Block(title=(i + 1, line))
                i += 1
            continue
        if closing is not None:
            current.closing = (i + 1, closing[0])
            blocks.append(current)
            current = None
            i += closing[1]
            continue
        if _starts_entry_inside(current, lines=lines, i=i):
            blocks.append(current)
            current = _Block(title=(i + 1, line))
        else:
            current.body.append((i + 1, line))
        i += 1
    if current is not None:
        blocks.append(current)
    return blocks, problems


def _paragraph(lines: list[str], start: int) -> list[str]:
    """The non-blank lines from `start` up to the next blank line."""
    paragraph = []
    for line in lines[start:]:
        if not line:
            break
        paragraph.append(line)
    return paragraph


def _block_ends_at_blank(block: _Block, *, lines: list[str], blank: int) -> bool:
    """Whether a block without its author line yet ends at this blank line."""
    following = next((j for j in range(blank + 1, len(lines)) if lines[j]), None)
    if following is None or _closing_at(lines, following) is not None:
        return False
    paragraph = _paragraph(lines, following)
    if _starts_entry(paragraph):
        return True
    # A block ending in a pointer may have no author line, so the next paragraph is a new one.
    body = [text for _, text in block.body if text]
    return bool(body) and _is_cross_ref(body[-1])


def _starts_entry(paragraph: list[str]) -> bool:
    """Whether a paragraph plainly opens an entry: rated title, or title + director line."""
    if not paragraph or _closing_at(paragraph, 0) is not None or _is_cross_ref(paragraph[0]):
        return False
    if _split_stars(paragraph[0])[1]:
        return True
    return len(paragraph) >= 2 and (
        _director_line(paragraph[1], strict=True) is not None or _is_cross_ref(paragraph[1])
    )


def _starts_rated_entry(lines: list[str], i: int) -> bool:
    """A title with stars directly followed by a director line."""
    return (
        i + 1 < len(lines)
        and bool(_split_stars(lines[i])[1])
        and _director_line(lines[i + 1], strict=True) is not None
    )


def _starts_entry_inside(block: _Block, *, lines: list[str], i: int) -> bool:
    """Whether line i opens a new entry although the block above has no author line yet.

    Only with no blank line in between: a rated title over a director line after some text,
    or an unrated one when the text above ended its sentence (a wrapped review line is
    rarely a bare "Name, Country" under a short line).
    """
    text = [line for _, line in block.body if line]
    if not text or i + 1 >= len(lines):
        return False
    if _starts_rated_entry(lines, i):
        return True
    return (
        len(text) > 1
        and text[-1][-1] in _SENTENCE_END
        and len(lines[i]) <= _MAX_TITLE
        and lines[i][-1] not in ".,;:"
        and _director_line(lines[i + 1], strict=True) is not None
    )


def _is_heading_before_entry(lines: list[str], i: int) -> bool:
    """An unrated line straight on top of a title and its director line: a heading."""
    if i + 2 >= len(lines) or _split_stars(lines[i])[1] or not lines[i + 1]:
        return False
    title = lines[i + 1]
    return (
        len(title) <= _MAX_TITLE
        and _director_line(title, strict=True) is None
        and _closing_at(lines, i + 1) is None
        and not _is_cross_ref(title)
        and _director_line(lines[i + 2], strict=True) is not None
    )


def _closing_at(lines: list[str], i: int) -> tuple[str, int] | None:
    """The author line starting at line i and how many lines it takes (one, or two if wrapped)."""
    line = lines[i]
    if not line.startswith("("):
        return None
    if _read_closing(line) is not None:
        return line, 1
    # A long list of co-ratings may wrap: "(Author Name, BS***, KB***," / "NT**1/2)".
    if ")" not in line and i + 1 < len(lines) and lines[i + 1]:
        joined = f"{line} {lines[i + 1]}"
        if _read_closing(joined) is not None:
            return joined, 2
    return None


def _read_closing(text: str) -> tuple[str, list[str]] | None:
    """Split an author line into the author and the co-rating parts, or None if it is not one."""
    match = _CLOSING.match(text)
    if not match or "(" in match["inner"] or ")" in match["inner"]:
        return None
    parts = [part.strip() for part in re.split(r"[,;]", match["inner"])]
    parts = [part for part in parts if part]
    if not parts:
        return None
    if _co_rating_like(parts[0]) and not _BARE_INITIALS.match(parts[0]):
        return "", parts  # co-ratings only: the author's name is missing
    author, rest = parts[0], parts[1:]
    if rest and _SUFFIX.match(rest[0]):
        author, rest = f"{author}, {rest[0]}", rest[1:]
    # "(Sean Baker, Tangerine)" inside a review is not an author line: the parts after the
    # name must include at least one co-rating.
    if rest and not any(_co_rating_like(part) for part in rest):
        return None
    if _name_like(author) or _BARE_INITIALS.match(author):
        return author, rest
    # With co-ratings behind it, a name typed in lower case is still the author.
    words = author.split()
    if rest and 0 < len(words) <= 6 and not _NOT_IN_NAMES.search(author):
        return author, rest
    return None


def _co_rating_like(part: str) -> bool:
    """Initials with stars (good or bad), bare capital initials, or several of them."""
    match = _CO_RATING.match(part)
    if match and (match["stars"] or _BARE_INITIALS.match(part)):
        return True
    return _many_co_ratings(part) is not None


def _many_co_ratings(part: str) -> list[re.Match[str]] | None:
    """`BS*** KB**` written without a comma between them, or None."""
    matches = list(_CO_RATING_MANY.finditer(part))
    covered = "".join(m[0] for m in matches).replace(" ", "")
    return matches if len(matches) > 1 and covered == part.replace(" ", "") else None


def _is_cross_ref(line: str) -> bool:
    """A pointer to other coverage: `See festival coverage`, `See detailed review by JM`."""
    text = line.strip("() ").rstrip(".")
    return len(text) <= _MAX_CROSS_REF and bool(_CROSS_REF.match(text))


def _stray_line_problem(number: int, line: str) -> str:
    """A list problem for a line sitting on top of an entry, such as a heading."""
    return (
        f"line {number}: “{line}” is not part of a review block: "
        "delete it, or complete the block (title, director line, text, (author))"
    )


def _stray_problem(block: _Block) -> str:
    """A list problem for a group of lines that reads as no entry at all.

    The whole text is quoted: an editor may have pasted an introduction with the list, and
    the problem is the only place it is kept.
    """
    number, line = block.title
    text = " / ".join([line, *(text for _, text in block.body if text)])
    return (
        f"line {number}: “{text}” is not a review block: "
        "delete it, or complete the block (title, director line, text, (author))"
    )


def _problem_line(problem: str) -> int:
    match = re.match(r"line (\d+)", problem)
    return int(match[1]) if match else 0


# ---------------------------------------------------------------------------------------------
# Reading one block.


@dataclass
class _Context:
    """What every block is read against: critics by initials and name, matcher, dates."""

    critics: Sequence[CriticRef]
    matcher: FilmMatcher | None
    year: int | None
    when: dt.date | None
    by_initials: dict[str, CriticRef] = field(init=False)
    by_name: dict[str, CriticRef] = field(init=False)

    def __post_init__(self) -> None:
        self.by_initials = {}
        self.by_name = {}
        for critic in self.critics:
            self.by_initials.setdefault(critic.initials.strip().upper(), critic)
            self.by_name.setdefault(_name_key(critic.name), critic)

    def author(self, name: str) -> CriticRef | None:
        """The critic an author line names, by full name or by initials."""
        if _BARE_INITIALS.match(name):
            return self.by_initials.get(name)
        return self.by_name.get(_name_key(name))


def _entry(block: _Block, *, context: _Context) -> EntryDraft | None:
    """Read a block into an entry, or None when it holds nothing of an entry."""
    line_number, title_line = block.title
    raw_title, stars_raw = _split_stars(title_line)
    title, main_title, alt_title = _display_title(raw_title)
    entry = f"the entry “{title}”" if title else f"the entry on line {line_number}"
    problems: list[str] = []

    half_stars = _stars(stars_raw, entry=entry, problems=problems) if stars_raw else None
    body = _read_body(block)
    if (
        block.closing is None
        and not stars_raw
        and not body.directors
        and not body.start_raw
        and not body.cross_reference
    ):
        return None

    pointer_only = bool(body.cross_reference) and not body.text
    if not body.directors and not pointer_only:
        problems.append(f"{entry} has no director line: add “Name, Country” under the title")
    elif body.directors and not body.countries:
        problems.append(f"no country in the director line of {entry}: end it with “, Country”")
    german_start = _german_start(
        body.start_raw, year=context.year, when=context.when, entry=entry, problems=problems
    )
    if not body.text and not body.cross_reference:
        problems.append(f"{entry} has neither review text nor a cross-reference: add the text")
    for initials in _CROSS_REF_BY.findall(body.cross_reference):
        if initials not in context.by_initials:
            problems.append(
                f"unknown initials “{initials}” in the cross-reference of {entry}: "
                "add the critic or correct the initials"
            )

    author_name = ""
    author: CriticRef | None = None
    co_ratings: tuple[CoRatingDraft, ...] = ()
    if block.closing is not None:
        author_name, parts = _read_closing(block.closing[1]) or ("", [])
        if not author_name:
            problems.append(
                f"no author named in the closing line of {entry}: "
                "start it with the critic's name, as in (Name, BS***)"
            )
        else:
            author = context.author(author_name)
            if author is None:
                problems.append(
                    f"the author “{author_name}” of {entry} is not one of our critics: "
                    "correct the name or add the critic first"
                )
        co_ratings = _co_ratings(
            parts,
            author_name=author_name,
            author=author,
            context=context,
            entry=entry,
            problems=problems,
        )
    elif not pointer_only:
        problems.append(
            f"{entry} has no closing author line: add one such as (Name, BS***) after the text"
        )

    film_id, film_score, film_decision = _film(
        main_title, alt_title=alt_title, film_year=body.film_year, context=context
    )
    return EntryDraft(
        line=line_number,
        raw_title=raw_title,
        title=title,
        half_stars=half_stars,
        stars_raw=stars_raw,
        directors=body.directors,
        countries=body.countries,
        german_start_raw=body.start_raw,
        german_start=german_start,
        text=body.text,
        author_name=author_name,
        author_critic_id=author.id if author else None,
        co_ratings=co_ratings,
        cross_reference=body.cross_reference,
        film_id=film_id,
        film_score=film_score,
        film_decision=film_decision,
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class _Body:
    """What the lines between a block's title and its author line hold."""

    directors: tuple[str, ...]
    countries: tuple[str, ...]
    film_year: int | None
    start_raw: str
    text: str
    cross_reference: str


def _read_body(block: _Block) -> _Body:
    """Director line, start line, text and cross-references, each where the format puts it."""
    rows = [text for _, text in block.body]
    content = [i for i, text in enumerate(rows) if text]
    used: set[int] = set()
    directors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    film_year: int | None = None
    position = 0
    if content and (director := _director_line(rows[content[0]], strict=False)) is not None:
        directors, countries, film_year = director
        used.add(content[0])
        position = 1
    start_raw = ""
    if position < len(content) and _is_start_line(rows[content[position]]):
        start_raw = rows[content[position]]
        used.add(content[position])
    # A "See …" line inside the text is prose; only the trailing ones point elsewhere.
    references: list[str] = []
    for index in reversed(content):
        if index in used or not _is_cross_ref(rows[index]):
            break
        references.insert(0, rows[index])
        used.add(index)
    references += [text for _, text in block.after]
    return _Body(
        directors=directors,
        countries=countries,
        film_year=film_year,
        start_raw=start_raw,
        text=_text(["" if i in used else text for i, text in enumerate(rows)]),
        cross_reference="; ".join(references),
    )


def _split_stars(line: str) -> tuple[str, str]:
    """A title line split into the title as written and the stars as written ("" if unrated)."""
    match = _TITLE_LINE.match(line) if "*" in line else None
    if not match:
        return line, ""
    return match["title"].strip(), match["stars"]


def _display_title(raw_title: str) -> tuple[str, str, str]:
    """(display title, main title, alternative title in parentheses or "").

    Quotes round the title go and an inverted article is turned round: "Himmel über Berlin,
    Der (Wings of Desire)" shows as "Der Himmel über Berlin (Wings of Desire)".
    """
    title = raw_title.strip()
    if len(title) > 2 and title[0] in _OPEN_QUOTES and title[-1] in _CLOSE_QUOTES:
        title = title[1:-1].strip()
    alt = ""
    if alt_match := _ALT_TITLE.match(title):
        title, alt = alt_match["main"], alt_match["alt"].strip()
    if inverted := _INVERTED.match(title):
        article = inverted["article"]
        joiner = "" if article[-1] in "'’" else " "
        title = f"{article[0].upper()}{article[1:]}{joiner}{inverted['head'].strip()}"
    return (f"{title} ({alt})" if alt else title), title, alt


def _stars(raw: str, *, entry: str, problems: list[str], who: str = "") -> int | None:
    """Half stars for `raw`, or None with a problem naming the entry (and the co-rater)."""
    try:
        return parse_stars(re.sub(r"\s*/\s*", "/", raw))
    except ValidationError:
        by = f" (co-rating by {who})" if who else ""
        problems.append(f"“{raw}”{by} is not a rating in {entry}: {RATING_HELP}")
        return None


def _capitalised(word: str) -> bool:
    """A word as names and countries write it: capital first, or d'/l' before one."""
    if word[0].isupper():
        return True
    return len(word) > 2 and word[1] in "'’" and word[2].isupper()


def _name_like(part: str) -> bool:
    """A person's name: one to six capitalised words (particles such as "von" allowed)."""
    words = part.split()
    return (
        0 < len(words) <= 6
        and not _NOT_IN_NAMES.search(part)
        and _capitalised(words[0])
        and all(_capitalised(w) or w in _PARTICLES for w in words)
    )


def _country_like(part: str) -> bool:
    """A country as the lists write it: `U.S.A.`, `UK`, `Bosnia and Herzegovina`."""
    words = part.split()
    return (
        0 < len(words) <= 6
        and not _NOT_IN_NAMES.search(part)
        and _capitalised(words[0])
        and all(_capitalised(w) or w.lower() in _COUNTRY_JOINERS for w in words)
    )


def _director_line(
    line: str, *, strict: bool
) -> tuple[tuple[str, ...], tuple[str, ...], int | None] | None:
    """(directors, countries, year) from `Name[, Name…], Country[/Country…][, 2024]`, or None.

    Not strict, a line of names without a country also counts (the block's second line), so
    the block keeps its director and gets a problem instead of losing the name into the text.
    """
    body = _DIRECTOR_LABEL.sub("", line).strip().rstrip(",; ")
    parts = [part.strip() for part in body.split(",")]
    parts = [part for part in parts if part]
    if not parts or len(body) > 160:
        return None
    year: int | None = None
    if len(parts) > 1 and _YEAR.match(parts[-1]):
        year = int(parts.pop())
    elif len(parts) > 1 and (trailing := _TRAILING_YEAR.match(parts[-1])):
        parts[-1], year = trailing["rest"], int(trailing["year"])
    if len(parts) > 1 and not _SUFFIX.match(parts[-1]):
        countries = tuple(c.strip() for c in parts[-1].split("/") if c.strip())
        names = split_names(", ".join(parts[:-1]))
        if countries and all(map(_country_like, countries)) and all(map(_name_like, names)):
            return tuple(names), countries, year
        return None
    if strict:
        return None
    names = split_names(", ".join(parts))
    if len(names) == 1 and 2 <= len(names[0].split()) <= 4 and _name_like(names[0]):
        return tuple(names), (), year
    return None


def _is_start_line(line: str) -> bool:
    """`Starts December 27`, `German release: …`: the film's German release, not review text."""
    if _START_STRONG.match(line):
        return True
    weak = _START_WEAK.match(line)
    if not weak or len(line) > _MAX_WEAK_START:
        return False
    rest = line[weak.end() :]
    has_month = any(word.lower() in _MONTHS for word in _MONTH_WORD.findall(rest))
    return has_month or bool(_START_HINTS.search(rest))


def _date_parts(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of the first date written in the text."""
    for pattern in (_ISO_DATE, _NUMERIC_DATE):
        if match := pattern.search(text):
            year = match["year"]
            full_year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
            return int(match["day"]), int(match["month"]), full_year
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            if month := _MONTHS.get(match["month"].lower()):
                return int(match["day"]), month, int(match["year"]) if match["year"] else None
    return None


def _german_start(
    raw: str, *, year: int | None, when: dt.date | None, entry: str, problems: list[str]
) -> dt.date | None:
    """The German start date of a start line, when the day, month and year can be had."""
    parts = _date_parts(raw) if raw else None
    if parts is None:
        return None
    day, month, written_year = parts
    try:
        dt.date(written_year or 2000, month, day)  # 2000 was a leap year: 29 February passes
        if written_year is not None:
            return dt.date(written_year, month, day)
        if when is not None:
            # Films open after the festival that shows them: the next such day from then on.
            start = dt.date(when.year, month, day)
            return start if start >= when else dt.date(when.year + 1, month, day)
        return dt.date(year, month, day) if year is not None else None
    except ValueError:
        problems.append(f"“{raw}” in {entry} is not a date: write it as “Starts 27 December 2024”")
        return None


def _text(lines: list[str]) -> str:
    """The review text: wrapped lines joined, blank lines kept as paragraph breaks."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif not current:
            current = line
        elif re.search(r"[^\W\d_]-$", current):
            current += line  # "well-" + "known": the hyphen stays, the break goes
        else:
            current = f"{current} {line}"
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _name_key(name: str) -> str:
    """A name folded for comparison: accents, case and punctuation (O’Hara, O'Hara) go."""
    # normalise_title drops a curly apostrophe but turns a straight one into a space, so
    # both are removed first to compare "O’Hara" and "O'Hara" equal.
    return normalise_title(re.sub(r"['’‘`´]", "", name))


def _initials_of(name: str) -> str:
    """`Nora Tell` → `NT`: to spot an author co-rating their own film when not a critic here."""
    if _BARE_INITIALS.match(name):
        return name
    return "".join(word[0] for word in name.split() if word[0].isupper()).upper()


def _co_ratings(
    parts: list[str],
    *,
    author_name: str,
    author: CriticRef | None,
    context: _Context,
    entry: str,
    problems: list[str],
) -> tuple[CoRatingDraft, ...]:
    """The co-ratings after the author's name, each resolved to a critic or flagged.

    Each co-rating's problems are also added to the entry's, so an editor reads one list.
    """
    pieces: list[tuple[str, str, str]] = []  # (raw, initials, stars)
    for part in parts:
        if many := _many_co_ratings(part):
            pieces.extend((m[0].strip(), m["initials"], m["stars"]) for m in many)
        elif single := _CO_RATING.match(part):
            pieces.append((part, single["initials"], (single["stars"] or "").strip()))
        else:
            pieces.append((part, "", ""))
    author_initials = author.initials.upper() if author else _initials_of(author_name)
    seen: set[str] = set()
    drafts = []
    for raw, written_initials, stars in pieces:
        found: list[str] = []
        initials = written_initials.upper()
        critic = context.by_initials.get(initials)
        half_stars: int | None = None
        if not initials:
            found.append(
                f"“{raw}” in the author line of {entry} is not a co-rating: "
                "write initials and stars, as in KB**1/2"
            )
        else:
            if critic is None:
                found.append(
                    f"unknown initials “{initials}” in {entry}: "
                    "add the critic or correct the initials"
                )
            if initials == author_initials:
                found.append(
                    f"co-rating by the author “{initials}” in {entry}: "
                    "the author's rating goes after the title"
                )
            elif initials in seen:
                found.append(f"two co-ratings by “{initials}” in {entry}: keep one")
            seen.add(initials)
            if stars:
                half_stars = _stars(stars, entry=entry, problems=found, who=initials)
            else:
                found.append(
                    f"the co-rating by “{initials}” in {entry} has no stars: "
                    "add * to **** after the initials"
                )
        problems.extend(found)
        drafts.append(
            CoRatingDraft(
                initials=initials,
                half_stars=half_stars,
                raw=raw,
                critic_id=critic.id if critic else None,
                problem="; ".join(found),
            )
        )
    return tuple(drafts)


def _film(
    title: str, *, alt_title: str, film_year: int | None, context: _Context
) -> tuple[int | None, float, str]:
    """(film id if accepted, score, decision) for a title; (None, 0.0, "") without a matcher."""
    if context.matcher is None or not title:
        return None, 0.0, ""
    # The film's own year when the director line gives it, else the edition's: festival
    # films are new, and the matcher never accepts a year hint more than a year off.
    hint = film_year or context.year
    result = context.matcher.match(title, year=hint, when=context.when)
    if result.decision != ACCEPT and alt_title:
        other = context.matcher.match(alt_title, year=hint, when=context.when)
        if other.decision == ACCEPT or other.score > result.score:
            result = other
    film_id = result.film_id if result.decision == ACCEPT else None
    return film_id, result.score, result.decision
