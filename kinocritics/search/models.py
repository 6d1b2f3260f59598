"""The search index (one row per film, person, review, article and critic) and Wikidata records.

`SearchEntry` is denormalised on purpose: a query reads one table, whatever it finds. `text`
holds every folded title or name the object is known by, separated by " | ". `SearchToken`
holds its words for the SQLite candidate query; PostgreSQL uses trigram and full-text GIN
indexes on `text` instead (created in migration 0002, on PostgreSQL only).
"""

from django.db import models


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        FILM = "film", "Films"
        PERSON = "person", "People"
        REVIEW = "review", "Reviews"
        ARTICLE = "article", "Articles"
        CRITIC = "critic", "Critics"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(help_text="Folded titles and names, separated by ' | '.")
    weight = models.FloatField(default=0, help_text="How prominent: reviews, credits, recency.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class SearchToken(models.Model):
    """One word of one entry, for the SQLite candidate query (prefix and exact lookups)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["token", "entry"])]
        constraints = [
            models.UniqueConstraint(fields=["entry", "token"], name="unique_search_token")
        ]

    def __str__(self) -> str:
        return self.token


class WikidataRecord(models.Model):
    """What Wikidata said about a film when an editor or `enrich_films` last asked.

    Keeps the TMDb id (the Film model has no field for it) and the facts as fetched, so the
    admin can show where a value came from and when.
    """

    film = models.OneToOneField(
        "films.Film", on_delete=models.CASCADE, related_name="wikidata_record"
    )
    wikidata_id = models.CharField(max_length=20)
    tmdb_id = models.CharField("TMDb id", max_length=20, blank=True)
    facts = models.JSONField(default=dict)
    fetched_at = models.DateTimeField()
    applied_fields = models.JSONField(default=list, help_text="Fields last accepted from it.")

    class Meta:
        verbose_name = "Wikidata record"

    def __str__(self) -> str:
        return f"{self.wikidata_id} for film {self.film_id}"
