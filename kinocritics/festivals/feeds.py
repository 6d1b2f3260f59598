from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .selectors import ArticleFilters, article_list

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "KinoCritics: interviews, essays and festival reports"
    link = "/articles/"
    subtitle = "English-language film writing from Hamburg since 1994."

    def items(self):
        return article_list(ArticleFilters())[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.byline

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.get_kind_display()]
