from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .selectors import review_list

FEED_SIZE = 30


class LatestReviewsFeed(Feed):
    feed_type = Atom1Feed
    title = "KinoCritics: latest film reviews"
    link = "/reviews/"
    subtitle = "English-language film criticism from Hamburg since 1994."

    def items(self):
        return review_list()[:FEED_SIZE]

    def item_title(self, item):
        stars = f" {item.stars}" if item.rating else ""
        return f"{item.title}{stars}"

    def item_description(self, item):
        return item.summary or ""

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.critic.name if item.critic else "KinoCritics"

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at
