import datetime as dt
from itertools import groupby
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images.models import Filter
from wagtail.models import Page
from wagtail.search import index

from kinocritics.core import jsonld

from .forms import ReviewPageForm
from .ratings import RATING_CHOICES, stars_display, stars_text
from .services import review_publish_problems

REVIEWS_PER_PAGE = 20
CARD_STILL_FILTER = "fill-320x180"


def review_cards_page(*, reviews, number, request, per_page: int = REVIEWS_PER_PAGE):
    """One page of review cards, each with its link and still thumbnail worked out once.

    Pagination orders the ids alone, then loads the page's 20 reviews with their film, critic
    and still: sorting every live review's full row was the slowest part of the page.
    """
    page = Paginator(reviews.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    by_id = {review.pk: review for review in reviews.filter(pk__in=ids)}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    thumbs: dict[int, object] = {}
    for review in page.object_list:
        review.card_url = review.get_url(request)
        still = review.still
        if still is not None:
            if still.pk not in thumbs:
                # The renditions were prefetched with the still: no query, and no cache write
                # per card as {% image %} does.
                try:
                    thumbs[still.pk] = still.find_existing_rendition(Filter(CARD_STILL_FILTER))
                except still.get_rendition_model().DoesNotExist:
                    thumbs[still.pk] = still.get_rendition(CARD_STILL_FILTER)
            review.card_thumb = thumbs[still.pk]
    return page


def review_archive_html(months: list[dict]) -> SafeString:
    """The archive's year lines ("2022: Apr (3) · Mar (5)"), joined once instead of looped in
    the template for every month of thirty years."""
    lines = []
    for year, group in groupby(months, key=itemgetter("year")):
        links = format_html_join(
            " · ",
            '<a href="/reviews/{}/{}/">{}</a> <span class="meta">({})</span>',
            ((m["year"], m["month"], m["label"], m["count"]) for m in group),
        )
        lines.append(
            format_html(
                '<li><a href="/reviews/{}/">{}</a>:\n      {}\n    </li>', year, year, links
            )
        )
    return mark_safe("\n    ".join(lines))  # noqa: S308 - every line is format_html output


class ReviewIndexPage(RoutablePageMixin, Page):
    """/reviews/: newest first, with archives by year and month."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["reviews.ReviewPage"]
    parent_page_types = ["core.HomePage"]
    max_count = 1

    def _listing(self, request, reviews, **extra):
        from . import selectors

        page = review_cards_page(reviews=reviews, number=request.GET.get("page"), request=request)
        months = selectors.review_archive_months()
        context = {
            "reviews_page": page,
            "archive_months": months,
            "archive_html": review_archive_html(months),
        }
        context.update(extra)
        return self.render(request, context_overrides=context)

    @path("")
    def latest(self, request):
        from . import selectors

        return self._listing(request, selectors.review_list())

    @path("<int:year>/")
    def year_archive(self, request, year: int):
        from . import selectors

        reviews = selectors.review_list(year=year)
        if not reviews.exists():
            raise Http404("No reviews that year.")
        return self._listing(request, reviews, archive_year=year)

    @path("<int:year>/<int:month>/")
    def month_archive(self, request, year: int, month: int):
        if not 1 <= month <= 12:
            raise Http404("No such month.")
        from . import selectors

        reviews = selectors.review_list(year=year, month=month)
        if not reviews.exists():
            raise Http404("No reviews that month.")
        label = dt.date(year, month, 1).strftime("%B %Y")
        return self._listing(
            request, reviews, archive_year=year, archive_month=month, archive_label=label
        )


class ReviewPage(Page):
    """One piece of criticism of one film, signed by a critic."""

    film = models.ForeignKey(
        "films.Film", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    critic = models.ForeignKey(
        "critics.Critic", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=RATING_CHOICES,
        help_text="Optional: * to **** in half steps.",
    )
    still = models.ForeignKey(
        "core.CreditedImage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A still from the film; the image needs a credit line before publishing.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence for lists, feeds and link previews."
    )
    body = RichTextField(features=["bold", "italic", "link", "h3", "blockquote"])
    legacy_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="Id on the old site (film_review.php?f=N)."
    )
    edition = models.ForeignKey(
        "festivals.FestivalEdition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        help_text="The festival edition this review was written at, if any.",
    )

    base_form_class = ReviewPageForm
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("film"), FieldPanel("critic")]),
        FieldRowPanel([FieldPanel("rating"), FieldPanel("still")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("edition"),
    ]
    promote_panels = [*Page.promote_panels, MultiFieldPanel([FieldPanel("legacy_id")], "Old site")]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.SearchField("summary")]
    parent_page_types = ["reviews.ReviewIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "film review"

    def save(self, *args, **kwargs):
        # The admin form explains this rule field by field; this guards every other way a
        # review goes live (scripts, scheduled publishing). Partial saves (update_fields) only
        # touch bookkeeping and drafts are never live, so neither is checked.
        if self.live and kwargs.get("update_fields") is None:
            problems = review_publish_problems(film=self.film, critic=self.critic, still=self.still)
            if problems:
                raise ValidationError(problems)
        return super().save(*args, **kwargs)

    @property
    def stars(self) -> str:
        return stars_display(self.rating)

    @property
    def stars_text(self) -> str:
        return stars_text(self.rating)

    @property
    def rating_value(self) -> str:
        """3.5 for ***1/2, for screen readers and summaries."""
        return f"{self.rating / 2:g}" if self.rating else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.film_id:
            from kinocritics.films import selectors as film_selectors

            context["film"] = film_selectors.film_for_page(film_id=self.film_id)
        context["structured_data"] = [
            {"@context": "https://schema.org", **jsonld.review(self, include_item=True)},
            jsonld.breadcrumbs([("Home", "/"), ("Reviews", "/reviews/"), (self.title, self.url)]),
        ]
        return context
