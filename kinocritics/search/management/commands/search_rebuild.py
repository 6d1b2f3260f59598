import time

from django.core.management.base import BaseCommand, CommandError

from kinocritics.search import indexing
from kinocritics.search.models import SearchEntry


class Command(BaseCommand):
    help = (
        "Rebuild the search index (films, people, reviews, articles, critics). Run it after "
        "import_films; day-to-day edits keep the index current by themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=SearchEntry.Kind.values,
            help="Only this kind (repeatable). Default: all.",
        )

    def handle(self, *args, kind=None, **options):
        started = time.perf_counter()
        verbosity = options["verbosity"]

        def progress(k, n):
            if verbosity:
                label = SearchEntry.Kind(k).label.lower()
                self.stdout.write(f"  {n:>7,} {label}")

        try:
            counts = indexing.rebuild(kind, progress=progress)
        except Exception as exc:  # a half-built index stays as it was (each kind is atomic)
            raise CommandError(f"Search index not rebuilt: {exc}") from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {sum(counts.values()):,} entries in {seconds:.1f} s."
            )
        )
