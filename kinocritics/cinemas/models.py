import zoneinfo
from urllib.parse import quote_plus

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from kinocritics.core.urlcache import slug_url
from kinocritics.films.text import normalise_title

from .versions import Version, version_words


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Berlin.")


class City(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    time_zone = models.CharField(
        max_length=50, default="Europe/Berlin", validators=[validate_time_zone]
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return self.name


class Cinema(models.Model):
    """A cinema that shows films in their original language."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="cinemas")
    address = models.CharField(max_length=255, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    time_zone = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_time_zone],
        help_text="Leave empty to use the city's time zone.",
    )
    website = models.URLField(blank=True)
    programme_url = models.URLField(blank=True, help_text="The cinema's own programme page.")
    ticket_system = models.CharField(max_length=60, blank=True)
    active = models.BooleanField(default=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("city"), FieldPanel("active")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("time_zone")]),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("programme_url"), FieldPanel("ticket_system")],
            heading="Links",
        ),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("cinemas:detail", self.slug)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or self.city.time_zone)

    @property
    def map_url(self) -> str:
        """OpenStreetMap at the cinema's coordinates, or a search for its address."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        if self.address:
            return f"https://www.openstreetmap.org/search?query={quote_plus(self.address)}"
        return ""


class Source(models.Model):
    """One programme feed covering one or more cinemas."""

    class Kind(models.TextChoices):
        JSONLD = "jsonld", "schema.org JSON-LD (HTML page or JSON)"
        ICAL = "ical", "iCalendar"
        CSV = "csv", "CSV"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    location = models.CharField(
        max_length=500, help_text="An https:// URL or a file path on the server."
    )
    cinemas = models.ManyToManyField(Cinema, related_name="sources")
    active = models.BooleanField(default=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(
        null=True, blank=True, help_text="When the programme shown on the site was fetched."
    )
    last_error = models.TextField(blank=True)
    stale = models.BooleanField(
        default=False, help_text="The last run failed or came back empty; older data is shown."
    )
    last_rows = models.PositiveIntegerField(default=0)
    last_row_errors = models.JSONField(default=list, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("active")]),
        FieldPanel("location"),
        FieldPanel("cinemas"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShowWording:
    """How a show reads to a reader; shared by Screening and the listings' plain rows."""

    __slots__ = ()

    @property
    def version_words(self) -> str:
        return version_words(self.version, self.audio_language, self.subtitle_languages)

    @property
    def booking_url(self) -> str:
        return self.ticket_url or self.cinema.programme_url or self.cinema.website

    @property
    def is_ticket_link(self) -> bool:
        return bool(self.ticket_url)


class Screening(ShowWording, models.Model):
    """One show of one film at one cinema, as its feed last stated it."""

    cinema = models.ForeignKey(Cinema, on_delete=models.CASCADE, related_name="screenings")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="screenings")
    film = models.ForeignKey(
        "films.Film",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="screenings",
    )
    start = models.DateTimeField()
    version = models.CharField(max_length=12, choices=Version.choices, default=Version.UNKNOWN)
    audio_language = models.CharField(max_length=3, blank=True)
    subtitle_languages = models.JSONField(default=list, blank=True)
    english_friendly = models.BooleanField(default=False, editable=False)
    formats = models.JSONField(default=list, blank=True)
    event = models.CharField(max_length=120, blank=True)
    auditorium = models.CharField(max_length=60, blank=True)
    ticket_url = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=255, help_text="The clean listing title.")
    title_key = models.CharField(max_length=255, db_index=True, editable=False)
    raw_title = models.CharField(max_length=500)
    raw_label = models.CharField(max_length=255, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["start", "cinema__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cinema", "start", "title_key", "version", "auditorium"],
                name="unique_screening",
            )
        ]
        indexes = [
            models.Index(fields=["start", "english_friendly"]),
            # The reader's one-click filter: English-friendly shows that still take place.
            models.Index(
                fields=["start"],
                condition=models.Q(english_friendly=True, cancelled=False),
                name="screening_english_start",
            ),
            models.Index(fields=["film", "start"]),
            models.Index(fields=["cinema", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.cinema} {self.start:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.title_key = normalise_title(self.title)
        super().save(*args, **kwargs)


class ListingTitle(models.Model):
    """What a listing title means: the film it was matched to, and how sure we are.

    Keyed by the normalised clean title, so a decision (automatic or an editor's) applies to
    every later import of the same title.
    """

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Matched"
        REVIEW = "review", "Needs an editor"
        NONE = "none", "No film"

    title_key = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=255, help_text="The title as first listed.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    film = models.ForeignKey(
        "films.Film", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    score = models.FloatField(default=0)
    suggestions = models.JSONField(default=list, blank=True)
    decided_by_editor = models.BooleanField(
        default=False, help_text="An editor's decision; imports never change it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
