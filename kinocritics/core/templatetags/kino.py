import json

from django import template
from django.utils.safestring import mark_safe
from wagtail.images.shortcuts import get_renditions_or_not_found

from kinocritics.films.text import initial_letter

register = template.Library()


def _script_safe(text: str) -> str:
    """JSON that cannot close its <script>: <, > and & as \\u escapes.

    str.replace, not str.translate: translate looks every character up in a dict, which took
    3 ms per film page for 60 screening events; replace scans for one character at a time.
    """
    return text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")


@register.filter
def jsonld(data) -> str:
    """Render a dict (or list of dicts) as a safe <script type="application/ld+json"> block."""
    if not data:
        return ""
    blocks = data if isinstance(data, list) else [data]
    out = []
    for block in filter(None, blocks):
        text = _script_safe(json.dumps(block, ensure_ascii=False, separators=(",", ":")))
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


STILL_SIZES = {"big": "fill-1200x630", "small": "fill-600x315"}


def still_renditions(image) -> dict:
    """A still's two sizes from one cache read.

    Wagtail's {% image %} reads the cache and writes it back once per size; get_renditions reads
    both in one round trip and writes only what it had to make. What it found is kept on the
    image object, so asking again in the same request (the page's og:image) reads nothing.
    """
    sizes = getattr(image, "_still_sizes", None)
    if sizes is None:
        found = get_renditions_or_not_found(image, STILL_SIZES.values())
        # Kept under our own name: setting Wagtail's prefetched_renditions would tell it this
        # image has no other renditions, and a card thumbnail of it would be made anew.
        sizes = image._still_sizes = {name: found[spec] for name, spec in STILL_SIZES.items()}
    return sizes


register.simple_tag(still_renditions, name="still_renditions")
