"""Matching cinema listing titles to catalogue films, with a score and a decision.

A wrong automatic match puts a film's showtimes on another film's page, so the matcher is
built to say "review" whenever it is unsure. The rules, in order:

- Both sides are folded the same way (`title_forms`): accents, case and punctuation go
  (`normalise_title`), an inverted "Lives of Others, The" is turned round, one leading article
  (English, German, French, Spanish, Italian) is dropped, "Teil" reads as "Part", and number
  words and roman numerals become digits ("Part Two", "Teil 2" and "Part II" are one thing).
- Scores run from 0 to 100: 100 is the same title after folding, 97 the same title but for a
  leading article, otherwise rapidfuzz's plain `fuzz.ratio` of the folded titles. Token-set
  and partial scorers (and WRatio, which uses them) are avoided on purpose: they rate "Dune"
  against "Dune: Part Two" at 95–100.
- Numbered parts never match their namesake: when the digits in two titles differ
  ("Paddington 2" and "Paddington", "Rocky IV" and "Rocky II", "Blade Runner 2049" and
  "Blade Runner") the score is capped at 75, below the review threshold. Such a film is still
  listed as a candidate, so an editor sees it, but it is never proposed as the match.
- 95 or more is a match; 80 to 95 goes to an editor ("review"); below 80 is "none".
- A match is accepted automatically only when exactly one film scores 95 or more (a remake
  with the same title means review, unless the year hint picks one of them) and the film is
  confirmed by one of: the listing's year hint within a year of the film's; no year hint and
  the film is current (German opening from 180 days before to 60 days after the listing date);
  no year hint, the title is exact (97+), no other film scores 80 or more, and the film is from
  the last three years; or the film had a review published in the last 90 days (it is in
  cinemas now). A year hint more than a year off is never accepted (a remake, or a
  film missing from the catalogue).

`listing_resolve` keeps the decision per listing title, so a title is matched once and an
editor's decision (`listing_assign`) sticks across imports.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from rapidfuzz import fuzz, process

from kinocritics.films.models import Film, FilmAlias
from kinocritics.films.text import normalise_title
from kinocritics.reviews.models import ReviewPage

from .models import ListingTitle, Screening

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

logger = logging.getLogger(__name__)

ACCEPT = ListingTitle.Decision.ACCEPT.value
REVIEW = ListingTitle.Decision.REVIEW.value
NONE = ListingTitle.Decision.NONE.value

EXACT_SCORE = 100.0
ARTICLE_SCORE = 97.0  # the same title once a leading article is dropped
MATCH_SCORE = 95.0  # near-exact: the only band that can be accepted
REVIEW_SCORE = 80.0
NUMBER_MISMATCH_CAP = 75.0  # a different part number is a different film
FUZZY_CUTOFF = 70.0  # weaker fuzzy hits are noise, not suggestions
FUZZY_LIMIT = 10
MAX_CANDIDATES = 5
YEAR_TOLERANCE = 1  # festival year vs release year
CURRENT_BEFORE = dt.timedelta(days=180)
CURRENT_AFTER = dt.timedelta(days=60)  # previews and early shows
RECENT_REVIEW = dt.timedelta(days=90)
RECENT_YEARS = 3

# One leading article is dropped. Italian "i" is left out: it would also strip English
# "I" from "I Am Legend" or "I, Tonya".
ARTICLES = frozenset(
    {"the", "a", "an", "der", "die", "das", "ein", "eine", "le", "la", "les", "l", "un", "une"}
    | {"el", "los", "las", "il", "lo", "gli", "uno", "una"}
)
_INVERTED = re.compile(
    r"^(?P<head>.+?),\s*(?P<article>the|a|an|der|die|das|ein|eine|le|la|les|l['’]|un|une"
    r"|el|los|las|il|lo|gli|uno|una)\s*$",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    word: str(n)
    for n, words in enumerate(
        [
            (),
            ("one", "eins"),
            ("two", "zwei"),
            ("three", "drei"),
            ("four", "vier"),
            ("five", "funf"),
            ("six", "sechs"),
            ("seven", "sieben"),
            ("eight", "acht"),
            ("nine", "neun"),
            ("ten", "zehn"),
            ("eleven", "elf"),
            ("twelve", "zwolf"),
        ]
    )
    for word in words
}
_WORDS = {**_NUMBER_WORDS, "teil": "part", "kapitel": "chapter", "volume": "vol"}
_PART_WORDS = frozenset({"part", "chapter", "episode", "vol"})
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_DIGITS = re.compile(r"\d+")


def _roman_value(token: str) -> int:
    """The value of a roman numeral already checked by _ROMAN."""
    total = 0
    for this, following in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[this]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _fold_token(tokens: list[str], position: int) -> str:
    """One word of a normalised title, with numbers as digits and German part words in English."""
    word = _WORDS.get(tokens[position], tokens[position])
    if not _ROMAN.match(word):
        return word
    # "II", "IV", "XII" are always numerals; a lone "I", "V" or "X" only after a part word
    # ("Part I") or, for V and X, at the end of a longer title ("Rocky V", "Malcolm X").
    previous = tokens[position - 1] if position > 0 else ""
    after_part_word = _WORDS.get(previous, previous) in _PART_WORDS
    at_end = position == len(tokens) - 1 and position > 0 and word != "i"
    if len(word) > 1 or after_part_word or at_end:
        return str(_roman_value(word))
    return word


def title_forms(title: str) -> tuple[str, str]:
    """A title's matching key, and the same key without a leading article."""
    inverted = _INVERTED.match(title.strip())
    if inverted:
        title = f"{inverted['article']} {inverted['head']}"
    tokens = normalise_title(title).split()
    tokens = [_fold_token(tokens, i) for i in range(len(tokens))]
    full = " ".join(tokens)
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return full, " ".join(tokens)


def _numbers(key: str) -> list[int]:
    """The numbers in a folded title: part numbers, years, "Ocean's 11"."""
    return sorted(int(n) for n in _DIGITS.findall(key))


@dataclass(frozen=True)
class Candidate:
    """A film that might be meant, with its title score."""

    film_id: int
    wikidata_id: str | None
    title: str
    year: int | None
    score: float


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided for one listing title."""

    title: str
    film_id: int | None  # the accepted film, or the one proposed for review
    wikidata_id: str | None
    score: float  # 0..100
    decision: str  # "accept" | "review" | "none"
    candidates: tuple[Candidate, ...]  # best first, at most 5


class _FilmInfo(NamedTuple):
    wikidata_id: str | None
    title: str
    year: int | None
    german_opening: dt.date | None


class FilmMatcher:
    """The catalogue's titles held in memory, for matching many listing titles quickly."""

    def __init__(
        self,
        *,
        films: dict[int, _FilmInfo],
        titles: list[tuple[int, str]],
        today: dt.date | None = None,
        recently_reviewed: frozenset[int] = frozenset(),
    ) -> None:
        self.today = today or timezone.localdate()
        self._films = films
        self._recently_reviewed = recently_reviewed
        full_index: dict[str, set[int]] = defaultdict(set)
        base_index: dict[str, set[int]] = defaultdict(set)
        for film_id, title in titles:
            full, base = title_forms(title)
            if base:
                full_index[full].add(film_id)
                base_index[base].add(film_id)
        self._full = {key: frozenset(ids) for key, ids in full_index.items()}
        self._choices = list(base_index)
        self._choice_films = [tuple(sorted(base_index[key])) for key in self._choices]
        self._base = {key: position for position, key in enumerate(self._choices)}

    @classmethod
    def from_db(cls, *, today: dt.date | None = None) -> FilmMatcher:
        """Load every film's titles and aliases (two queries) and index them."""
        films: dict[int, _FilmInfo] = {}
        titles: list[tuple[int, str]] = []
        rows = Film.objects.values_list(
            "id",
            "wikidata_id",
            "title",
            "original_title",
            "german_title",
            "english_title",
            "year",
            "german_opening",
        ).order_by()
        for film_id, wikidata_id, title, original, german, english, year, opening in rows:
            films[film_id] = _FilmInfo(wikidata_id, title, year, opening)
            titles.extend((film_id, t) for t in {title, original, german, english} if t)
        titles.extend(FilmAlias.objects.values_list("film_id", "title").order_by())
        # A film we reviewed lately is in cinemas now, whatever its first opening date was
        # (re-releases, late openings): the magazine reviews what readers can go and see.
        since = timezone.now() - RECENT_REVIEW
        reviewed = ReviewPage.objects.live().filter(
            film__isnull=False, first_published_at__gte=since
        )
        return cls(
            films=films,
            titles=titles,
            today=today,
            recently_reviewed=frozenset(reviewed.values_list("film_id", flat=True)),
        )

    def __len__(self) -> int:
        return len(self._films)

    def match(
        self, title: str, *, year: int | None = None, when: dt.date | None = None
    ) -> MatchResult:
        """Score the catalogue against one listing title and decide accept, review or none."""
        when = when or self.today
        full, base = title_forms(title)
        scores = self._scores(full=full, base=base)
        if not scores:
            return MatchResult(title, None, None, 0.0, NONE, ())
        ranked = sorted(
            scores, key=lambda film_id: self._rank(film_id, scores, year=year, when=when)
        )
        candidates = tuple(self._candidate(film_id, scores[film_id]) for film_id in ranked)
        best = candidates[0]
        if best.score < REVIEW_SCORE:
            return MatchResult(title, None, None, best.score, NONE, candidates[:MAX_CANDIDATES])

        chosen, decision = self._decide(candidates, year=year, when=when)
        return MatchResult(
            title,
            chosen.film_id,
            chosen.wikidata_id,
            chosen.score,
            decision,
            candidates[:MAX_CANDIDATES],
        )

    def _scores(self, *, full: str, base: str) -> dict[int, float]:
        """Each plausible film's best score over its titles."""
        if not base:
            return {}
        scores = dict.fromkeys(self._full.get(full, ()), EXACT_SCORE)
        exact_position = self._base.get(base)
        if exact_position is not None:
            for film_id in self._choice_films[exact_position]:
                scores.setdefault(film_id, ARTICLE_SCORE)
        wanted_numbers = _numbers(base)
        hits = process.extract(
            base,
            self._choices,
            scorer=fuzz.ratio,
            limit=FUZZY_LIMIT,
            score_cutoff=FUZZY_CUTOFF,
        )
        for choice, score, position in hits:
            if position == exact_position:
                continue
            if _numbers(choice) != wanted_numbers:
                score = min(score, NUMBER_MISMATCH_CAP)
            for film_id in self._choice_films[position]:
                if score > scores.get(film_id, 0.0):
                    scores[film_id] = score
        return scores

    def _is_current(self, film_id: int, *, when: dt.date) -> bool:
        if film_id in self._recently_reviewed:
            return True
        opening = self._films[film_id].german_opening
        return opening is not None and when - CURRENT_BEFORE <= opening <= when + CURRENT_AFTER

    def _rank(
        self, film_id: int, scores: dict[int, float], *, year: int | None, when: dt.date
    ) -> tuple[float, int, bool, int, int]:
        """Sort key: best first."""
        film_year = self._films[film_id].year
        distance = abs(film_year - year) if (year is not None and film_year is not None) else 999
        # Best score first; among equals the year hint, then current films, then newest.
        return (
            -scores[film_id],
            distance,
            not self._is_current(film_id, when=when),
            -(film_year or 0),
            film_id,
        )

    def _candidate(self, film_id: int, score: float) -> Candidate:
        info = self._films[film_id]
        return Candidate(film_id, info.wikidata_id, info.title, info.year, round(score, 1))

    def _decide(
        self, candidates: tuple[Candidate, ...], *, year: int | None, when: dt.date
    ) -> tuple[Candidate, str]:
        """The film to propose and whether the evidence is strong enough to accept it."""
        near = [c for c in candidates if c.score >= MATCH_SCORE]
        if year is not None:
            # The hint picks among the films with the best title score only: it never lifts
            # a weaker title over a closer one.
            fitting = [
                c
                for c in near
                if c.score == candidates[0].score
                and c.year is not None
                and abs(c.year - year) <= YEAR_TOLERANCE
            ]
            if len(fitting) == 1:
                return fitting[0], ACCEPT
            # A year off by more than one is a remake or a film we do not have: never accept.
            return candidates[0], REVIEW
        if len(near) != 1:
            return candidates[0], REVIEW  # several films with this title, or none close enough
        best = near[0]
        if self._is_current(best.film_id, when=when):
            return best, ACCEPT
        competing = any(c.score >= REVIEW_SCORE for c in candidates[1:])
        recent = best.year is not None and when.year - RECENT_YEARS <= best.year <= when.year
        if best.score >= ARTICLE_SCORE and not competing and recent:
            return best, ACCEPT
        return best, REVIEW


def _suggestions(result: MatchResult) -> list[dict]:
    """The candidates as small dicts for ListingTitle.suggestions and the editors' queue."""
    return [
        {"film_id": c.film_id, "title": c.title, "year": c.year, "score": c.score}
        for c in result.candidates
    ]


def _alias_add(*, film_id: int, title: str) -> None:
    """Remember a listing title for the film, unless it is already one of its titles."""
    key = normalise_title(title)
    if not key:
        return
    own_titles = Film.objects.filter(pk=film_id).values_list(
        "title", "original_title", "german_title", "english_title"
    )
    if any(normalise_title(t) == key for row in own_titles for t in row if t):
        return
    FilmAlias.objects.get_or_create(
        film_id=film_id,
        normalised=key,
        defaults={"title": title[:255], "origin": FilmAlias.Origin.LISTING},
    )


def listing_resolve(
    *, matcher: FilmMatcher, title: str, year: int | None, when: dt.date
) -> ListingTitle:
    """The stored decision for a listing title, matching it first when no decision holds.

    Call it once per distinct title per import: a known accept or an editor's decision costs
    one query, a new title a match and a few writes.
    """
    key = normalise_title(title)[:255]
    if not key:
        # Only punctuation: nothing to match or to queue for an editor.
        return ListingTitle(title_key="", title=title[:255], decision=NONE)
    listing = ListingTitle.objects.filter(title_key=key).first()
    if listing is not None and listing.decided_by_editor:
        return listing
    # An accept whose film was deleted since (the foreign key went null) is matched again.
    if listing is not None and listing.decision == ACCEPT and listing.film_id is not None:
        return listing

    result = matcher.match(title, year=year, when=when)
    accepted = result.decision == ACCEPT
    fields = {
        "year": year,
        # Screenings take the film only on accept; review suggestions live in `suggestions`.
        "film_id": result.film_id if accepted else None,
        "decision": result.decision,
        "score": result.score,
        "suggestions": _suggestions(result),
    }
    with transaction.atomic():
        if listing is None:
            try:
                with transaction.atomic():
                    listing = ListingTitle.objects.create(
                        title_key=key, title=title[:255], **fields
                    )
            except IntegrityError:
                # Another import stored this title a moment ago; its decision stands.
                return ListingTitle.objects.get(title_key=key)
        else:
            for name, value in fields.items():
                setattr(listing, name, value)
            listing.save(update_fields=[*fields, "updated_at"])
        if accepted and result.film_id is not None:
            _alias_add(film_id=result.film_id, title=title)
    return listing


def listing_assign(
    *,
    listing: ListingTitle,
    film: Film | None,
    editor: AbstractBaseUser | AnonymousUser | None,
) -> ListingTitle:
    """An editor's decision for a listing title: this film (or none), for all its screenings."""
    with transaction.atomic():
        listing.film = film
        listing.decision = ACCEPT if film is not None else NONE
        listing.decided_by_editor = True
        listing.save(update_fields=["film", "decision", "decided_by_editor", "updated_at"])
        if film is not None:
            _alias_add(film_id=film.pk, title=listing.title)
        Screening.objects.filter(title_key=listing.title_key).update(film=film)
    logger.info(
        "listing %r assigned to %s by %s", listing.title, film or "no film", editor or "system"
    )
    return listing
