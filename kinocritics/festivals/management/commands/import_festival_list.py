from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinocritics.cinemas.matching import FilmMatcher
from kinocritics.festivals.models import FestivalEdition
from kinocritics.festivals.review_list import critic_refs, review_list_parse
from kinocritics.festivals.services import article_draft_create, review_list_blocks


class Command(BaseCommand):
    help = (
        "Read a festival review list in the old plain-text format and save it as a draft "
        "article for an editor to check."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--edition", required=True, help="festival-slug/year, e.g. berlinale/2014"
        )
        parser.add_argument("--title", help="the article's title (default: the file name)")
        parser.add_argument("--dry-run", action="store_true", help="only show what was read")

    def handle(self, *args, file: Path, edition: str, title: str | None, dry_run: bool, **opts):
        festival_slug, _, year = edition.partition("/")
        found = FestivalEdition.objects.filter(
            festival__slug=festival_slug, year=int(year) if year.isdigit() else -1
        ).first()
        if found is None:
            raise CommandError(f"No festival edition “{edition}”: write it as festival-slug/year.")
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        draft = review_list_parse(
            text,
            critics=critic_refs(),
            matcher=FilmMatcher.from_db(),
            year=found.year,
            when=found.start_date,
        )
        matched = sum(1 for e in draft.entries if e.film_id)
        self.stdout.write(
            f"Read {len(draft.entries)} entries ({matched} matched to catalogue films)."
        )
        problems = [*draft.problems, *(p for e in draft.entries for p in e.problems)]
        for problem in problems:
            self.stdout.write(self.style.WARNING(f"  check: {problem}"))
        if dry_run:
            return
        article = article_draft_create(
            title=title or file.stem.replace("-", " ").replace("_", " ").title(),
            edition=found,
            blocks=review_list_blocks(draft=draft),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Saved the draft article “{article.title}” (id {article.pk}): "
                f"check and publish it in the admin."
            )
        )
