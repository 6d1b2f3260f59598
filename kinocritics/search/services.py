"""Search queries: a fast candidate query in the database, then re-scoring with rapidfuzz.

PostgreSQL: trigram word similarity (`<%`, GIN gin_trgm_ops) OR full-text prefix match
(GIN on to_tsvector('simple', text)). SQLite: each query word is widened to the indexed words
it could mean — itself, words it begins (for the word being typed) and words one or two edits
away (from a per-process vocabulary) — and SearchToken finds the entries holding them.
"""

from __future__ import annotations

import bisect
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .indexing import SECONDARY, VOCAB_VERSION_KEY
from .models import SearchEntry, SearchToken
from .text import STOPWORDS, query_forms, strip_article

MAX_QUERY_CHARS = 100
MAX_WORDS = 6
CANDIDATES = 300
MIN_SCORE = 62
TITLE_MATCH = 88  # a film scoring this on its title is "the film you meant" and comes first
KIND_ORDER = ["film", "person", "review", "article", "critic"]
KIND_LABELS = dict(SearchEntry.Kind.choices)
VOCAB_MAX_AGE = 3600
PG_WORD_SIMILARITY = 0.5
PG_WIDER_SIMILARITY = 0.38  # second try when nothing matched well (two typos in one word)
GOOD_MATCH = 85
PG_TRIGRAM_MIN_CHARS = 4  # shorter queries match by word prefix (full text) only
PG_SUGGEST_TRIGRAM_MIN_CHARS = 6  # while typing, a few letters are a beginning, not a typo
SECONDARY_FACTOR = 0.85
# Between equally good matches: the film, then the person, before what is written about them.
KIND_BONUS = {"film": 2.0, "person": 1.5, "critic": 1.5, "review": 0.5, "article": 0.0}


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    subtitle: str
    url: str
    year: int | None
    score: float
    rank: float

    @property
    def kind_label(self) -> str:
        return {"film": "Film", "person": "Person", "review": "Review", "article": "Article"}.get(
            self.kind, "Critic"
        )

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "title": self.title,
            "subtitle": self.subtitle,
            "url": self.url,
        }


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: int = 0


@dataclass
class Results:
    query: str
    groups: list[Group]
    best_film: Hit | None = None

    @property
    def total(self) -> int:
        return sum(len(g.hits) + g.more for g in self.groups)


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_CHARS]


# --- scoring ----------------------------------------------------------------------------------


def _words_score(query: str, part: str) -> float:
    """Each query word against its closest word in the name ('donnersmark' in a long name)."""
    words = [w for w in query.split() if w not in STOPWORDS] or query.split()
    part_words = part.split()
    if not words or not part_words:
        return 0.0
    total = 0.0
    for word in words:
        total += max(fuzz.ratio(word, w) for w in part_words)
    return total / len(words)


def _score(forms: list[str], text: str, *, prefix: bool) -> float:
    """How well the query names this entry, 0–100: the best of its titles or names."""
    best = 0.0
    primary, _, secondary = text.partition(f" {SECONDARY} ")
    parts = [(p, 1.0) for p in primary.split(" | ")]
    parts += [(p, SECONDARY_FACTOR) for p in secondary.split(" | ") if p]
    for part, factor in parts:
        for form in forms:
            bare = strip_article(form)
            s = max(
                fuzz.ratio(form, part),
                fuzz.ratio(bare, part),
                fuzz.token_sort_ratio(form, part),
                0.9 * fuzz.token_set_ratio(bare, part),
                0.92 * _words_score(bare, part),
            )
            if prefix and len(bare) >= 2:
                if part.startswith(bare):
                    s = max(s, 86 + 14 * len(bare) / len(part))
                elif f" {bare}" in f" {part}":
                    s = max(s, 80 + 10 * len(bare) / len(part))
            s *= factor
            if s > best:
                best = s
    return best


def _rank(candidates, forms: list[str], *, prefix: bool) -> list[Hit]:
    hits = []
    for pk, kind, object_id, title, subtitle, url, year, text, weight in candidates:
        del pk
        score = _score(forms, text, prefix=prefix)
        if score < MIN_SCORE:
            continue
        hits.append(
            Hit(
                kind=kind,
                object_id=object_id,
                title=title,
                subtitle=subtitle,
                url=url,
                year=year,
                score=score,
                rank=score + 0.5 * min(weight, 12) + KIND_BONUS[kind],
            )
        )
    hits.sort(key=lambda h: (-h.rank, KIND_ORDER.index(h.kind), h.title))
    return hits


# --- candidates: PostgreSQL ---------------------------------------------------------------------

_FIELDS = "id, kind, object_id, title, subtitle, url, year, text, weight"


def _tsquery(form: str, *, prefix: bool) -> str:
    words = [w for w in form.split() if w not in STOPWORDS] or form.split()
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words][:MAX_WORDS]
    terms = [w for w in words if w]
    if not terms:
        return ""
    if prefix:
        terms[-1] += ":*"
    return " & ".join(terms)


def _content(form: str) -> str:
    """A query form without articles and small words (unless that leaves nothing)."""
    words = form.split()[:MAX_WORDS]
    return " ".join([w for w in words if w not in STOPWORDS] or words)


def _pg_candidates(
    forms: list[str],
    *,
    prefix: bool,
    limit: int,
    threshold: float = PG_WORD_SIMILARITY,
    trigram_min_chars: int = PG_TRIGRAM_MIN_CHARS,
):
    """Trigram word similarity for forms long enough to carry trigrams, OR full-text (prefix)
    matching. Small words are left out: 'the' would match half the catalogue."""
    conditions, params, similar = [], [], []
    for form in dict.fromkeys(_content(f) for f in forms):
        if len(form.replace(" ", "")) >= trigram_min_chars:
            conditions.append("%s <%% text")
            params.append(form)
            similar.append(form)
        tsq = _tsquery(form, prefix=prefix)
        if tsq:
            conditions.append("to_tsvector('simple', text) @@ to_tsquery('simple', %s)")
            params.append(tsq)
    if not conditions:
        return []
    if similar:
        order = "GREATEST(" + ", ".join(["word_similarity(%s, text)"] * len(similar)) + ")"
        order += " DESC, weight DESC"
    else:  # only a short prefix: the most prominent entries that have it
        order = "weight DESC"
    sql = (
        # Fixed SQL fragments only; every value is a query parameter.
        f"SELECT {_FIELDS} FROM kcsearch_searchentry WHERE {' OR '.join(conditions)} "  # noqa: S608
        f"ORDER BY {order} LIMIT %s"
    )
    with connection.cursor() as cursor:
        if similar:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(threshold)],
            )
        cursor.execute(sql, [*params, *similar, limit])
        return cursor.fetchall()


# --- candidates: SQLite ---------------------------------------------------------------------------


class Vocabulary:
    """Every indexed word, sorted (for prefixes) and by length (for edit-distance lookups)."""

    def __init__(self, words: list[str]):
        self.words = sorted(words)
        self.known = set(self.words)
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.words:
            self.by_length[len(word)].append(word)

    def prefixed(self, start: str, limit: int) -> list[str]:
        i = bisect.bisect_left(self.words, start)
        found = []
        while i < len(self.words) and self.words[i].startswith(start) and len(found) < limit:
            found.append(self.words[i])
            i += 1
        return found

    def near(self, word: str) -> list[str]:
        """Words one edit away (two for words of eight letters or more)."""
        if len(word) < 4:
            return []
        edits = 1 if len(word) < 8 else 2
        pool = [
            w
            for n in range(len(word) - edits, len(word) + edits + 1)
            for w in self.by_length.get(n, ())
        ]
        found = process.extract(
            word, pool, scorer=Levenshtein.distance, score_cutoff=edits, limit=40
        )
        return [w for w, _, _ in found]


_vocab: dict[str, tuple[str, float, Vocabulary]] = {}


def vocabulary() -> Vocabulary:
    """This process's copy of the indexed words (SQLite only).

    Reloaded when the index changes (`index_changed()` deletes the shared version key) and at
    least every VOCAB_MAX_AGE seconds, for processes whose cache does not see that delete
    (locmem). Exact words never depend on it, so a new title is found at once either way.
    """
    version = cache.get(VOCAB_VERSION_KEY)
    key = connection.alias
    held = _vocab.get(key)
    now = time.monotonic()
    if version is None or held is None or held[0] != version or now - held[1] > VOCAB_MAX_AGE:
        words = list(SearchToken.objects.values_list("token", flat=True).distinct())
        version = version or uuid.uuid4().hex
        cache.set(VOCAB_VERSION_KEY, version, None)
        _vocab[key] = (version, now, Vocabulary(words))
    return _vocab[key][2]


def _sqlite_candidates(forms: list[str], *, prefix: bool, limit: int):
    vocab = vocabulary()
    groups: list[set[str]] = []
    for form in forms:
        words = form.split()[:MAX_WORDS]
        content = [w for w in words if w not in STOPWORDS] or words
        for i, word in enumerate(content):
            last = i == len(content) - 1
            group = {word}  # always, even if this process has not seen the word yet
            if prefix and last and len(word) >= 2:
                group.update(vocab.prefixed(word, 60))
            elif len(word) >= 5:
                group.update(vocab.prefixed(word, 20))
            group.update(vocab.near(word))
            if group:
                groups.append(group)
    if not groups:
        return []
    cases, params, wanted = [], [], set()
    for i, group in enumerate(groups):
        cases.append(f"WHEN t.token IN ({', '.join(['%s'] * len(group))}) THEN {i}")
        params.extend(sorted(group))
        wanted |= group
    sql = (
        # Fixed SQL fragments only; every value is a query parameter.
        f"SELECT {', '.join('e.' + f.strip() for f in _FIELDS.split(','))} "  # noqa: S608
        "FROM kcsearch_searchentry e JOIN ("
        f"  SELECT t.entry_id, COUNT(DISTINCT CASE {' '.join(cases)} END) AS matched"
        "   FROM kcsearch_searchtoken t"
        f"  WHERE t.token IN ({', '.join(['%s'] * len(wanted))})"
        "   GROUP BY t.entry_id"
        ") m ON m.entry_id = e.id "
        "ORDER BY m.matched DESC, e.weight DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *sorted(wanted), limit])
        return cursor.fetchall()


def _candidates(
    forms: list[str],
    *,
    prefix: bool,
    limit: int = CANDIDATES,
    trigram_min_chars: int = PG_TRIGRAM_MIN_CHARS,
):
    if connection.vendor == "postgresql":
        return _pg_candidates(
            forms, prefix=prefix, limit=limit, trigram_min_chars=trigram_min_chars
        )
    return _sqlite_candidates(forms, prefix=prefix, limit=limit)


# --- public API -----------------------------------------------------------------------------------


def search(raw_query: str, *, per_kind: int = 10, kind: str | None = None) -> Results:
    """Everything matching the query, grouped by kind; the film it names first."""
    query = clean_query(raw_query)
    forms = query_forms(query)
    if not forms:
        return Results(query=query, groups=[])
    hits = _rank(_candidates(forms, prefix=True), forms, prefix=False)
    if connection.vendor == "postgresql" and not any(h.score >= GOOD_MATCH for h in hits):
        wider = _pg_candidates(forms, prefix=True, limit=CANDIDATES, threshold=PG_WIDER_SIMILARITY)
        hits = _rank(wider, forms, prefix=False)
    by_kind: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    films = by_kind.get("film", [])
    top_score = max((h.score for h in hits), default=0)
    best_film = (
        films[0]
        if films and films[0].score >= TITLE_MATCH and films[0].score >= top_score - 2
        else None
    )
    groups = []
    for k in KIND_ORDER:
        if by_kind.get(k) and (kind is None or kind == k):
            found = by_kind[k]
            limit = len(found) if kind else per_kind
            groups.append(Group(k, KIND_LABELS[k], found[:limit], max(0, len(found) - limit)))
    groups.sort(
        key=lambda g: (
            0 if best_film and g.kind == "film" else 1,
            -g.hits[0].rank,
            KIND_ORDER.index(g.kind),
        )
    )
    return Results(query=query, groups=groups, best_film=best_film)


def suggest(raw_query: str, *, limit: int = 8) -> list[Hit]:
    """As-you-type: the best few of any kind, the word being typed read as a beginning."""
    query = clean_query(raw_query)
    forms = query_forms(query)
    if not forms or len(query) < 2:
        return []
    candidates = _candidates(
        forms, prefix=True, limit=120, trigram_min_chars=PG_SUGGEST_TRIGRAM_MIN_CHARS
    )
    return _rank(candidates, forms, prefix=True)[:limit]
