import factory
from django.utils import timezone

from kinocritics.newsletter.models import Issue, IssueItem, Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Subscriber.Status.CONFIRMED
    consent_at = factory.LazyFunction(timezone.now)
    consent_ip = "192.0.2.10"
    consent_text_version = "2026-11"
    confirmed_at = factory.LazyFunction(timezone.now)


def issue_make(**fields) -> Issue:
    issue = Issue.objects.create(
        subject=fields.pop("subject", "KinoCritics in November 2026"),
        slug=fields.pop("slug", "2026-11"),
        month=fields.pop("month", timezone.localdate().replace(day=1)),
        intro=fields.pop("intro", "Winter is here, and so are the festival films.\n\nRead on."),
        **fields,
    )
    IssueItem.objects.create(
        issue=issue,
        section=IssueItem.Section.REVIEW,
        title="Red Rocket",
        url="/reviews/red-rocket-2021/",
        meta="★★★½ · by Erin Testwriter",
        text="A hustler comes home.",
        sort_order=0,
    )
    IssueItem.objects.create(
        issue=issue,
        section=IssueItem.Section.OPENING,
        title="The Melon Route",
        url="/films/the-melon-route/",
        meta="opens 4 Dec",
        sort_order=1,
    )
    return issue
