from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from kinocritics.core import jsonld
from kinocritics.reviews.ratings import stars_display

from .blocks import ArticleBodyBlock

ARTICLES_PER_PAGE = 20


class Festival(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    city = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FestivalEdition(models.Model):
    """One year of a festival; articles and reviews belong to an edition."""

    festival = models.ForeignKey(Festival, on_delete=models.PROTECT, related_name="editions")
    year = models.PositiveSmallIntegerField()
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=80, blank=True)
    sections = models.TextField(blank=True, help_text="One competition section per line.")

    panels = [
        FieldRowPanel([FieldPanel("festival"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("city")]),
        FieldPanel("sections"),
    ]

    class Meta:
        ordering = ["-year", "festival__name"]
        constraints = [models.UniqueConstraint(fields=["festival", "year"], name="unique_edition")]

    def __str__(self) -> str:
        return f"{self.festival.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "festivals:edition", kwargs={"festival": self.festival.slug, "year": self.year}
        )

    @property
    def section_list(self) -> list[str]:
        return [line.strip() for line in self.sections.splitlines() if line.strip()]


class ArticleIndexPage(Page):
    """/articles/: every article, filterable by kind, festival, critic and year."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["festivals.ArticlePage"]
    parent_page_types = ["core.HomePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        filters = selectors.ArticleFilters.from_query(request.GET)
        articles = selectors.article_list(filters)
        context.update(
            filters=filters,
            articles_page=Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page")),
            kinds=ArticlePage.Kind.choices,
            **selectors.article_filter_choices(),
        )
        return context


class ArticlePage(Page):
    """Interviews, essays, press conference and festival reports, lists."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        FEATURE = "feature", "Feature / essay"
        PRESS_CONFERENCE = "press_conference", "Press conference"
        FESTIVAL_REPORT = "festival_report", "Festival report"
        LIST = "list", "List"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEATURE)
    authors = ParentalManyToManyField("critics.Critic", blank=True, related_name="articles")
    group_byline = models.BooleanField(
        "by the KinoCritics", default=False, help_text="A group piece, signed by the KinoCritics."
    )
    edition = models.ForeignKey(
        FestivalEdition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    people = ParentalManyToManyField(
        "films.Person", blank=True, related_name="articles", help_text="Who the article is about."
    )
    legacy_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="Id on the old site (article.php?ar=N)."
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("edition")]),
        MultiFieldPanel([FieldPanel("authors"), FieldPanel("group_byline")], heading="Byline"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("people"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("legacy_id")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["festivals.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"

    @property
    def byline(self) -> str:
        names = [critic.name for critic in self.authors.all()]
        if self.group_byline or not names:
            return "the KinoCritics"
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["structured_data"] = [
            jsonld.article(self),
            jsonld.breadcrumbs([("Home", "/"), ("Articles", "/articles/"), (self.title, self.url)]),
        ]
        return context


class FestivalEntry(models.Model):
    """A festival review, capsule or prize from a published article, kept for lists and grids.

    Rebuilt from the article's body whenever it is published (see services.entries_sync).
    """

    class Kind(models.TextChoices):
        REVIEW = "review", "Festival review"
        CAPSULE = "capsule", "Capsule"
        PRIZE = "prize", "Prize"

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="entries")
    edition = models.ForeignKey(
        FestivalEdition, null=True, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField()
    film = models.ForeignKey(
        "films.Film", null=True, on_delete=models.SET_NULL, related_name="festival_entries"
    )
    title = models.CharField(max_length=255)
    critic = models.ForeignKey(
        "critics.Critic", null=True, on_delete=models.SET_NULL, related_name="festival_entries"
    )
    half_stars = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)
    directors = models.CharField(max_length=255, blank=True)
    countries = models.CharField(max_length=255, blank=True)
    award = models.CharField(max_length=200, blank=True)
    amount = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["edition", "kind"]), models.Index(fields=["film", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def stars(self) -> str:
        return stars_display(self.half_stars)


class EntryRating(models.Model):
    """One critic's stars for a festival entry: the author's own or a co-rating."""

    entry = models.ForeignKey(FestivalEntry, on_delete=models.CASCADE, related_name="ratings")
    critic = models.ForeignKey("critics.Critic", on_delete=models.CASCADE, related_name="+")
    half_stars = models.PositiveSmallIntegerField()
    is_author = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "critic"], name="one_rating_per_critic")
        ]

    def __str__(self) -> str:
        return f"{self.critic} {self.stars}"

    @property
    def stars(self) -> str:
        return stars_display(self.half_stars)
