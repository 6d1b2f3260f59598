"""manage.py classify_labels: read listing titles or labels on stdin, print what each one says."""

import io
import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand

from kinocritics.cinemas.labels import listing_parse

# Output goes out in batches: one write per line makes 100,000 lines slow on a pipe.
BATCH_LINES = 2000


class Command(BaseCommand):
    help = (
        "Read one raw listing title or version label a line on stdin (blank lines are skipped) "
        'and print one JSON object a line: {"raw", "title", "version", "audio_language", '
        '"subtitle_languages", "format", "event"}. Languages are ISO 639-1 codes, null or [] '
        'when unknown. Example: echo "Past Lives (OmeU)" | manage.py classify_labels'
    )
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream: TextIO = options.get("stdin") or sys.stdin
        if stream is sys.stdin and isinstance(stream, io.TextIOWrapper):
            # Titles come from many feeds: a stray byte is replaced, not a reason to stop.
            stream.reconfigure(encoding="utf-8", errors="replace")
        if options.get("stdout") is None and isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding="utf-8")  # JSON lines are UTF-8 (ensure_ascii off)
        encode = json.JSONEncoder(ensure_ascii=False).encode
        batch: list[str] = []
        for line in stream:
            raw = line.rstrip("\r\n")
            if not raw.strip():
                continue
            listing = listing_parse(raw)
            batch.append(
                encode(
                    {
                        "raw": listing.raw,
                        "title": listing.title,
                        "version": listing.version,
                        "audio_language": listing.audio_language,
                        "subtitle_languages": list(listing.subtitle_languages),
                        "format": list(listing.formats),
                        "event": list(listing.events),
                    }
                )
            )
            if len(batch) >= BATCH_LINES:
                self.stdout.write("\n".join(batch))  # the wrapper adds the last newline
                batch.clear()
        if batch:
            self.stdout.write("\n".join(batch))
