"""manage.py import_films: load the film catalogue from bokeh_sampledata's movies.db."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinocritics.films.importers import (
    CatalogueError,
    ImportReport,
    bundled_catalogue_path,
    catalogue_import,
    verify_checksum,
)


class Command(BaseCommand):
    help = (
        "Import films, people and credits from the Wikidata/OMDb catalogue bundled with "
        "bokeh_sampledata. Safe to re-run: films already imported (by Wikidata id) are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            help="Import this SQLite file (omdb table) instead of the bundled movies.db.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also update title, year, runtime and IMDb id of films already imported.",
        )
        parser.add_argument(
            "--skip-checksum",
            action="store_true",
            help="Do not verify the file's sha256 (for tests with small fixture files only).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, path: Path | None, update: bool, skip_checksum: bool, **options):
        # The bar goes to the real stderr: Django's OutputWrapper appends a newline to every
        # write, which would break tqdm's in-place redraws.
        show_bar = not options["no_progress"] and sys.stderr.isatty()
        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:  # created lazily: the total is known only once the plan is made
                bar = tqdm(
                    total=total,
                    unit=" rows",
                    unit_scale=True,
                    file=sys.stderr,
                    disable=not show_bar,
                )
            bar.update(done - bar.n)

        try:
            path = path or bundled_catalogue_path()
            if not skip_checksum:
                verify_checksum(path=path)
            report = catalogue_import(path=path, progress=progress, update=update)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()

        self._print_report(report, path=path)

    def _print_report(self, report: ImportReport, *, path: Path) -> None:
        if report.rows_skipped:
            self.stderr.write(
                self.style.WARNING(f"Skipped {report.rows_skipped:,} rows without id or title.")
            )
        if report.imdb_conflicts:
            shown = ", ".join(report.imdb_conflicts[:10])
            more = "…" if len(report.imdb_conflicts) > 10 else ""
            self.stderr.write(
                self.style.WARNING(
                    f"IMDb id left empty on {len(report.imdb_conflicts):,} films because "
                    f"another film already has it: {shown}{more}"
                )
            )
        if not report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Catalogue is up to date: {report.films_existing:,} films already "
                    "imported, nothing changed."
                )
            )
            return

        updated = ""
        if report.films_updated:
            fields = ", ".join(f"{name} {n:,}" for name, n in sorted(report.updated_fields.items()))
            updated = f", {report.films_updated:,} updated ({fields})"
        lines = [
            f"Imported {path.name} in {report.seconds:.1f} s:",
            f"  films      {report.films_created:,} created{updated}, "
            f"{report.films_existing:,} already imported",
            f"  people     {report.people_created:,} created",
            f"  credits    {report.credits_created:,} created",
            f"  countries  {report.countries_created:,} created",
            f"  languages  {report.languages_created:,} created",
            f"  genres     {report.genres_created:,} created",
            f"  film links {report.links_created:,} created (countries, languages, genres)",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
