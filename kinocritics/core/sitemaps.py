from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from wagtail.models import Page

from kinocritics.critics.models import Critic
from kinocritics.films.models import Film, Person


class PageSitemap(Sitemap):
    """Live Wagtail pages: home, review index, reviews."""

    def items(self):
        return Page.objects.live().public().specific(defer=True).order_by("path")

    def location(self, item):
        return item.get_url() or "/"

    def lastmod(self, item):
        return item.last_published_at

    def get_latest_lastmod(self):
        return Page.objects.live().aggregate(latest=Max("last_published_at"))["latest"]


class FilmSitemap(Sitemap):
    limit = 5_000

    def items(self):
        return Film.objects.only("slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The default walks every item; one aggregate answers the same question.
        return Film.objects.aggregate(latest=Max("updated_at"))["latest"]


class PersonSitemap(Sitemap):
    limit = 5_000
    priority = 0.3

    def items(self):
        return Person.objects.only("slug").order_by("id")


class CriticSitemap(Sitemap):
    def items(self):
        return Critic.objects.only("slug").order_by("id")


class FestivalEditionSitemap(Sitemap):
    def items(self):
        from kinocritics.festivals.models import FestivalEdition

        return FestivalEdition.objects.select_related("festival").order_by("id")


class OpeningsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["search:openings"]

    def location(self, item):
        from django.urls import reverse

        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "critics": CriticSitemap,
    "festivals": FestivalEditionSitemap,
    "openings": OpeningsSitemap,
}
