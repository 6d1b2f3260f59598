"""reverse() memoised for the slug URLs that list pages build hundreds of times per request."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=8192)
def _reverse_slug(prefix: str, name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})


def slug_url(name: str, slug: str) -> str:
    """The path of a named `<slug:slug>` URL; the script prefix is part of the key."""
    return _reverse_slug(get_script_prefix(), name, slug)


def _clear(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse_slug.cache_clear()


setting_changed.connect(_clear)
