"""Keep festival entries in step with what is published (same transaction as the publish)."""

from wagtail.signals import page_published, page_unpublished

from .models import ArticlePage


def _sync(sender, instance, **kwargs):
    from .services import entries_sync

    entries_sync(article=ArticlePage.objects.get(pk=instance.pk))


page_published.connect(_sync, sender=ArticlePage)
page_unpublished.connect(_sync, sender=ArticlePage)
