"""Plain data passed from a feed parser to the import service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawShowing:
    """One showing as the feed states it, before labels are read and the film is matched."""

    position: str  # where in the feed: "line 14", "event 3", "item 7"
    cinema: str  # the cinema's slug or name as the feed gives it ("" = the source's only cinema)
    title: str  # the raw listing title, labels and all: "Past Lives (OmU)"
    start: dt.datetime  # aware
    label: str = ""  # a separate version label field, when the feed has one
    audio_language: str | None = None  # ISO 639-1 from structured data, when given
    subtitle_languages: tuple[str, ...] = ()  # ISO 639-1 from structured data, when given
    auditorium: str = ""
    ticket_url: str = ""
    year: int | None = None  # production year hint
    cancelled: bool = False


@dataclass(frozen=True)
class FeedError:
    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"


@dataclass
class FeedResult:
    showings: list[RawShowing] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
