"""The critics' grid of a festival edition as HTML: films × critics, built in one pass.

A 300-film, 12-critic edition has 3,600 cells; one template variable per cell costs more than the
whole query work of the page, so the rows are joined here with every value escaped.
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import EditionPage

EMPTY_CELL = '<td class="stars">·</td>'
_SLUG_PLACEHOLDER = "slug-placeholder"


def _film_url_prefix() -> tuple[str, str]:
    """The film URL around its slug, from one reverse() instead of one per row."""
    url = reverse("films:detail", kwargs={"slug": _SLUG_PLACEHOLDER})
    before, _, after = url.partition(_SLUG_PLACEHOLDER)
    return before, after


def _sort_link(*, key: str, label: str, sort: str, title: str = "") -> str:
    current = ' aria-current="true"' if sort == key else ""
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<a href="?sort={escape(key)}"{title_attr}{current}>{escape(label)}</a>'


def _aria_sort(*, key: str, sort: str, ascending: bool) -> str:
    if sort != key:
        return ""
    return ' aria-sort="ascending"' if ascending else ' aria-sort="descending"'


def grid_html(*, page: EditionPage, sort: str) -> SafeString:
    """The grid's <table>: a header row of sort links, one row per reviewed film."""
    if not page.grid:
        return mark_safe("")  # noqa: S308 - a constant
    edition = conditional_escape(str(page.edition))
    sorted_by = "title"
    head = [
        f'<th scope="col"{_aria_sort(key="title", sort=sort, ascending=True)}>'
        f"{_sort_link(key='title', label='Film', sort=sort)}</th>"
    ]
    for critic in page.critics:
        key = critic.initials.lower()
        if sort == key:
            sorted_by = f"{critic.name}'s stars"
        head.append(
            f'<th scope="col"{_aria_sort(key=key, sort=sort, ascending=False)}>'
            f"{_sort_link(key=key, label=critic.initials, sort=sort, title=critic.name)}</th>"
        )
    if sort == "average":
        sorted_by = "average stars"
    head.append(
        f'<th scope="col"{_aria_sort(key="average", sort=sort, ascending=False)}>'
        f"{_sort_link(key='average', label='Average', sort=sort)}</th>"
    )

    before, after = _film_url_prefix()
    cell_html = {}  # the same few star strings recur thousands of times
    rows = []
    for row in page.grid:
        entry = row.entry
        title = escape(entry.title)
        if entry.film_id:
            href = before + quote(entry.film.slug, safe="") + after
            title = f'<a href="{escape(href)}">{title}</a>'
        cells = []
        for cell in row.cells:
            html = cell_html.get(cell)
            if html is None:
                html = cell_html[cell] = (
                    f'<td class="stars">{escape(cell)}</td>' if cell else EMPTY_CELL
                )
            cells.append(html)
        rows.append(
            f'<tr><th scope="row">{title}</th>{"".join(cells)}'
            f"<td><strong>{escape(row.average_display)}</strong></td></tr>"
        )
    caption = (
        f'<caption class="visually-hidden">Critics\' stars for each film reviewed at {edition}, '
        f"sorted by {escape(sorted_by)}</caption>"
    )
    # Every piece above is escaped where it holds data; the rest is fixed markup.
    return mark_safe(  # noqa: S308
        f'<table class="grid">{caption}<thead><tr>{"".join(head)}</tr></thead>'
        f"<tbody>\n{'\n'.join(rows)}\n</tbody></table>"
    )
