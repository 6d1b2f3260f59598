"""Keep cached review lists in step with publishing."""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from .models import ReviewPage


def _forget_archive(sender, **kwargs):
    from .selectors import review_archive_forget

    # Now, and again after commit so a request racing the transaction cannot keep old data.
    review_archive_forget()
    transaction.on_commit(review_archive_forget)


page_published.connect(_forget_archive, sender=ReviewPage)
page_unpublished.connect(_forget_archive, sender=ReviewPage)
post_delete.connect(_forget_archive, sender=ReviewPage)
