"""manage.py match_titles: match listing titles (JSON lines on stdin) to catalogue films."""

import datetime as dt
import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from kinocritics.cinemas.labels import listing_parse
from kinocritics.cinemas.matching import FilmMatcher


class Command(BaseCommand):
    help = (
        'Read one JSON object a line on stdin, {"title": "Past Lives (OmU)", "year": 2023} '
        '(year optional), and print one a line: {"title", "film", "score", "decision"}. "film" is '
        "the Wikidata id of the accepted film, or of the one proposed for review, or null. "
        "Nothing is saved."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="Match as on this day, YYYY-MM-DD (default today): it decides which films "
            "are current.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stream: TextIO = options.get("stdin") or sys.stdin
        matcher = FilmMatcher.from_db(today=options["date"])
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            self.stdout.write(json.dumps(self._match_line(matcher, line, number=number)))

    def _match_line(self, matcher: FilmMatcher, line: str, *, number: int) -> dict[str, Any]:
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            return {"error": f"line {number}: not valid JSON ({error.msg})"}
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            return {"error": f'line {number}: expected an object with a "title" string'}
        year = item.get("year")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            return {"error": f'line {number}: "year" must be a number such as 2023, or left out'}

        raw_title = item["title"]
        # Labels such as "(OmU)" or "– OmeU" are not part of the film's title.
        title = listing_parse(raw_title).title or raw_title
        result = matcher.match(title, year=year)
        return {
            "title": raw_title,
            "film": result.wikidata_id,
            "score": result.score,
            "decision": result.decision,
        }
