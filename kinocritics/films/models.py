from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from kinocritics.core.urlcache import slug_url

from .text import normalise_title, sort_key

wikidata_id_validator = RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id looks like Q132689.")
imdb_id_validator = RegexValidator(r"^tt\d{7,8}$", "An IMDb id looks like tt0034583.")


class Country(models.Model):
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="How the magazine prints it, e.g. U.S.A."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Language(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(index.Indexed, models.Model):
    """Anyone credited on a film: director, writer or actor."""

    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=220, unique=True)
    wikidata_id = models.CharField(
        max_length=20, unique=True, null=True, blank=True, validators=[wikidata_id_validator]
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("wikidata_id")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("films:person", self.slug)


class Film(index.Indexed, ClusterableModel):
    """A film in the catalogue. `title` is the title it runs under for our readers in Germany."""

    title = models.CharField(max_length=255)
    original_title = models.CharField(max_length=255, blank=True)
    german_title = models.CharField(max_length=255, blank=True, help_text="German release title")
    english_title = models.CharField(max_length=255, blank=True)
    sort_title = models.CharField(max_length=255, editable=False, db_index=True)
    slug = models.SlugField(max_length=255, unique=True)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(1880), MaxValueValidator(2100)],
        help_text="Release year (first release anywhere).",
    )
    german_opening = models.DateField(
        "German opening date",
        null=True,
        blank=True,
        db_index=True,
        help_text="The Thursday the film opens in German cinemas.",
    )
    runtime_minutes = models.PositiveSmallIntegerField("length (minutes)", null=True, blank=True)
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[wikidata_id_validator],
    )
    imdb_id = models.CharField(
        "IMDb id", max_length=12, unique=True, null=True, blank=True, validators=[imdb_id_validator]
    )
    languages = ParentalManyToManyField(Language, blank=True, related_name="films")
    genres = ParentalManyToManyField(Genre, blank=True, related_name="films")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldRowPanel([FieldPanel("original_title"), FieldPanel("german_title")]),
                FieldPanel("english_title"),
                FieldPanel("slug"),
            ],
            heading="Titles",
        ),
        FieldRowPanel([FieldPanel("year"), FieldPanel("german_opening")]),
        FieldPanel("runtime_minutes"),
        InlinePanel("film_countries", heading="Countries", label="Country"),
        FieldPanel("languages"),
        FieldPanel("genres"),
        InlinePanel("credits", heading="Credits (in billing order)", label="Credit"),
        InlinePanel("aliases", heading="Other titles cinemas use", label="Alias"),
        FieldRowPanel([FieldPanel("wikidata_id"), FieldPanel("imdb_id")], heading="External ids"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("original_title"),
        index.SearchField("german_title"),
        index.SearchField("english_title"),
        index.AutocompleteField("title"),
        index.FilterField("year"),
    ]

    class Meta:
        ordering = ["sort_title", "year"]
        indexes = [models.Index(fields=["german_opening", "sort_title"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        self.sort_title = sort_key(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("films:detail", self.slug)

    @property
    def other_titles(self) -> list[tuple[str, str]]:
        """The original, German and English titles that differ from the display title."""
        shown = {self.title.casefold()}
        titles = []
        for label, value in (
            ("Original title", self.original_title),
            ("German title", self.german_title),
            ("English title", self.english_title),
        ):
            if value and value.casefold() not in shown:
                shown.add(value.casefold())
                titles.append((label, value))
        return titles


class FilmCountry(Orderable):
    film = ParentalKey(Film, on_delete=models.CASCADE, related_name="film_countries")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("country")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["film", "country"], name="unique_film_country")
        ]


class Credit(Orderable):
    """One person's role on one film; `sort_order` is the billing order."""

    class Role(models.TextChoices):
        DIRECTOR = "director", "Directed by"
        WRITER = "writer", "Writing credits"
        ACTOR = "actor", "Principal actors"

    film = ParentalKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=10, choices=Role.choices)

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("person")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["film", "person", "role"], name="unique_film_credit")
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class FilmAlias(Orderable):
    """Another title a film is listed under (by a cinema, a festival, a translation)."""

    class Origin(models.TextChoices):
        EDITOR = "editor", "Added by an editor"
        LISTING = "listing", "Learned from a cinema listing"

    film = ParentalKey(Film, on_delete=models.CASCADE, related_name="aliases")
    title = models.CharField(max_length=255)
    normalised = models.CharField(max_length=255, editable=False, db_index=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EDITOR)

    panels = [FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["film", "normalised"], name="unique_film_alias")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.normalised = normalise_title(self.title)
        super().save(*args, **kwargs)
