from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

SIDEBAR_CACHE_SECONDS = 300


SIDEBAR_CINEMA_LIMIT = 12


def _sidebar_cinemas():
    """Up to a dozen original-language cinemas, home city first, as plain name/url pairs."""
    from django.db.models import Case, IntegerField, Value, When

    from kinocritics.cinemas.models import Cinema

    def build():
        home_first = Case(
            When(city__name=settings.SIDEBAR_HOME_CITY, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        cinemas = (
            Cinema.objects.filter(active=True)
            .only("name", "slug")
            .order_by(home_first, "name")[:SIDEBAR_CINEMA_LIMIT]
        )
        return [{"name": c.name, "url": c.get_absolute_url()} for c in cinemas]

    return cache.get_or_set("sidebar-cinemas-v2", build, SIDEBAR_CACHE_SECONDS)


SIDEBAR_ARTICLES_KEY = "sidebar-articles"


def sidebar_articles_changed() -> None:
    """An article went live, changed or left: pages built after the commit list it anew."""
    transaction.on_commit(lambda: cache.delete(SIDEBAR_ARTICLES_KEY))


def _sidebar_articles():
    from kinocritics.festivals.models import ArticlePage

    return cache.get_or_set(
        SIDEBAR_ARTICLES_KEY,
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
