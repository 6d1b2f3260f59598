"""Folding for search: what a reader types and what we index meet in plain lower-case ASCII.

`anyascii` transliterates every script ("Akın" → "akin", "Łódź" → "lodz"); NFKD alone drops
letters such as the dotless ı. German readers without umlauts on the keyboard write "ue" for
"ü": an indexed name with umlauts is stored both ways ("munchen" and "muenchen"), and a query
with "ae/oe/ue" is also tried with them collapsed, so "Muenchen", "Munchen" and "München"
all meet.
"""

from __future__ import annotations

import re

from anyascii import anyascii

ARTICLES = ("the", "a", "an", "der", "die", "das", "le", "la", "les", "el", "il", "lo")
STOPWORDS = frozenset({*ARTICLES, "of", "and", "in", "on", "to", "for", "de", "et", "und", "von"})
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_TRAILING_ARTICLE = re.compile(
    r"^(?P<rest>.+?)\s*,\s*(?P<article>" + "|".join(ARTICLES) + r")$", re.IGNORECASE
)
_COLLAPSE = re.compile(r"(?<=[a-z])(ae|oe|ue)")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; '&' reads as 'and'."""
    ascii_text = anyascii(text.replace("ß", "ss")).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def unturn(text: str) -> str:
    """'Lives of Others, The' → 'The Lives of Others' (before folding, the comma still shows)."""
    match = _TRAILING_ARTICLE.match(text.strip())
    if match and match["article"].casefold() in ARTICLES:
        return f"{match['article']} {match['rest']}"
    return text


def strip_article(folded: str) -> str:
    """'the lives of others' → 'lives of others' (a folded title as it files)."""
    first, _, rest = folded.partition(" ")
    return rest if rest and first in ARTICLES else folded


def variants(text: str) -> list[str]:
    """Every folded form a title or name is indexed under (without duplicates)."""
    forms = [fold(text)]
    if any(ch in text for ch in "äöüÄÖÜ"):
        forms.append(fold(text.translate(UMLAUTS)))
    stripped = [strip_article(f) for f in forms]
    return list(dict.fromkeys(f for f in forms + stripped if f))


def query_forms(query: str) -> list[str]:
    """The folded forms a query is tried in: as typed, with the article turned round, with
    'ue/oe/ae' collapsed to plain vowels."""
    base = fold(unturn(query))
    if not base:
        return []
    forms = [base]
    collapsed = _COLLAPSE.sub(lambda m: m.group(1)[0], base)
    if collapsed != base:
        forms.append(collapsed)
    return forms


def tokens(folded: str) -> list[str]:
    return folded.split()
