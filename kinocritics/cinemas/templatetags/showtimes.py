"""Showtimes lists rendered in Python: a city's day holds hundreds of shows.

One `{% include %}` per show cost more than every query of the page together, so the shows,
grouped by day and film, are joined here into escaped HTML in one pass. The markup is what
the former `includes/show_time.html` repeated per show (CSS classes in site.css, `.show*`).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kinocritics.cinemas.versions import version_words

register = template.Library()


class _Urls:
    """Film and cinema URLs, worked out once per film and cinema of a list."""

    def __init__(self) -> None:
        self._films: dict[int, str] = {}
        self._cinemas: dict[int, str] = {}

    def film(self, film) -> str:
        url = self._films.get(film.pk)
        if url is None:
            url = self._films[film.pk] = escape(film.get_absolute_url())
        return url

    def cinema(self, cinema) -> str:
        url = self._cinemas.get(cinema.pk)
        if url is None:
            url = self._cinemas[cinema.pk] = escape(cinema.get_absolute_url())
        return url


@lru_cache(maxsize=512)
def _version_html(version: str, audio: str, subtitles: tuple[str, ...]) -> str:
    return f'<span class="show__version">{escape(version_words(version, audio, subtitles))}</span>'


def _show_html(show, *, urls: _Urls, tz, with_film: bool, with_cinema: bool) -> str:
    cinema = show.cinema
    time = f"{show.start.astimezone(tz):%H:%M}"
    booking = show.ticket_url or cinema.programme_url or cinema.website
    is_ticket = bool(show.ticket_url)
    parts = [
        '<li class="show show--cancelled">' if show.cancelled else '<li class="show">',
    ]
    if booking:
        title = "" if is_ticket else ' title="The cinema\'s programme page"'
        parts.append(
            f'<a class="show__time" href="{escape(booking)}" rel="noopener"{title}>{time}</a>'
        )
    else:
        parts.append(f'<span class="show__time">{time}</span>')
    if with_film:
        film = show.film
        name = (
            f'<a href="{urls.film(film)}">{escape(film.title)}</a>' if film else escape(show.title)
        )
        parts.append(f'<span class="show__film">{name}</span>')
    parts.append(
        _version_html(show.version, show.audio_language or "", tuple(show.subtitle_languages or ()))
    )
    if with_cinema:
        room = f", {escape(show.auditorium)}" if show.auditorium else ""
        parts.append(
            f'<span class="show__where"><a href="{urls.cinema(cinema)}">{escape(cinema.name)}</a>'
            f"{room}</span>"
        )
    elif show.auditorium:
        parts.append(f'<span class="show__where">{escape(show.auditorium)}</span>')
    if show.formats:
        parts.append(f'<span class="tag">{escape(" · ".join(map(str, show.formats)))}</span>')
    if show.event:
        parts.append(f'<span class="tag tag--event">{escape(show.event)}</span>')
    if show.cancelled:
        parts.append('<strong class="tag tag--cancelled">Cancelled</strong>')
    elif booking and not is_ticket:
        parts.append('<span class="meta small">(programme page)</span>')
    return "\n  ".join(parts) + "\n</li>"


def shows_html(
    shows, *, with_film: bool = False, with_cinema: bool = False, urls: _Urls | None = None
) -> SafeString:
    """The <li> items of a list of shows: time (linked to tickets), version, where, tags."""
    urls = urls or _Urls()
    tz = timezone.get_current_timezone()
    items = [
        _show_html(show, urls=urls, tz=tz, with_film=with_film, with_cinema=with_cinema)
        for show in shows
    ]
    # Every value above went through escape(); the rest is fixed markup.
    return mark_safe("\n".join(items))  # noqa: S308


def by_film_html(days_shows, *, with_cinema: bool = False, id_suffix: str = "") -> SafeString:
    """Day sections, one card per film with its shows: what showtimes_by_film.html shows."""
    urls = _Urls()
    suffix = escape(id_suffix)
    out = []
    for day in days_shows:
        day_id = f"day-{day.day:%Y%m%d}{suffix}"
        out.append(
            f'<section class="day" aria-labelledby="{day_id}">\n'
            f'  <h2 id="{day_id}" class="day__title">{escape(dateformat.format(day.day, "l j F"))}'
            "</h2>"
        )
        for group in day.groups:
            title = escape(group.title)
            if group.film:
                title = f'<a href="{urls.film(group.film)}">{title}</a>'
            shows = shows_html(group.shows, with_cinema=with_cinema, urls=urls)
            out.append(
                '  <article class="film-shows">\n'
                f'    <h3 class="film-shows__title">{title}</h3>\n'
                f'    <ul class="shows">{shows}</ul>\n'
                "  </article>"
            )
        out.append("</section>")
    return mark_safe("\n".join(out))  # noqa: S308


@register.simple_tag
def show_list(shows, with_film=False, with_cinema=False) -> SafeString:
    """{% show_list shows with_cinema=True %}: the <li> items for a <ul class="shows">."""
    return shows_html(shows, with_film=bool(with_film), with_cinema=bool(with_cinema))


@register.simple_tag
def showtimes_by_film(days_shows, with_cinema=False, id_suffix="") -> SafeString:
    """{% showtimes_by_film by_film with_cinema=True %}: day sections with a card per film."""
    return by_film_html(days_shows, with_cinema=bool(with_cinema), id_suffix=str(id_suffix or ""))


@register.simple_tag
def cinema_checkboxes(cinemas, chosen) -> SafeString:
    """{% cinema_checkboxes cinemas filters.cinemas %}: one labelled checkbox per (slug, name)."""
    chosen = set(chosen or ())
    return mark_safe(  # noqa: S308 - slugs and names escaped
        "".join(
            f'<label><input type="checkbox" name="cinema" value="{escape(slug)}"'
            f"{' checked' if slug in chosen else ''}> {escape(name)}</label>"
            for slug, name in cinemas
        )
    )
