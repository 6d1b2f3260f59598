import json

from django import template
from django.utils.safestring import mark_safe

from kinocritics.films.text import initial_letter

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data) -> str:
    """Render a dict (or list of dicts) as a safe <script type="application/ld+json"> block."""
    if not data:
        return ""
    blocks = data if isinstance(data, list) else [data]
    out = []
    for block in filter(None, blocks):
        text = json.dumps(block, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
        out.append(f'<script type="application/ld+json">{text}</script>')
    return mark_safe("\n".join(out))  # noqa: S308 - escaped above


@register.filter
def countries_line(film) -> str:
    """`France/Germany 2019` as the old site printed it."""
    names = "/".join(fc.country.display_name for fc in film.film_countries.all())
    return " ".join(part for part in (names, str(film.year or "")) if part)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (and page reset)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def az_letter(title: str) -> str:
    return initial_letter(title)
