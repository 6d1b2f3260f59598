"""Versioned fragment cache: parts of a page kept apart, each dropped by the change that stales it.

The page cache (kinocritics.core.pagecache) stores whole pages and a purge drops the whole
page. A film page is purged by two kinds of change that touch different halves of it: a
screening import changes the showtimes and nothing else; a review or article going live
changes the facts and reviews and nothing else. Fragments let the page that was purged be
rebuilt from the half that is still good.

Every fragment belongs to a *topic* (`film-main:<slug>`, `film-shows:<slug>`). A topic has a
version token in the cache; a fragment is stored under the token read before it was built.
`bump` gives topics new tokens, so a fragment built from data read before a change is never
read again, even when it is stored after the bump (the race a plain delete would lose).

A fragment lives at most FRAGMENT_CACHE_TIMEOUT seconds (the page cache's timeout by
default), so a change no signal reports (a cinema renamed in the admin) stales a page no
longer than the page cache already allows. FRAGMENT_CACHE_ENABLED=false turns reading and
storing off: pages are then built in full on every request (the cold path the load bench also
measures).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from . import pagecache

KEY_PREFIX = "frag"
# Tokens outlive the fragments stored under them; a lost token only costs a rebuild.
TOKEN_TIMEOUT = 7 * 24 * 3600


def enabled() -> bool:
    return getattr(settings, "FRAGMENT_CACHE_ENABLED", True)


def timeout() -> int:
    return getattr(settings, "FRAGMENT_CACHE_TIMEOUT", pagecache.conf("PAGE_CACHE_TIMEOUT"))


def _cache():
    # The page cache's cache: fragments live and are dropped beside the pages they make.
    return caches[pagecache.conf("PAGE_CACHE_ALIAS")]


def _token_key(topic: str) -> str:
    return f"{KEY_PREFIX}:v:{topic}"


def _fragment_key(topic: str, token: str) -> str:
    return f"{KEY_PREFIX}:{topic}:{token}"


def tokens(topics: Iterable[str]) -> dict[str, str]:
    """The current token of each topic, in one round trip.

    A topic never bumped (or whose token was evicted) reads "0": reading writes nothing, so
    requests for made-up slugs leave nothing behind in the cache.
    """
    topics = list(topics)
    if not enabled():
        return dict.fromkeys(topics, "0")
    found = _cache().get_many([_token_key(topic) for topic in topics])
    return {topic: found.get(_token_key(topic), "0") for topic in topics}


def get_many(tokens_by_topic: dict[str, str]) -> dict[str, Any]:
    """The stored fragments of these topics under these tokens (one round trip)."""
    if not enabled() or not tokens_by_topic:
        return {}
    keys = {_fragment_key(topic, token): topic for topic, token in tokens_by_topic.items()}
    return {keys[key]: value for key, value in _cache().get_many(keys).items()}


def store(topic: str, token: str, value: Any, *, seconds: int | None = None) -> None:
    if enabled():
        _cache().set(_fragment_key(topic, token), value, min(seconds or timeout(), timeout()))


def bump(topics: Iterable[str]) -> None:
    """New tokens now: every fragment of these topics is stale."""
    topics = set(topics)
    if topics:
        _cache().set_many(
            {_token_key(topic): secrets.token_hex(8) for topic in topics}, TOKEN_TIMEOUT
        )


def bump_on_commit(topics: Iterable[str]) -> None:
    """New tokens once the transaction commits: a reader who built a fragment from the data
    before the change stored it under the old token, which is then never read again."""
    topics = set(topics)
    if topics:
        transaction.on_commit(lambda: bump(topics))
