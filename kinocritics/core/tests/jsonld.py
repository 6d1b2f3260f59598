"""Parse and validate schema.org JSON-LD blocks found in a rendered page."""

import json
import re
from datetime import date

SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# The properties each type must carry on our pages, and what they must look like.
REQUIRED = {
    "Movie": ["name", "url"],
    "Review": ["author", "datePublished", "url"],
    "Rating": ["ratingValue", "bestRating", "worstRating"],
    "Person": ["name"],
    "ProfilePage": ["mainEntity", "url"],
    "BreadcrumbList": ["itemListElement"],
    "ListItem": ["position", "name", "item"],
    "Organization": ["name", "url"],
    "Country": ["name"],
}


def blocks(html: str) -> list[dict]:
    return [json.loads(raw) for raw in SCRIPT_RE.findall(html)]


def by_type(html: str, type_name: str) -> dict:
    found = [b for b in blocks(html) if b.get("@type") == type_name]
    assert len(found) == 1, f"expected one {type_name} block, found {len(found)}"
    return found[0]


def validate(node, *, path: str = "$") -> None:
    """Raise AssertionError when a node misses a required property or has a malformed value."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            validate(item, path=f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    type_name = node.get("@type")
    if path == "$":
        assert node.get("@context") == "https://schema.org", f"{path}: missing @context"
    if type_name:
        for prop in REQUIRED.get(type_name, []):
            assert node.get(prop) not in (None, "", []), f"{path} ({type_name}): missing {prop}"
    for key, value in node.items():
        if key in ("url", "item") and isinstance(value, str):
            assert value.startswith(("http://", "https://")), f"{path}.{key}: not absolute"
        if key == "datePublished":
            date.fromisoformat(value[:10])
        if key == "ratingValue":
            assert 0 < value <= node.get("bestRating", 5), f"{path}: rating out of range"
        if key == "duration":
            assert re.fullmatch(r"PT\d+M", value), f"{path}: bad duration {value}"
        validate(value, path=f"{path}.{key}")


def validate_page(html: str) -> list[dict]:
    found = blocks(html)
    assert found, "page has no JSON-LD"
    for block in found:
        validate(block)
    return found
