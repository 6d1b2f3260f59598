import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinocritics.newsletter.drafting import issue_draft


class Command(BaseCommand):
    help = "Draft a newsletter issue from a month's reviews, articles, openings and OV shows."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the current month)")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                day = dt.datetime.strptime(month, "%Y-%m").date()  # noqa: DTZ007 - a date only
            except ValueError:
                raise CommandError(f"“{month}” is not a month; write it like 2026-11.") from None
        else:
            day = timezone.localdate()
        issue = issue_draft(month=day)
        counts = {}
        for item in issue.items.all():
            counts[item.get_section_display()] = counts.get(item.get_section_display(), 0) + 1
        summary = ", ".join(f"{n} {label.lower()}" for label, n in counts.items()) or "no items"
        self.stdout.write(f"Drafted “{issue.subject}” ({issue.slug}): {summary}.")
