"""Anonymous page cache: whole responses for readers without a session, purged on publish.

A reader who sends no session cookie gets the stored response of the page, with an ETag, a
Last-Modified date, a 304 when their copy is current, and Cache-Control for a CDN or the
nginx cache in front (see deploy/). Editors (anyone with a session) always get a fresh page.

Entries are keyed by scheme, host, path and the normalised query string. Every path also has
a *generation* (a random token in the cache); an entry is valid only while the generation it
was stored under is current, so purging a path (`purge_paths`) drops the bare page and every
filtered variant of it (`/showtimes/?city=…`) at once. One cache round trip per request reads
both the entry and the generation.

The middleware sits last in MIDDLEWARE, so what it stores is the view's response: headers
that middleware further out adds per request (CSP, request id, cookies) are added again to
every response and never frozen into an entry.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

KEY_PREFIX = "pagecache"
CACHEABLE_STATUSES = {200, 301}
# Headers that belong to one request, never to the stored page.
PER_REQUEST_HEADERS = {
    "content-security-policy",
    "content-security-policy-report-only",
    "date",
    "set-cookie",
    "x-request-id",
    "x-page-cache",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
}
SAFE_VARY = {"cookie", "accept-encoding"}

DEFAULTS = {
    "PAGE_CACHE_ENABLED": True,
    "PAGE_CACHE_ALIAS": "default",
    "PAGE_CACHE_TIMEOUT": 300,
    "PAGE_CACHE_MAX_AGE": 60,
    "PAGE_CACHE_S_MAXAGE": 300,
    "PAGE_CACHE_STALE_WHILE_REVALIDATE": 60,
    "PAGE_CACHE_EXCLUDED_PREFIXES": (
        "/admin/",
        "/django-admin/",
        "/documents/",
        "/newsletter/",
        "/healthz",
        "/readyz",
    ),
    # Tracking parameters do not change the page; a widely shared link carries a new one per click.
    "PAGE_CACHE_IGNORED_PARAMS": ("fbclid", "gclid", "mc_cid", "mc_eid"),
    "PAGE_CACHE_IGNORED_PARAM_PREFIXES": ("utm_",),
}


def conf(name: str):
    return getattr(settings, name, DEFAULTS[name])


def _cache():
    return caches[conf("PAGE_CACHE_ALIAS")]


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def generation_key(path: str) -> str:
    return f"{KEY_PREFIX}:gen:{_digest(path)}"


def normalised_query(query_string: str) -> str:
    """The query string with parameters sorted and tracking parameters dropped."""
    ignored = set(conf("PAGE_CACHE_IGNORED_PARAMS"))
    prefixes = tuple(conf("PAGE_CACHE_IGNORED_PARAM_PREFIXES"))
    pairs = [
        (name, value)
        for name, value in parse_qsl(query_string, keep_blank_values=True)
        if name not in ignored and not name.startswith(prefixes)
    ]
    return urlencode(sorted(pairs))


def entry_key(*, scheme: str, host: str, path: str, query: str) -> str:
    return f"{KEY_PREFIX}:page:{_digest(scheme, host.lower(), path, normalised_query(query))}"


def variants_key(path: str) -> str:
    return f"{KEY_PREFIX}:variants:{_digest(path)}"


# Query strings remembered per path, so a purge can name each one to the proxy in front (nginx's
# purge module drops one exact URL at a time). Beyond this many, the oldest are forgotten and
# their proxy copies simply age out (s-maxage).
MAX_VARIANTS = 2000


def variant_mark_key(path: str, query: str) -> str:
    return f"{KEY_PREFIX}:variant:{_digest(path, query)}"


def variants_remember(path: str, query: str, generation: str) -> None:
    """Record the raw query string the proxy will cache this page under (as the reader sent it).

    A small mark per variant, holding the generation it was recorded in, keeps cache hits cheap:
    the list itself is read and rewritten only the first time a variant is served after a purge.
    """
    cache = _cache()
    known = cache.get(variants_key(path)) or []
    if query not in known:
        cache.set(variants_key(path), [*known, query][-MAX_VARIANTS:], timeout=None)
    # The mark may lapse (a lapsed one costs one list read); the list lives until a purge.
    cache.set(variant_mark_key(path, query), generation, timeout=86_400)


def path_variants(paths: Iterable[str]) -> dict[str, list[str]]:
    """The query strings under which each path has been served from the cache since its purge."""
    keys = {variants_key(path): path for path in set(paths)}
    found = _cache().get_many(list(keys))
    return {keys[key]: queries for key, queries in found.items()}


def purge_paths(paths: Iterable[str]) -> None:
    """Make every stored variant of these paths stale (all hosts, all query strings)."""
    paths = set(paths)
    keys = {generation_key(path): secrets.token_hex(8) for path in paths}
    if keys:
        _cache().set_many(keys, timeout=None)
        _cache().delete_many([variants_key(path) for path in paths])


@dataclass
class Entry:
    generation: str
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    etag: str
    last_modified: float

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def has_session(request) -> bool:
    """An editor or a signed-in reader: they always get pages built for them."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def request_is_cacheable(request) -> bool:
    return (
        conf("PAGE_CACHE_ENABLED")
        and request.method in ("GET", "HEAD")
        and not has_session(request)
        and not request.path.startswith(tuple(conf("PAGE_CACHE_EXCLUDED_PREFIXES")))
    )


def response_is_cacheable(request, response) -> bool:
    """A page everybody may get: no cookie, no per-reader token, nothing private."""
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    nonce = getattr(request, "_csp_nonce", None)
    if nonce is not None and bool(nonce):
        return False  # the body carries this request's nonce
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache", "max-age=0")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= SAFE_VARY


def _finish(request, response, entry: Entry, state: str):
    """Validators, Cache-Control and a 304 when the reader's copy is current."""
    response.headers["ETag"] = entry.etag
    response.headers["Last-Modified"] = http_date(entry.last_modified)
    patch_cache_control(
        response,
        public=True,
        max_age=conf("PAGE_CACHE_MAX_AGE"),
        s_maxage=conf("PAGE_CACHE_S_MAXAGE"),
        stale_while_revalidate=conf("PAGE_CACHE_STALE_WHILE_REVALIDATE"),
    )
    response = get_conditional_response(
        request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
    )
    response.headers["X-Page-Cache"] = state
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if has_session(request) and "Cache-Control" not in response:
                # An editor's page must never land in a shared cache.
                patch_cache_control(response, private=True)
            return response

        cache = _cache()
        key = entry_key(
            scheme=request.scheme,
            host=request.get_host(),
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
        )
        gen_key = generation_key(request.path)
        query = request.META.get("QUERY_STRING", "")
        mark_key = variant_mark_key(request.path, query) if query else None
        found = cache.get_many([key, gen_key, mark_key] if query else [key, gen_key])
        generation = found.get(gen_key)
        entry = found.get(key)
        if entry is not None and generation is not None and entry.generation == generation:
            if query and found.get(mark_key) != generation:
                variants_remember(request.path, query, generation)
            return _finish(request, entry.response(), entry, "HIT")

        if generation is None:
            # First visit since the cache was emptied: start a generation before rendering, so
            # a purge that lands while the page renders still makes this entry stale (another
            # worker may have started one a moment ago; theirs wins).
            cache.add(gen_key, secrets.token_hex(8), timeout=None)
            generation = cache.get(gen_key)
        response = self.get_response(request)
        if request.method != "GET" or not response_is_cacheable(request, response):
            return response
        entry = Entry(
            generation=generation,
            status=response.status_code,
            headers=[
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in PER_REQUEST_HEADERS
            ],
            content=response.content,
            etag=f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"',
            last_modified=time.time(),
        )
        cache.set(key, entry, timeout=conf("PAGE_CACHE_TIMEOUT"))
        if query and found.get(mark_key) != generation:
            variants_remember(request.path, query, generation)
        return _finish(request, response, entry, "MISS")
