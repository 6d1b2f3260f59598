"""Which pages a change makes stale, and purging them from the page cache and the proxy in front.

`review_paths`, `article_paths` and `screening_paths` list the public paths that show the
object; `paths_purge` drops them from Django's page cache (every query variant, see
kinocritics.core.pagecache) and asks Wagtail's frontend cache (the nginx `PURGE` endpoint in
deploy/) to drop them too. Writes call `paths_purge_on_commit`, so a transaction that rolls
back purges nothing and a reader racing the publish cannot store the old page again.

Not purged on purpose: the sidebar's "latest articles" is on every page. Publishing an
article drops the sidebar's cached list, so every page built afterwards shows it; pages
already cached keep the old sidebar until the page cache's timeout (PAGE_CACHE_TIMEOUT, five
minutes). `/films/` lists no reviews, so a review leaves it alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import pagecache

logger = logging.getLogger(__name__)


def _page_path(page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def _sitemap_paths() -> set[str]:
    from .sitemaps import SITEMAPS

    return {"/sitemap.xml", *(f"/sitemap-{section}.xml" for section in SITEMAPS)}


def _film_paths(film_ids: Iterable[int], *, with_people: bool = False) -> set[str]:
    from kinocritics.films.models import Credit, Film

    film_ids = {pk for pk in film_ids if pk}
    if not film_ids:
        return set()
    paths = {
        reverse("films:detail", kwargs={"slug": slug})
        for slug in Film.objects.filter(pk__in=film_ids).values_list("slug", flat=True)
    }
    if with_people:
        # Person pages list each film with its review.
        slugs = Credit.objects.filter(film_id__in=film_ids).values_list("person__slug", flat=True)
        paths |= {reverse("films:person", kwargs={"slug": slug}) for slug in slugs.distinct()}
    return paths


def _critic_paths(critic_ids: Iterable[int]) -> set[str]:
    from kinocritics.critics.models import Critic

    critic_ids = {pk for pk in critic_ids if pk}
    if not critic_ids:
        return set()
    slugs = Critic.objects.filter(pk__in=critic_ids).values_list("slug", flat=True)
    return {reverse("critics:list")} | {
        reverse("critics:detail", kwargs={"slug": slug}) for slug in slugs
    }


def _edition_paths(edition_ids: Iterable[int]) -> set[str]:
    from kinocritics.festivals.models import FestivalEdition

    edition_ids = {pk for pk in edition_ids if pk}
    if not edition_ids:
        return set()
    editions = FestivalEdition.objects.filter(pk__in=edition_ids).select_related("festival")
    return {reverse("festivals:list")} | {edition.get_absolute_url() for edition in editions}


def _common_paths() -> set[str]:
    # Search results list reviews and articles; purging the path drops every query.
    return {"/", "/search/", *_sitemap_paths()}


def review_paths(*reviews) -> set[str]:
    """A review's page, its film (and the film's people), critic, lists, archives, feed, home."""
    paths = _common_paths() | {reverse("feed-reviews")}
    for review in reviews:
        if path := _page_path(review):
            paths.add(path)
        index = review.get_parent()
        index_path = _page_path(index) if index else None
        if index_path:
            paths.add(index_path)
            if review.first_published_at:
                published = timezone.localtime(review.first_published_at)
                paths.add(f"{index_path}{published.year}/")
                # Archive links write the month with two digits; the route takes both.
                paths.add(f"{index_path}{published.year}/{published.month}/")
                paths.add(f"{index_path}{published.year}/{published.month:02d}/")
    paths |= _film_paths((r.film_id for r in reviews), with_people=True)
    paths |= _critic_paths(r.critic_id for r in reviews)
    paths |= _edition_paths(r.edition_id for r in reviews)
    return paths


def _article_block_refs(article) -> tuple[set[int], set[int]]:
    """Film and critic ids named in an article's body (festival reviews, capsules, prizes)."""
    films, critics = set(), set()
    for block in article.body or []:
        value = block.value
        if not hasattr(value, "get"):
            continue
        if film := value.get("film"):
            films.add(film.pk)
        for name in ("author", "critic"):
            if critic := value.get(name):
                critics.add(critic.pk)
        for co_rating in value.get("co_ratings") or []:
            if critic := co_rating.get("critic"):
                critics.add(critic.pk)
    return films, critics


def article_film_ids(*articles) -> set[int]:
    """The films whose pages show these articles (festival reviews, capsules, prizes)."""
    return {pk for article in articles for pk in _article_block_refs(article)[0]}


def article_paths(*articles) -> set[str]:
    """An article's page, /articles/, its festival edition, its critics and films, feed, home."""
    paths = _common_paths() | {reverse("festivals:feed")}
    film_ids: set[int] = set()
    critic_ids: set[int] = set()
    for article in articles:
        if path := _page_path(article):
            paths.add(path)
        index = article.get_parent()
        if index and (index_path := _page_path(index)):
            paths.add(index_path)
        films, critics = _article_block_refs(article)
        film_ids |= films
        critic_ids |= critics | {critic.pk for critic in article.authors.all()}
    paths |= _film_paths(film_ids)
    paths |= _critic_paths(critic_ids)
    paths |= _edition_paths(a.edition_id for a in articles)
    return paths


def screening_paths(*, cinema_ids: Iterable[int], film_ids: Iterable[int]) -> set[str]:
    """Showtimes (every filter), the cinemas' pages and calendars, the films' pages."""
    from kinocritics.cinemas.models import Cinema

    paths = {
        reverse("cinemas:showtimes"),
        reverse("cinemas:showtimes-ics"),
        reverse("cinemas:list"),
        "/api/v1/screenings",
    }
    for slug in Cinema.objects.filter(pk__in=set(cinema_ids)).values_list("slug", flat=True):
        paths.add(reverse("cinemas:detail", kwargs={"slug": slug}))
        paths.add(reverse("cinemas:calendar", kwargs={"slug": slug}))
    return paths | _film_paths(film_ids)


def frontend_urls(paths: Iterable[str], variants: dict[str, list[str]] | None = None) -> list[str]:
    """Absolute URLs for the proxy: each path, and each query string it was served under.

    With FRONTEND_CACHE_WILDCARD (a purge module that understands it), `…?*` drops every query
    variant in one request instead.
    """
    base = settings.SITE_URL.rstrip("/")
    variants = variants or {}
    urls = []
    for path in sorted(set(paths)):
        urls.append(base + path)
        if getattr(settings, "FRONTEND_CACHE_WILDCARD", False):
            urls.append(f"{base}{path}?*")
        else:
            urls.extend(f"{base}{path}?{query}" for query in variants.get(path, ()))
    return urls


def paths_purge(paths: Iterable[str]) -> None:
    """Drop these pages now from Django's page cache and the frontend cache."""
    paths = set(paths)
    if not paths:
        return
    variants = pagecache.path_variants(paths)  # read before the purge forgets them
    pagecache.purge_paths(paths)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(frontend_urls(paths, variants))
    logger.info("purged %d paths", len(paths))


def paths_purge_on_commit(paths: Iterable[str]) -> None:
    paths = set(paths)
    transaction.on_commit(lambda: paths_purge(paths))


def screening_import_purge(*, source, before: dict, after: list) -> set[str]:
    """Called by the programme import inside its transaction: purge what changed, on commit.

    `before` maps each future show's key to its stored values, `after` holds the rows the
    feed now lists (with `.key` and `.fields`). Films whose shows were added, changed or
    removed get their pages purged; nothing changed and a healthy source purges nothing.
    """
    from kinocritics.films import film_page

    after_by_key = {row.key: row.fields for row in after}
    film_ids: set[int] = set()
    cinema_ids: set[int] = set()
    for key in before.keys() | after_by_key.keys():
        old, new = before.get(key), after_by_key.get(key)
        if (
            old is not None
            and new is not None
            and all(old[name] == new[name] for name in old if name != "id" and name in new)
        ):
            continue
        for values in (old, new):
            if values is not None:
                film_ids.add(values.get("film_id"))
                cinema_ids.add(values.get("cinema_id"))
    if not cinema_ids and not source.stale:
        return set()
    # A source coming back from stale drops its "as of" notes on every cinema it covers.
    cinema_ids |= set(source.cinemas.values_list("pk", flat=True))
    paths = screening_paths(cinema_ids=cinema_ids, film_ids=film_ids)
    paths_purge_on_commit(paths)
    film_page.shows_changed(film_ids)
    return paths
