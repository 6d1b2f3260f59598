"""Keep the search index current: films, people and critics on save, reviews and articles on
publish and unpublish. Work runs after the transaction commits, so a rolled-back edit never
reaches the index and bulk imports are not slowed (they are followed by `search_rebuild`)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from kinocritics.critics.models import Critic
from kinocritics.festivals.models import ArticlePage
from kinocritics.films.models import Film, FilmAlias, Person
from kinocritics.reviews.models import ReviewPage

from . import indexing
from .models import SearchEntry

Kind = SearchEntry.Kind


def _later(func, *args):
    transaction.on_commit(lambda: func(*args))


def _reindex_film(film_id: int) -> None:
    indexing.reindex(Kind.FILM, [film_id])
    review_ids = list(ReviewPage.objects.filter(film_id=film_id).values_list("pk", flat=True))
    if review_ids:
        indexing.reindex(Kind.REVIEW, review_ids)


def _film_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(_reindex_film, instance.pk)


def _alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(indexing.reindex, Kind.FILM, [instance.film_id])


def _person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(indexing.reindex, Kind.PERSON, [instance.pk])


def _critic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(indexing.reindex, Kind.CRITIC, [instance.pk])


def _deleted(kind):
    def handler(sender, instance, **kwargs):
        _later(indexing.remove, kind, [instance.pk])

    return handler


def _review_published(sender, instance, **kwargs):
    _later(indexing.reindex, Kind.REVIEW, [instance.pk])
    if instance.film_id:
        _later(indexing.reindex, Kind.FILM, [instance.film_id])
    if instance.critic_id:
        _later(indexing.reindex, Kind.CRITIC, [instance.critic_id])


def _article_published(sender, instance, **kwargs):
    _later(indexing.reindex, Kind.ARTICLE, [instance.pk])


def connect():
    post_save.connect(_film_saved, sender=Film, dispatch_uid="kcsearch-film")
    post_save.connect(_alias_changed, sender=FilmAlias, dispatch_uid="kcsearch-alias")
    post_delete.connect(_alias_changed, sender=FilmAlias, dispatch_uid="kcsearch-alias-del")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="kcsearch-person")
    post_save.connect(_critic_saved, sender=Critic, dispatch_uid="kcsearch-critic")
    post_delete.connect(_deleted(Kind.FILM), sender=Film, dispatch_uid="kcsearch-film-del")
    post_delete.connect(_deleted(Kind.PERSON), sender=Person, dispatch_uid="kcsearch-person-del")
    post_delete.connect(_deleted(Kind.CRITIC), sender=Critic, dispatch_uid="kcsearch-critic-del")
    post_delete.connect(
        _deleted(Kind.REVIEW), sender=ReviewPage, dispatch_uid="kcsearch-review-del"
    )
    post_delete.connect(
        _deleted(Kind.ARTICLE), sender=ArticlePage, dispatch_uid="kcsearch-article-del"
    )
    page_published.connect(_review_published, sender=ReviewPage, dispatch_uid="kcsearch-rp")
    page_unpublished.connect(_review_published, sender=ReviewPage, dispatch_uid="kcsearch-ru")
    page_published.connect(_article_published, sender=ArticlePage, dispatch_uid="kcsearch-ap")
    page_unpublished.connect(_article_published, sender=ArticlePage, dispatch_uid="kcsearch-au")
