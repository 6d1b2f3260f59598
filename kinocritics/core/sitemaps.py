from django.contrib.sitemaps import Sitemap
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


class FilmSitemap(Sitemap):
    limit = 10_000

    def items(self):
        return Film.objects.only("slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    limit = 20_000
    priority = 0.3

    def items(self):
        return Person.objects.only("slug").order_by("id")


class CriticSitemap(Sitemap):
    def items(self):
        return Critic.objects.only("slug").order_by("id")


SITEMAPS = {
    "pages": PageSitemap,
    "films": FilmSitemap,
    "people": PersonSitemap,
    "critics": CriticSitemap,
}
