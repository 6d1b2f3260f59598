"""Subscribers, the suppression list, issues with their items, and one delivery per recipient."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class Subscriber(models.Model):
    """A reader's address. `email` is stored lower-cased, so it is unique case-insensitively."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    consent_text_version = models.CharField(max_length=20, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_source = models.CharField(max_length=20, blank=True)

    panels = [
        FieldPanel("email", read_only=True),
        FieldPanel("name"),
        FieldPanel("status", read_only=True),
        MultiFieldPanel(
            [
                FieldPanel("consent_at", read_only=True),
                FieldPanel("consent_ip", read_only=True),
                FieldPanel("consent_text_version", read_only=True),
                FieldPanel("confirmed_at", read_only=True),
                FieldPanel("confirmed_ip", read_only=True),
                FieldPanel("unsubscribed_at", read_only=True),
                FieldPanel("unsubscribe_source", read_only=True),
            ],
            heading="Consent record",
        ),
    ]

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return self.email


class Suppression(models.Model):
    """An address no newsletter mail goes to, whatever its subscriber status."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        MANUAL = "manual", "Manual entry"

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-cased.")
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.MANUAL)
    source = models.CharField(
        max_length=60, blank=True, help_text="Where it came from: smtp, a provider, csv import…"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("email"), FieldPanel("reason"), FieldPanel("source"), FieldPanel("note")]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Issue(ClusterableModel):
    """One newsletter mail. Its status changes only through `sending.issue_transition`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PREPARING = "preparing", "Preparing recipients"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subject = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=40, unique=True, help_text="Its web address in the archive, e.g. 2026-11."
    )
    month = models.DateField(help_text="The month this issue covers (first day).")
    intro = models.TextField(
        blank=True, help_text="A few words from the editors. Blank lines separate paragraphs."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)
    prepared_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(default=0, editable=False)
    # Frozen at preparation, so a resumed send and the archive show what went out.
    subject_sent = models.CharField(max_length=150, blank=True, editable=False)
    html_sent = models.TextField(blank=True, editable=False)
    text_sent = models.TextField(blank=True, editable=False)
    # The running sender ("host:pid:nonce") and its heartbeat: one sender per issue at a time.
    sender = models.CharField(max_length=120, blank=True, editable=False)
    sender_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("subject"), FieldPanel("slug"), FieldPanel("month")]),
        FieldPanel("intro"),
        InlinePanel("items", heading="Items (drag to reorder)", label="Item"),
    ]

    class Meta:
        ordering = ["-month", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", kwargs={"slug": self.slug})


class IssueItem(Orderable):
    """One entry of an issue: a review, an article, an opening, an OV highlight or a note."""

    class Section(models.TextChoices):
        REVIEW = "review", "New reviews"
        ARTICLE = "article", "Interviews and articles"
        OPENING = "opening", "Opening in Germany"
        SHOWTIME = "showtime", "In the original language"
        NOTE = "note", "From the editors"

    issue = ParentalKey(Issue, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=10, choices=Section.choices, default=Section.NOTE)
    title = models.CharField(max_length=255)
    url = models.CharField(
        max_length=500, blank=True, help_text="A site path (/reviews/…) or a full https address."
    )
    meta = models.CharField(max_length=255, blank=True, help_text="A short line: stars, critic…")
    text = models.TextField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("section"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("url"), FieldPanel("meta")]),
        FieldPanel("text"),
    ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One recipient of one issue, snapshotted before the first mail goes out."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED_TEMP = "failed_temp", "Temporary failure, will retry"
        FAILED_PERM = "failed_perm", "Failed"
        SKIPPED = "skipped", "Skipped (unsubscribed or suppressed since)"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=100, blank=True)
    batch = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_issue")
        ]
        indexes = [models.Index(fields=["issue", "status", "batch"])]

    def __str__(self) -> str:
        return f"{self.email} · {self.issue_id} · {self.status}"
