"""Small text helpers for titles and names."""

import re
import unicodedata

from django.utils.text import slugify

LEADING_ARTICLES = ("the ", "a ", "an ", "der ", "die ", "das ", "le ", "la ", "les ", "l'", "el ")


def sort_key(title: str) -> str:
    """A title as it files in an A–Z list: no leading article, no accents, case-folded."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()
    folded = folded.strip().lstrip("\"'“‘([¡¿")
    for article in LEADING_ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            folded = folded[len(article) :]
            break
    return re.sub(r"\s+", " ", folded).strip()


def normalise_title(title: str) -> str:
    """A title folded for matching: no accents, case or punctuation; '&' reads as 'and'."""
    folded = unicodedata.normalize("NFKD", title.replace("ß", "ss"))
    folded = folded.encode("ascii", "ignore").decode().casefold().replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", folded)).strip()


def initial_letter(title: str) -> str:
    """The A–Z bucket a title files under; digits and symbols go under '#'."""
    key = sort_key(title)
    return key[0].upper() if key and key[0].isalpha() else "#"


def unique_slug(
    base: str, taken: set[str], *, fallback: str = "item", max_length: int = 200
) -> str:
    """slugify(base), made unique against `taken` with -2, -3 … and added to it."""
    slug = slugify(unicodedata.normalize("NFKD", base))[:max_length].strip("-") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug[: max_length - 6]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def split_names(value: str) -> list[str]:
    """Split a ', '-joined list of names, keeping suffixes such as 'James W. Smith, Jr.'."""
    parts = [p.strip() for p in (value or "").split(",")]
    names: list[str] = []
    for part in parts:
        if not part:
            continue
        if names and re.fullmatch(r"(Jr|Sr|II|III|IV)\.?", part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names
