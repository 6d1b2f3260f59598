"""Drafting an issue from the month's content."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinocritics.core.tests.factories import FilmFactory, aware
from kinocritics.newsletter.drafting import issue_draft
from kinocritics.newsletter.models import Issue

pytestmark = pytest.mark.django_db


def test_draft_collects_reviews_openings_and_ov_highlights(red_rocket):
    from kinocritics.cinemas.models import Cinema, City, Screening, Source
    from kinocritics.reviews.models import ReviewPage

    film, review, critic = red_rocket
    ReviewPage.objects.filter(pk=review.pk).update(first_published_at=aware(2026, 11, 5))
    FilmFactory(
        title="The Melon Route", slug="the-melon-route", german_opening=dt.date(2026, 12, 3)
    )
    FilmFactory(title="Too Late", slug="too-late", german_opening=dt.date(2027, 1, 7))
    now = timezone.now()
    city = City.objects.create(name="Hamburg", slug="hamburg")
    cinema = Cinema.objects.create(name="Abaton", slug="abaton", city=city)
    source = Source.objects.create(
        name="Abaton feed", slug="abaton-feed", kind="csv", location="https://example.org/a.csv"
    )
    for n in range(3):
        Screening.objects.create(
            cinema=cinema,
            source=source,
            film=film,
            start=now + dt.timedelta(days=n + 1),
            version="OMU_EN",
            audio_language="en",
            subtitle_languages=["en"],
            title="Red Rocket",
            english_friendly=True,
            raw_title="Red Rocket (OmeU)",
            last_seen=now,
        )
    issue = issue_draft(month=dt.date(2026, 11, 1), now=now)
    items = [(i.section, i.title, i.url, i.meta) for i in issue.items.all()]
    assert issue.subject == "KinoCritics in November 2026" and issue.slug == "2026-11"
    assert items[0][:3] == ("review", "Red Rocket", "/reviews/red-rocket-2021/")
    assert "by Erin Testwriter" in items[0][3]
    assert items[1][:3] == ("opening", "The Melon Route", "/films/the-melon-route/")
    assert "Too Late" not in [i[1] for i in items]
    showtime = [i for i in items if i[0] == "showtime"]
    assert showtime[0][1] == "Red Rocket"
    assert showtime[0][2] == "/showtimes/?film=red-rocket-2021&version=english"
    assert showtime[0][3] == "3 shows in English or with English subtitles at 1 cinema"
    # A second draft of the same month gets its own address.
    assert issue_draft(month=dt.date(2026, 11, 20)).slug == "2026-11-2"


def test_newsletter_draft_command(capsys):
    call_command("newsletter_draft", "--month", "2026-11")
    assert "Drafted “KinoCritics in November 2026” (2026-11)" in capsys.readouterr().out
    assert Issue.objects.get().status == "draft"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="write it like 2026-11"):
        call_command("newsletter_draft", "--month", "November")
