from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from kinocritics.core.urlcache import slug_url

initials_validator = RegexValidator(
    r"^[A-Z]{2,3}$", "Initials are two or three capital letters, as in co-ratings: BS, KB."
)


class Critic(index.Indexed, models.Model):
    """A KinoCritics writer, known by full name and by initials in co-ratings and capsules."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    initials = models.CharField(
        max_length=3,
        unique=True,
        validators=[initials_validator],
        help_text="Two or three capital letters, unique among critics.",
    )
    bio = RichTextField("biography", blank=True, features=["bold", "italic", "link"])
    photo = models.ForeignKey(
        "core.CreditedImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legacy_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="Id on the old site (critic_sort.php?c=N)."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="critic_profile",
        help_text="The admin login this critic writes with (manage.py grant_role links it).",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("initials")]),
        FieldPanel("slug"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("legacy_id"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.initials})"

    def save(self, *args, **kwargs):
        self.initials = self.initials.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("critics:detail", self.slug)
