"""schema.org JSON-LD programme feeds: ScreeningEvents in an HTML page or a JSON document.

What is read
    Every ``ScreeningEvent`` (and any ``…Event`` whose ``workPresented`` is a ``Movie``) anywhere in
    the data: a single object, a list, ``@graph``, an ``ItemList``'s ``itemListElement`` or a
    ``MovieTheater``'s ``event``/``events``. ``{"@id": …}`` references are followed within the page.
    Events are numbered in document order across all script blocks: "event 1", "event 2", …

Conventions
    Title: ``workPresented.name`` when given, because it is the film and not the listing. Whatever
    the event ``name`` adds to it ("Past Lives (OmU)" → "OmU") becomes the label; an event name
    that does not contain the film's name at all (a German release title) is kept whole as the
    label so its version words are not lost. Without ``workPresented`` the event ``name`` is the
    title, labels and all. ``videoFormat`` ("3D", "IMAX") is appended to the label.

    Place: a ``MovieTheater`` (by ``name``, else ``@id``, else ``url``) is the cinema. A ``Place``
    inside one (``containedInPlace``), a place named like a room ("Saal 2") or a place given on an
    event listed under a theater's ``event`` is the auditorium. A plain string is read as
    "Cinema, Saal 2".

    Languages: the event's own ``inLanguage`` (string, BCP-47 tag or ``Language`` object) is the
    audio; the film's ``inLanguage`` is not used, because a dubbed show has a different one.

    Tickets: the first ``offers.url`` (it must be http or https, or the event is reported); when
    there is none, the event's ``url`` if it is a full http(s) address.

    Start: ISO 8601 with an offset is taken as given; without one it is local time in the cinema's
    time zone; a date without a time is reported. ``eventStatus`` ``EventCancelled`` marks a
    cancelled show; postponed and rescheduled events carry their new ``startDate`` and are kept.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from kinocritics.cinemas.feeds.base import FeedError, FeedResult, RawShowing
from kinocritics.cinemas.feeds.common import (
    aware_local,
    check_ticket_url,
    check_title,
    clean_text,
    is_room,
    join_label,
    language_code,
    plausible_year,
    shorten,
    split_languages,
    split_location,
)

THEATER_TYPES = frozenset(
    {"MovieTheater", "EntertainmentBusiness", "LocalBusiness", "Organization", "CivicStructure"}
)
_TITLE_SEPARATORS = " -–—:|/·,"

Node = dict[str, Any]


def parse_jsonld(text: str, *, tz: ZoneInfo, today: dt.date | None = None) -> FeedResult:
    """Showings from JSON-LD in an HTML page or a JSON document; bad events become errors."""
    # today is part of every parser's signature; ISO dates carry their year, so it is unused here.
    result = FeedResult()
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        sources = [("document", stripped)]
    else:
        blocks = _script_blocks(text)
        if not blocks:
            result.errors.append(
                FeedError(
                    "document",
                    "has no JSON-LD: it is neither JSON nor an HTML page with a "
                    '<script type="application/ld+json"> block.',
                )
            )
            return result
        sources = [(f"script block {n}", block) for n, block in enumerate(blocks, start=1)]

    documents = []
    for position, source in sources:
        try:
            documents.append(json.loads(source))
        except (ValueError, RecursionError) as exc:
            result.errors.append(
                FeedError(position, f"is not valid JSON ({shorten(str(exc), 80)}); it was skipped.")
            )
    _Reader(tz=tz).read(documents=documents, result=result)
    return result


class _ScriptBlocks(HTMLParser):
    """Collects the text of every <script type="application/ld+json"> in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if kind == "application/ld+json":
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append("".join(self._current))
            self._current = None

    def close(self) -> None:
        super().close()
        if self._current is not None:  # a page cut off inside the block: read what arrived
            # The parser holds back script text until it sees the end tag, so add what is left.
            self.blocks.append("".join(self._current) + self.rawdata)
            self._current = None


def _script_blocks(html: str) -> list[str]:
    """The JSON-LD script blocks of an HTML page, in order."""
    parser = _ScriptBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


class _Reader:
    """Walks parsed JSON-LD documents and turns their screening events into showings."""

    def __init__(self, *, tz: ZoneInfo) -> None:
        self.tz = tz
        self.ids: dict[str, Node] = {}
        self.theater_of: dict[int, Node] = {}

    def read(self, *, documents: list[Any], result: FeedResult) -> None:
        """Append a showing or an error to result for every event, in document order."""
        self._index(documents)
        visited: set[int] = set()
        count = 0
        # An explicit stack instead of recursion: deeply nested junk must not overflow Python's.
        stack: list[tuple[Any, Node | None]] = [(doc, None) for doc in reversed(documents)]
        while stack:
            value, theater = stack.pop()
            if isinstance(value, list):
                stack.extend((item, theater) for item in reversed(value))
                continue
            if not isinstance(value, dict):
                continue
            node = self._resolve(value)
            if id(node) in visited:
                continue
            visited.add(id(node))
            if self._is_screening(node):
                count += 1
                position = f"event {count}"
                try:
                    result.showings.append(
                        self._showing(
                            event=node,
                            theater=theater or self.theater_of.get(id(node)),
                            position=position,
                        )
                    )
                except ValueError as exc:
                    result.errors.append(FeedError(position, str(exc)))
                continue
            if "MovieTheater" in _types(node):
                theater = node
            children = [v for k, v in node.items() if k != "@context"]
            stack.extend((child, theater) for child in reversed(children))

    def _index(self, documents: list[Any]) -> None:
        """Remember every node with an @id, and which theater lists which event by reference."""
        stack: list[Any] = list(documents)
        seen: set[int] = set()
        theaters: list[Node] = []
        while stack:
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict) and id(value) not in seen:
                seen.add(id(value))
                node_id = value.get("@id")
                if isinstance(node_id, str) and set(value) - {"@id", "@context"}:
                    self.ids.setdefault(node_id, value)
                if "MovieTheater" in _types(value):
                    theaters.append(value)
                stack.extend(value.values())
        for theater in theaters:
            for key in ("event", "events"):
                for event in _as_list(theater.get(key)):
                    if isinstance(event, dict):
                        self.theater_of.setdefault(id(self._resolve(event)), theater)

    def _resolve(self, value: Any) -> Any:
        """The full node for an {"@id": …} reference, when the page defines it."""
        if isinstance(value, dict) and set(value) <= {"@id", "@context"}:
            return self.ids.get(value.get("@id"), value)
        return value

    def _is_screening(self, node: Node) -> bool:
        types = _types(node)
        if "ScreeningEvent" in types:
            return True
        return any(t.endswith("Event") for t in types) and self._movie(node) is not None

    def _movie(self, event: Node) -> Node | None:
        for work in _as_list(event.get("workPresented")):
            work = self._resolve(work)
            if isinstance(work, dict) and (
                "Movie" in _types(work) or (not _types(work) and "name" in work)
            ):
                return work
        return None

    def _showing(self, *, event: Node, theater: Node | None, position: str) -> RawShowing:
        """One event as a RawShowing; raises ValueError with a message for the cinema."""
        movie = self._movie(event) or {}
        title, extra = _title_and_extra(
            event_name=clean_text(_text(event.get("name"))),
            movie_name=clean_text(_text(movie.get("name"))),
        )
        title = check_title(title)
        cinema, auditorium = self._place(location=event.get("location"), theater=theater)
        audio = self._languages(event.get("inLanguage"))
        formats = [clean_text(_text(f)) for f in _as_list(event.get("videoFormat"))]
        year = None
        for key in ("dateCreated", "copyrightYear", "datePublished"):
            year = year or plausible_year(_text(movie.get(key)))
        return RawShowing(
            position=position,
            cinema=cinema,
            title=title,
            start=self._start(event.get("startDate")),
            label=join_label(extra, *formats),
            audio_language=audio[0] if audio else None,
            subtitle_languages=tuple(self._languages(event.get("subtitleLanguage"))),
            auditorium=auditorium,
            ticket_url=self._ticket_url(event),
            year=year,
            cancelled=_is_cancelled(event.get("eventStatus")),
        )

    def _start(self, value: Any) -> dt.datetime:
        raw = _text(value).strip()
        if not raw:
            raise ValueError("has no startDate; give it as 2026-11-26T20:15:00+01:00.")
        if "T" not in raw.upper() and " " not in raw:
            raise ValueError(
                f"startDate {shorten(raw)!r} has no time of day; give it as "
                "2026-11-26T20:15:00+01:00."
            )
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(
                f"startDate {shorten(raw)!r} is not an ISO 8601 date and time; give it as "
                "2026-11-26T20:15:00+01:00."
            ) from None
        if parsed.tzinfo is None:
            return aware_local(naive=parsed, tz=self.tz)
        return parsed.astimezone(self.tz)

    def _place(self, *, location: Any, theater: Node | None) -> tuple[str, str]:
        """(cinema, auditorium) from an event's location and the theater listing it."""
        cinema = _place_name(theater) if theater else ""
        auditorium = ""
        for place in _as_list(location):
            place = self._resolve(place)
            if isinstance(place, str):
                named_cinema, named_room = split_location(clean_text(place))
                cinema, auditorium = named_cinema or cinema, named_room or auditorium
                continue
            if not isinstance(place, dict):
                continue
            name = clean_text(_text(place.get("name")))
            container = self._resolve(place.get("containedInPlace"))
            is_theater = bool(_types(place) & THEATER_TYPES) or "address" in place
            if isinstance(container, dict) and (not is_theater or is_room(name)):
                auditorium = name or auditorium
                cinema = _place_name(container) or cinema
            elif is_theater:
                cinema = _place_name(place) or cinema
                room = self._resolve(place.get("containsPlace"))
                if isinstance(room, dict):  # one room only: a list names all the cinema's screens
                    auditorium = clean_text(_text(room.get("name"))) or auditorium
            elif name and (theater is not None or is_room(name)):
                auditorium = name
            else:
                cinema = _place_name(place) or cinema
        return cinema, auditorium

    def _languages(self, value: Any) -> list[str]:
        """ISO 639-1 codes from strings, BCP-47 tags or Language objects, in order, once each."""
        codes: list[str] = []
        for item in _as_list(value):
            item = self._resolve(item)
            if isinstance(item, dict):
                names = [
                    _text(v)
                    for key in ("alternateName", "name", "@id")
                    for v in _as_list(item.get(key))
                ]
            else:
                names = split_languages(_text(item))
            code = next(
                (c for c in (language_code(n.rsplit("/", 1)[-1]) for n in names) if c), None
            )
            if code and code not in codes:
                codes.append(code)
        return codes

    def _ticket_url(self, event: Node) -> str:
        for offer in _as_list(event.get("offers")):
            offer = self._resolve(offer)
            if isinstance(offer, dict) and _text(offer.get("url")):
                return check_ticket_url(_text(offer.get("url")))
        try:
            # The event's own page is second best and often relative; a bad one is no error.
            return check_ticket_url(_text(event.get("url")))
        except ValueError:
            return ""


def _title_and_extra(*, event_name: str, movie_name: str) -> tuple[str, str]:
    """(title, extra label words) from an event name and the name of the film it presents."""
    if not movie_name:
        return event_name, ""
    if not event_name or event_name.lower() == movie_name.lower():
        return movie_name, ""
    index = event_name.lower().find(movie_name.lower())
    if index < 0 or len(event_name.lower()) != len(event_name):
        return movie_name, event_name
    rest = clean_text(event_name[:index] + " " + event_name[index + len(movie_name) :])
    rest = rest.strip(_TITLE_SEPARATORS)
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1].strip()
    return movie_name, rest


def _is_cancelled(status: Any) -> bool:
    """Whether an eventStatus says cancelled: a schema.org URL, 'schema:…' or the bare word."""
    return _text(status).strip().rstrip("/").lower().endswith("eventcancelled")


def _place_name(node: Node) -> str:
    """What names a cinema node: its name, else its @id, else its url."""
    for key in ("name", "@id", "url"):
        name = clean_text(_text(node.get(key)))
        if name:
            return name
    return ""


def _types(node: Node) -> set[str]:
    """The node's @type values without a vocabulary prefix: 'schema:Movie' → 'Movie'."""
    return {
        t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in _as_list(node.get("@type"))
        if isinstance(t, str)
    }  # fmt: skip


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A plain string from a JSON-LD value: a string, a number, {"@value": …} or {"@id": …}."""
    for item in _as_list(value):
        if isinstance(item, str):
            return item
        if isinstance(item, int | float) and not isinstance(item, bool):
            return str(item)
        if isinstance(item, dict):
            inner = item.get("@value", item.get("@id"))
            if isinstance(inner, str | int | float) and not isinstance(inner, bool):
                return str(inner)
    return ""
