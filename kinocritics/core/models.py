import datetime as dt

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page


class CreditedImage(AbstractImage):
    """An image with the credit line the magazine prints under every still."""

    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who owns the picture, printed as “© …”, e.g. Universal Pictures "
        "International Germany GmbH. A review cannot be published with a still lacking one.",
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    @property
    def credit_line(self) -> str:
        credit = self.credit.strip()
        if not credit:
            return ""
        return credit if credit.startswith("©") else f"© {credit}"


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def this_thursday(today: dt.date) -> dt.date:
    """The Thursday that starts the German cinema week containing `today`."""
    return today - dt.timedelta(days=(today.weekday() - 3) % 7)


class HomePage(Page):
    """The front page: the newest review in full, then what is new and what opens."""

    intro = models.CharField(max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from kinocritics.films.selectors import film_for_page, films_opening
        from kinocritics.reviews.selectors import review_list

        context = super().get_context(request, *args, **kwargs)
        latest = list(review_list()[:7])
        lead = latest[0] if latest else None
        week_start = this_thursday(timezone.localdate())
        context.update(
            lead_review=lead,
            lead_film=film_for_page(film_id=lead.film_id) if lead and lead.film_id else None,
            latest_reviews=latest[1:],
            opening_this_week=films_opening(
                start=week_start, end=week_start + dt.timedelta(days=7)
            ),
            opening_next_week=films_opening(
                start=week_start + dt.timedelta(days=7), end=week_start + dt.timedelta(days=14)
            ),
            week_start=week_start,
        )
        return context
