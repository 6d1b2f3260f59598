from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

SIDEBAR_CACHE_SECONDS = 300


def _sidebar_cinemas():
    from kinocritics.cinemas.models import Cinema

    return cache.get_or_set(
        "sidebar-cinemas",
        lambda: list(Cinema.objects.filter(active=True).only("name", "slug").order_by("name")),
        SIDEBAR_CACHE_SECONDS,
    )


def _sidebar_articles():
    from kinocritics.festivals.models import ArticlePage

    return cache.get_or_set(
        "sidebar-articles",
        lambda: [
            {"title": a.title, "url": a.url, "kind": a.get_kind_display()}
            for a in ArticlePage.objects.live().order_by("-first_published_at")[:4]
        ],
        SIDEBAR_CACHE_SECONDS,
    )


def site_context(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "SIDEBAR_CINEMAS": SimpleLazyObject(_sidebar_cinemas),
        "SIDEBAR_ARTICLES": SimpleLazyObject(_sidebar_articles),
    }
