"""Purge cached pages (and the film page fragments they hold) when a review or an article goes
live, changes or leaves."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from kinocritics.films import film_page

from . import purge
from .context_processors import sidebar_articles_changed


def _previous_version(instance, revision):
    """The page as it stood before this publish, so a film or critic it left is purged too."""
    if revision is None:
        return None
    earlier = (
        instance.revisions.exclude(pk=revision.pk)
        .filter(created_at__lte=revision.created_at)
        .order_by("-created_at", "-pk")
        .first()
    )
    return earlier.as_object() if earlier else None


def _versions(instance, revision=None):
    previous = _previous_version(instance, revision)
    return [instance] if previous is None else [instance, previous]


def _reviews_changed(*reviews) -> None:
    purge.paths_purge_on_commit(purge.review_paths(*reviews))
    film_page.main_changed(review.film_id for review in reviews)


def _articles_changed(*articles) -> None:
    purge.paths_purge_on_commit(purge.article_paths(*articles))
    film_page.main_changed(purge.article_film_ids(*articles))
    sidebar_articles_changed()


def review_changed(sender, instance, revision=None, **kwargs):
    _reviews_changed(*_versions(instance, revision))


def article_changed(sender, instance, revision=None, **kwargs):
    _articles_changed(*_versions(instance, revision))


def review_deleted(sender, instance, **kwargs):
    if instance.live:
        _reviews_changed(instance)


def article_deleted(sender, instance, **kwargs):
    if instance.live:
        _articles_changed(instance)


def connect() -> None:
    from kinocritics.festivals.models import ArticlePage
    from kinocritics.reviews.models import ReviewPage

    for name, signal in (("published", page_published), ("unpublished", page_unpublished)):
        signal.connect(review_changed, sender=ReviewPage, dispatch_uid=f"purge-review-{name}")
        signal.connect(article_changed, sender=ArticlePage, dispatch_uid=f"purge-article-{name}")
    post_delete.connect(review_deleted, sender=ReviewPage, dispatch_uid="purge-review-deleted")
    post_delete.connect(article_deleted, sender=ArticlePage, dispatch_uid="purge-article-deleted")
