"""The film page, built from two fragments that change for different reasons.

- **main** (`film-main:<slug>`): the still, facts and credits, our reviews, festival mentions,
  the head's title and descriptions, and the Movie and breadcrumb JSON-LD. It goes stale when
  a review or an article that names the film is published, changed or withdrawn
  (kinocritics.core.signals bumps it), and when the film or its credits are saved in the admin
  (kinocritics.films.signals).
- **shows** (`film-shows:<slug>`): where the film runs in the original language this week,
  with the "as of" notes of stale feeds and the ScreeningEvent JSON-LD. A screening import
  that changes the film's shows bumps it (kinocritics.core.purge.screening_import_purge); it
  also ends when the first show it lists begins, so a show that started is never offered.

A screening import purges the film page but leaves its main fragment good, and a new review
leaves the showtimes good: the purged page is rebuilt from the half that did not change. See
kinocritics.core.fragments for tokens and timeouts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from kinocritics.cinemas.jsonld import screening_events
from kinocritics.cinemas.selectors import film_showtimes, group_by_day_and_film, stale_sources
from kinocritics.core import fragments, jsonld, pagecache
from kinocritics.core.templatetags.kino import countries_line, still_renditions
from kinocritics.core.templatetags.kino import jsonld as jsonld_scripts
from kinocritics.festivals.selectors import film_festival_entries

from . import selectors


def main_topic(slug: str) -> str:
    return f"film-main:{slug}"


def shows_topic(slug: str) -> str:
    return f"film-shows:{slug}"


def build_main(request, slug: str) -> dict:
    """Everything on the page but the showtimes: HTML parts, head fields and JSON-LD."""
    film = selectors.film_for_page(slug=slug)
    lead = film.live_reviews[0] if film.live_reviews else None
    still = lead.still if lead and lead.still_id else None
    still_rendition = still_renditions(still)["big"] if still else None
    origin = countries_line(film)
    context = {
        "request": request,
        "film": film,
        "still": still,
        "festival_entries": film_festival_entries(film_id=film.pk),
    }
    opening = (
        f" · Opening {dateformat.format(film.german_opening, 'j M Y')}"
        if film.german_opening
        else ""
    )
    return {
        "film": {"id": film.pk, "slug": film.slug, "title": film.title},
        "title": f"{film.title} ({film.year or ''})",
        "description": (lead.summary if lead and lead.summary else "")
        or f"{film.title}, {origin}: facts, credits and reviews in English.",
        "og_description": origin + opening,
        "og_image": still_rendition.url if still_rendition else None,
        "top": render_to_string("films/film_main_top.html", context),
        "bottom": render_to_string("films/film_main_bottom.html", context),
        # Stored as the <script> blocks themselves: no JSON encoding on a fragment hit.
        "jsonld": jsonld_scripts(
            [
                jsonld.movie(
                    film,
                    image_url=jsonld.absolute(still_rendition.url) if still_rendition else None,
                ),
                jsonld.breadcrumbs(
                    [
                        ("Home", "/"),
                        ("Films", reverse("films:list")),
                        (film.title, film.get_absolute_url()),
                    ]
                ),
            ]
        ),
    }


def build_shows(film: dict, *, now: dt.datetime | None = None) -> dict:
    """The showtimes section and its ScreeningEvents; `until`: when the first show begins."""
    shows = film_showtimes(film_id=film["id"], now=now)
    html = render_to_string(
        "includes/film_showtimes.html",
        {
            "film": film,
            "showtimes_by_day": group_by_day_and_film(shows),
            "stale": stale_sources({show.cinema_id for show in shows}),
        },
    )
    return {
        "html": html,
        "jsonld": jsonld_scripts(screening_events(shows)),
        "until": min((show.start for show in shows), default=None),
    }


def film_page(request, slug: str) -> tuple[dict, dict]:
    """(main, shows) for /films/<slug>/: two cache reads when both fragments are good."""
    topics = {"main": main_topic(slug), "shows": shows_topic(slug)}
    tokens = fragments.tokens(topics.values())
    # Editors (anyone with a session) get the page built now, as the page cache does for them:
    # a fix made in the admin shows at once. What they build is stored for readers.
    found = {} if pagecache.has_session(request) else fragments.get_many(tokens)
    main = found.get(topics["main"])
    if main is None:
        main = build_main(request, slug)  # Http404 for an unknown slug: nothing stored
        fragments.store(topics["main"], tokens[topics["main"]], main)
    now = timezone.now()
    shows = found.get(topics["shows"])
    if shows is None or (shows["until"] is not None and shows["until"] <= now):
        shows = build_shows(main["film"], now=now)
        seconds = None
        if shows["until"] is not None:
            seconds = max(1, int((shows["until"] - now).total_seconds()))
        fragments.store(topics["shows"], tokens[topics["shows"]], shows, seconds=seconds)
    return main, shows


def _slugs(film_ids: Iterable[int]) -> list[str]:
    from .models import Film

    ids = {pk for pk in film_ids if pk}
    return list(Film.objects.filter(pk__in=ids).values_list("slug", flat=True)) if ids else []


def main_changed(film_ids: Iterable[int]) -> None:
    """A review or article about these films changed: their main fragments, once committed."""
    main_changed_slugs(_slugs(film_ids))


def main_changed_slugs(slugs: Iterable[str]) -> None:
    fragments.bump_on_commit(main_topic(slug) for slug in slugs)


def shows_changed(film_ids: Iterable[int]) -> None:
    """These films' shows changed: their showtimes fragments, once committed."""
    fragments.bump_on_commit(shows_topic(slug) for slug in _slugs(film_ids))
