"""The web archive of sent issues."""

import pytest
from django.utils import timezone

from kinocritics.newsletter.models import Issue

from .factories import issue_make

pytestmark = pytest.mark.django_db


def test_archive_lists_sent_issues_only_and_shows_each(client, django_assert_max_num_queries):
    sent = issue_make(slug="2026-10", subject="KinoCritics in October 2026")
    Issue.objects.filter(pk=sent.pk).update(status="sent", finished_at=timezone.now())
    for n in range(5):
        other = issue_make(slug=f"2025-0{n + 1}", subject=f"Old issue {n}")
        Issue.objects.filter(pk=other.pk).update(status="sent", finished_at=timezone.now())
    issue_make(slug="2026-11", subject="Not sent yet")
    with django_assert_max_num_queries(8):
        html = client.get("/newsletter/archive/").content.decode()
    assert '<a href="/newsletter/archive/2026-10/">KinoCritics in October 2026</a>' in html
    assert "Not sent yet" not in html
    assert client.get("/newsletter/archive/2026-11/").status_code == 404
    with django_assert_max_num_queries(8):
        page = client.get("/newsletter/archive/2026-10/")
    html = page.content.decode()
    assert "<h1>KinoCritics in October 2026</h1>" in html
    assert "<h2>New reviews</h2>" in html and "<h2>Opening in Germany</h2>" in html
    assert '<a href="/reviews/red-rocket-2021/">Red Rocket</a>' in html
    assert "<p>Winter is here, and so are the festival films.</p>" in html
    # The web version carries nobody's personal links.
    assert "/newsletter/unsubscribe/" not in html and "/newsletter/preferences/" not in html
