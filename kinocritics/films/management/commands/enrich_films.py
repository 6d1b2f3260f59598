"""Fill films' facts from Wikidata in bulk, with a progress bar and a report."""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from kinocritics.films import wikidata
from kinocritics.films.models import Film
from kinocritics.films.wikidata import BATCH, FIELD_LABELS, WikidataError, apply_facts, film_diff


class Progress:
    """A one-line bar on stderr: [#####-----]  120/17,472 films  3 changed."""

    def __init__(self, total: int, write, *, enabled: bool, width: int = 30):
        self.total, self.write, self.enabled, self.width = total, write, enabled, width
        self.done = 0

    def update(self, done: int, note: str = "") -> None:
        self.done = done
        if not self.enabled or not self.total:
            return
        filled = int(self.width * done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.write(f"\r[{bar}] {done:>6,}/{self.total:,} films  {note}")

    def finish(self) -> None:
        if self.enabled and self.total:
            self.write("\n")


class Command(BaseCommand):
    help = (
        "Fetch facts from Wikidata for films with a Wikidata id and fill them in. By default only "
        "empty fields are filled; --overwrite also replaces values that differ (editors' "
        "choices included), so use it with --fields."
    )

    def add_arguments(self, parser):
        parser.add_argument("films", nargs="*", help="Film slugs or Wikidata ids (default: all).")
        parser.add_argument(
            "--fields",
            help=f"Comma-separated fields to consider (default: all): {', '.join(FIELD_LABELS)}.",
        )
        parser.add_argument(
            "--missing-opening",
            action="store_true",
            help="Only films without a German opening date.",
        )
        parser.add_argument("--limit", type=int, help="At most this many films.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Also replace values that are already set."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, films, fields, missing_opening, limit, overwrite, dry_run, **options):
        wanted = [f.strip() for f in fields.split(",")] if fields else list(FIELD_LABELS)
        unknown = [f for f in wanted if f not in FIELD_LABELS]
        if unknown:
            raise CommandError(
                f"Unknown field(s): {', '.join(unknown)}. Choose from: {', '.join(FIELD_LABELS)}."
            )
        qs = Film.objects.exclude(wikidata_id=None).exclude(wikidata_id="").order_by("id")
        if films:
            qs = qs.filter(slug__in=films) | qs.filter(wikidata_id__in=films)
            found = set(qs.values_list("slug", flat=True)) | set(
                qs.values_list("wikidata_id", flat=True)
            )
            missing = [f for f in films if f not in found]
            if missing:
                raise CommandError(
                    f"No film with a Wikidata id matches: {', '.join(missing)}. "
                    "Nothing was changed."
                )
        if missing_opening:
            qs = qs.filter(german_opening=None)
        if limit:
            qs = qs[:limit]
        targets = list(qs.only("id", "wikidata_id"))
        progress = Progress(
            len(targets),
            lambda text: (self.stderr.write(text, ending=""), self.stderr.flush()),
            enabled=not options["no_progress"],
        )
        started = time.perf_counter()
        counts: Counter[str] = Counter()
        failures: list[str] = []
        changed_films = unchanged = 0
        with wikidata.client_from_settings() as client:
            for start in range(0, len(targets), BATCH):
                chunk = targets[start : start + BATCH]
                try:
                    results = client.films_facts([f.wikidata_id for f in chunk])
                except WikidataError as exc:
                    progress.finish()
                    self._report(counts, failures, changed_films, unchanged, started, dry_run)
                    raise CommandError(
                        f"Stopped after {start:,} films: {exc} Films already done keep their "
                        "changes; the rest were not touched."
                    ) from exc
                for stub in chunk:
                    result = results[stub.wikidata_id]
                    if isinstance(result, WikidataError):
                        failures.append(f"{stub.wikidata_id}: {result}")
                        continue
                    film = Film.objects.get(pk=stub.pk)
                    choose = [
                        c.field
                        for c in film_diff(film, result)
                        if c.field in wanted and (overwrite or c.empty_now)
                    ]
                    if not choose:
                        unchanged += 1
                        continue
                    if not dry_run:
                        try:
                            choose = apply_facts(film, result, choose)
                        except WikidataError as exc:
                            failures.append(f"{stub.wikidata_id} ({film.title}): {exc}")
                            continue
                    changed_films += 1
                    counts.update(choose)
                progress.update(min(start + BATCH, len(targets)), f"{changed_films:,} changed")
        progress.finish()
        self._report(counts, failures, changed_films, unchanged, started, dry_run)

    def _report(self, counts, failures, changed, unchanged, started, dry_run):
        verb = "would change" if dry_run else "changed"
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Wikidata enrichment{' (dry run)' if dry_run else ''}: {changed:,} films {verb}, "
            f"{unchanged:,} already up to date, {len(failures):,} failed ({seconds:.1f} s)."
        )
        for field, n in sorted(counts.items(), key=lambda kv: list(FIELD_LABELS).index(kv[0])):
            self.stdout.write(f"  {FIELD_LABELS[field]}: {n:,}")
        for line in failures:
            self.stdout.write(self.style.WARNING(f"  failed: {line}"))
