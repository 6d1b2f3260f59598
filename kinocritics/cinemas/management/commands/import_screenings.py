from django.core.management.base import BaseCommand, CommandError

from kinocritics.cinemas.models import Source
from kinocritics.cinemas.services import screening_import


class Command(BaseCommand):
    help = "Import cinema programmes: the named sources (by slug) or --all active ones."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="source slugs")
        parser.add_argument("--all", action="store_true", help="every active source")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="also queue the hourly import on the task worker (if not queued yet)",
        )

    def handle(self, *args, sources: list[str], all: bool, schedule: bool, **options):  # noqa: A002
        if all:
            chosen = list(Source.objects.filter(active=True).order_by("name"))
        elif sources:
            found = {s.slug: s for s in Source.objects.filter(slug__in=sources)}
            missing = [slug for slug in sources if slug not in found]
            if missing:
                raise CommandError(f"No source called {', '.join(missing)}.")
            chosen = [found[slug] for slug in sources]
        elif not schedule:
            raise CommandError("Name one or more sources, or use --all.")
        else:
            chosen = []
        failures = 0
        for number, source in enumerate(chosen, start=1):
            self.stdout.write(f"[{number}/{len(chosen)}] {source.name} …", ending="")
            self.stdout.flush()
            run = screening_import(source=source)
            style = self.style.SUCCESS if run.ok else self.style.WARNING
            self.stdout.write(" " + style(str(run).split(": ", 1)[1]))
            for error in run.errors[:20]:
                self.stdout.write(f"    {error}")
            if len(run.errors) > 20:
                self.stdout.write(f"    … and {len(run.errors) - 20} more")
            failures += not run.ok
        if schedule:
            from django.utils import timezone

            from kinocritics.cinemas.tasks import IMPORT_INTERVAL, schedule_next_import

            queued = schedule_next_import(after=timezone.now() + IMPORT_INTERVAL)
            self.stdout.write(
                "Hourly import queued." if queued else "Hourly import already queued."
            )
        if failures:
            self.stdout.write(
                self.style.WARNING(f"{failures} source(s) kept their last good programme.")
            )
