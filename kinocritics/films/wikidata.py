"""Film facts from Wikidata (CC0), fetched politely and offered to editors field by field.

The client calls the entity API (`wbgetentities`): one request for up to 50 films (labels and
claims), one for the labels of the people, countries and languages they point to. It waits
`WIKIDATA_MIN_INTERVAL` seconds between requests, keeps answers in the cache for
`WIKIDATA_CACHE_SECONDS` and names the project and a contact URL in its User-Agent.

What it reads, per film:

- German opening: P577 (publication date) with qualifier P291 (place of publication) =
  Germany (Q183) or West Germany (Q713750), day precision; a Thursday date is preferred to a
  festival premiere on another weekday, then the earliest.
- original title P1476, German title (the German label), original language P364, countries
  of origin P495, duration P2047 (in minutes), director P57, screenwriter P58, cast P161 in
  the order Wikidata lists it, IMDb id P345, TMDb id P4947.

Every failure — network, timeout, HTTP error, JSON that is not what the API sends — raises
`WikidataError` with a sentence for the editor, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import asdict, dataclass, field

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Country, Credit, Film, FilmCountry, Language, Person
from .text import unique_slug

API_URL = "https://www.wikidata.org/w/api.php"
BATCH = 50  # wbgetentities takes up to 50 ids per request
GERMANY = {"Q183", "Q713750"}  # Germany, West Germany
MINUTE, HOUR, SECOND = "Q7727", "Q25235", "Q11574"
QID = re.compile(r"^Q[1-9]\d*$")
COUNTRY_NAMES = {  # Wikidata's English label → the catalogue's country name
    "United States of America": "United States",
    "People's Republic of China": "China",
    "Kingdom of the Netherlands": "Netherlands",
    "Kingdom of Denmark": "Denmark",
}


class WikidataError(Exception):
    """Something went wrong asking Wikidata; the message is meant for the editor."""


# --- facts --------------------------------------------------------------------------------------


@dataclass
class PersonRef:
    wikidata_id: str
    name: str


@dataclass
class FilmFacts:
    wikidata_id: str
    label: str = ""
    original_title: str = ""
    german_title: str = ""
    german_opening: dt.date | None = None
    original_languages: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    runtime_minutes: int | None = None
    directors: list[PersonRef] = field(default_factory=list)
    writers: list[PersonRef] = field(default_factory=list)
    cast: list[PersonRef] = field(default_factory=list)
    imdb_id: str = ""
    tmdb_id: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["german_opening"] = self.german_opening.isoformat() if self.german_opening else None
        return data


# --- the client ---------------------------------------------------------------------------------


class WikidataClient:
    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        user_agent: str | None = None,
        min_interval: float | None = None,
        timeout: float | None = None,
        cache_seconds: int | None = None,
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.user_agent = user_agent or settings.WIKIDATA_USER_AGENT
        self.min_interval = settings.WIKIDATA_MIN_INTERVAL if min_interval is None else min_interval
        self.timeout = settings.WIKIDATA_TIMEOUT if timeout is None else timeout
        self.cache_seconds = (
            settings.WIKIDATA_CACHE_SECONDS if cache_seconds is None else cache_seconds
        )
        self._http = httpx.Client(
            transport=transport,
            timeout=self.timeout,
            headers={"User-Agent": self.user_agent, "Accept": "application/json"},
        )
        self._sleep, self._clock = sleep, clock
        self._last_request: float | None = None
        self._lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # transport

    def _wait_turn(self) -> None:
        with self._lock:
            if self._last_request is not None:
                wait = self._last_request + self.min_interval - self._clock()
                if wait > 0:
                    self._sleep(wait)
            self._last_request = self._clock()

    def _get(self, params: dict) -> dict:
        self._wait_turn()
        self.requests += 1
        try:
            response = self._http.get(API_URL, params={**params, "format": "json"})
        except httpx.TimeoutException as exc:
            raise WikidataError(
                f"Wikidata did not answer within {self.timeout:g} seconds. Nothing was "
                "changed; try again later."
            ) from exc
        except httpx.HTTPError as exc:
            raise WikidataError(
                f"Could not reach Wikidata ({exc.__class__.__name__}: {exc}). Nothing was changed."
            ) from exc
        if response.status_code != 200:
            raise WikidataError(
                f"Wikidata answered with HTTP {response.status_code}"
                f"{' (too many requests)' if response.status_code == 429 else ''}. "
                "Nothing was changed; try again later."
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise WikidataError(
                "Wikidata's answer was not valid JSON. Nothing was changed."
            ) from exc
        if not isinstance(data, dict):
            raise WikidataError(
                "Wikidata's answer was not in the expected form. Nothing was changed."
            )
        if "error" in data:
            info = data["error"].get("info", "") if isinstance(data["error"], dict) else ""
            raise WikidataError(f"Wikidata refused the request: {info or data['error']}.")
        if not isinstance(data.get("entities"), dict):
            raise WikidataError("Wikidata's answer had no entities in it. Nothing was changed.")
        return data["entities"]

    def entities(self, ids: list[str], *, props: str, languages: str = "en|de|mul") -> dict:
        """{qid: entity} for the given ids, from the cache where possible."""
        found, wanted = {}, []
        for qid in dict.fromkeys(ids):
            cached = cache.get(self._key(qid, props))
            if cached is not None:
                found[qid] = cached
            else:
                wanted.append(qid)
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            answer = self._get(
                {
                    "action": "wbgetentities",
                    "ids": "|".join(chunk),
                    "props": props,
                    "languages": languages,
                    "languagefallback": "1",
                }
            )
            for qid in chunk:
                entity = answer.get(qid)
                if not isinstance(entity, dict):
                    raise WikidataError(f"Wikidata's answer did not include {qid}.")
                found[qid] = entity
                if "missing" not in entity:
                    cache.set(self._key(qid, props), entity, self.cache_seconds)
        return found

    @staticmethod
    def _key(qid: str, props: str) -> str:
        return f"wikidata:{props}:{qid}"

    # films

    def film_facts(self, qid: str) -> FilmFacts:
        result = self.films_facts([qid])[qid]
        if isinstance(result, WikidataError):
            raise result
        return result

    def films_facts(self, qids: list[str]) -> dict[str, FilmFacts | WikidataError]:
        """Facts per film; a film Wikidata does not have (or garbles) maps to its error.

        Raises WikidataError when the whole request fails (network, timeout, bad answer).
        """
        for qid in qids:
            if not QID.match(qid or ""):
                raise WikidataError(f"“{qid}” is not a Wikidata id (they look like Q132689).")
        films = self.entities(qids, props="labels|claims", languages="en|de")
        results: dict[str, FilmFacts | WikidataError] = {}
        parsed: dict[str, _Parsed] = {}
        for qid in qids:
            entity = films[qid]
            if "missing" in entity:
                results[qid] = WikidataError(f"Wikidata has no item {qid}.")
                continue
            try:
                parsed[qid] = _parse_film(qid, entity)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                results[qid] = WikidataError(
                    f"Wikidata's record of {qid} was not in the expected form ({exc!r}); "
                    "nothing was changed."
                )
        referenced = list(dict.fromkeys(q for p in parsed.values() for q in p.referenced()))
        labels = _labels(self.entities(referenced, props="labels")) if referenced else {}
        for qid, p in parsed.items():
            results[qid] = p.facts(labels)
        return results


def client_from_settings(**kwargs) -> WikidataClient:
    return WikidataClient(**kwargs)


# --- parsing ------------------------------------------------------------------------------------


def _label(entity: dict, languages=("en", "mul", "de")) -> str:
    labels = entity.get("labels") or {}
    for lang in languages:
        if lang in labels:
            return labels[lang]["value"]
    for value in labels.values():
        return value["value"]
    return ""


def _labels(entities: dict) -> dict[str, str]:
    return {qid: _label(e) for qid, e in entities.items() if "missing" not in e}


def _statements(entity: dict, prop: str) -> list[dict]:
    """Statements of a property with a value, best rank first, deprecated ones dropped."""
    claims = entity.get("claims") or {}
    if not isinstance(claims, dict):
        raise TypeError("claims is not an object")
    statements = [
        s
        for s in claims.get(prop, [])
        if s["rank"] != "deprecated" and s["mainsnak"]["snaktype"] == "value"
    ]
    preferred = [s for s in statements if s["rank"] == "preferred"]
    return preferred + [s for s in statements if s["rank"] != "preferred"]


def _value(statement: dict):
    return statement["mainsnak"]["datavalue"]["value"]


def _item_ids(entity: dict, prop: str) -> list[str]:
    """Item ids of a property in the order Wikidata lists them (unique)."""
    claims = (entity.get("claims") or {}).get(prop, [])
    ids = [
        s["mainsnak"]["datavalue"]["value"]["id"]
        for s in claims
        if s["rank"] != "deprecated" and s["mainsnak"]["snaktype"] == "value"
    ]
    return list(dict.fromkeys(ids))


def _string(entity: dict, prop: str) -> str:
    for statement in _statements(entity, prop):
        value = _value(statement)
        if isinstance(value, str):
            return value
        raise TypeError(f"{prop} is not a string")
    return ""


def _german_opening(entity: dict) -> dt.date | None:
    dates = []
    for statement in _statements(entity, "P577"):
        places = {
            q["datavalue"]["value"]["id"]
            for q in (statement.get("qualifiers") or {}).get("P291", [])
            if q["snaktype"] == "value"
        }
        if not places & GERMANY:
            continue
        value = _value(statement)
        if value["precision"] < 11:  # a year or month is no opening date
            continue
        match = re.match(r"^\+(\d{4})-(\d\d)-(\d\d)T", value["time"])
        if not match:
            raise ValueError(f"P577 time {value['time']!r}")
        dates.append(dt.date(*map(int, match.groups())))
    if not dates:
        return None
    thursdays = [d for d in dates if d.weekday() == 3]
    return min(thursdays or dates)


def _runtime(entity: dict) -> int | None:
    for statement in _statements(entity, "P2047"):
        value = _value(statement)
        amount = float(value["amount"])
        unit = value.get("unit", "").rsplit("/", 1)[-1]
        factor = {MINUTE: 1, HOUR: 60, SECOND: 1 / 60}.get(unit)
        if factor is None:
            continue
        minutes = round(amount * factor)
        if 0 < minutes < 10_000:
            return minutes
    return None


@dataclass
class _Parsed:
    qid: str
    label: str
    german_label: str
    original_title: str
    german_opening: dt.date | None
    languages: list[str]
    countries: list[str]
    runtime: int | None
    directors: list[str]
    writers: list[str]
    cast: list[str]
    imdb_id: str
    tmdb_id: str

    def referenced(self) -> list[str]:
        return [*self.languages, *self.countries, *self.directors, *self.writers, *self.cast]

    def facts(self, labels: dict[str, str]) -> FilmFacts:
        def people(ids):
            return [PersonRef(q, labels[q]) for q in ids if labels.get(q)]

        def country(qid):
            name = labels.get(qid, "")
            return COUNTRY_NAMES.get(name, name)

        return FilmFacts(
            wikidata_id=self.qid,
            label=self.label,
            original_title=self.original_title,
            german_title=self.german_label,
            german_opening=self.german_opening,
            original_languages=[labels[q].capitalize() for q in self.languages if labels.get(q)],
            countries=[c for c in map(country, self.countries) if c],
            runtime_minutes=self.runtime,
            directors=people(self.directors),
            writers=people(self.writers),
            cast=people(self.cast),
            imdb_id=self.imdb_id,
            tmdb_id=self.tmdb_id,
        )


def _parse_film(qid: str, entity: dict) -> _Parsed:
    titles = [_value(s) for s in _statements(entity, "P1476")]
    original_title = titles[0]["text"] if titles else ""
    labels = entity.get("labels") or {}
    imdb_id = _string(entity, "P345")
    return _Parsed(
        qid=qid,
        label=_label(entity),
        german_label=labels["de"]["value"] if "de" in labels else "",
        original_title=original_title,
        german_opening=_german_opening(entity),
        languages=_item_ids(entity, "P364"),
        countries=_item_ids(entity, "P495"),
        runtime=_runtime(entity),
        directors=_item_ids(entity, "P57"),
        writers=_item_ids(entity, "P58"),
        cast=_item_ids(entity, "P161"),
        imdb_id=imdb_id if re.fullmatch(r"tt\d{7,8}", imdb_id) else "",
        tmdb_id=_string(entity, "P4947"),
    )


# --- diff and apply -----------------------------------------------------------------------------

FIELDS = [
    ("german_opening", "German opening date"),
    ("original_title", "Original title"),
    ("german_title", "German title"),
    ("runtime_minutes", "Length (minutes)"),
    ("countries", "Countries"),
    ("languages", "Original language"),
    ("directors", "Directed by"),
    ("writers", "Writing credits"),
    ("cast", "Principal actors (billing order)"),
    ("imdb_id", "IMDb id"),
    ("tmdb_id", "TMDb id"),
]
FIELD_LABELS = dict(FIELDS)
ROLE_FIELDS = {"directors": "director", "writers": "writer", "cast": "actor"}


@dataclass
class Change:
    field: str
    label: str
    current: str
    proposed: str
    empty_now: bool  # nothing recorded yet: safe to fill without asking


def _current(film: Film) -> dict[str, object]:
    credits = list(
        Credit.objects.filter(film=film).select_related("person").order_by("sort_order", "id")
    )
    record = getattr(film, "wikidata_record", None) if film.pk else None
    return {
        "german_opening": film.german_opening,
        "original_title": film.original_title,
        "german_title": film.german_title,
        "runtime_minutes": film.runtime_minutes,
        "countries": [
            fc.country.name
            for fc in FilmCountry.objects.filter(film=film).select_related("country")
        ],
        "languages": [lang.name for lang in film.languages.all()],
        "directors": [c.person.name for c in credits if c.role == "director"],
        "writers": [c.person.name for c in credits if c.role == "writer"],
        "cast": [c.person.name for c in credits if c.role == "actor"],
        "imdb_id": film.imdb_id or "",
        "tmdb_id": record.tmdb_id if record else "",
    }


def _proposed(facts: FilmFacts) -> dict[str, object]:
    return {
        "german_opening": facts.german_opening,
        "original_title": facts.original_title,
        "german_title": facts.german_title,
        "runtime_minutes": facts.runtime_minutes,
        "countries": facts.countries,
        "languages": facts.original_languages,
        "directors": [p.name for p in facts.directors],
        "writers": [p.name for p in facts.writers],
        "cast": [p.name for p in facts.cast],
        "imdb_id": facts.imdb_id,
        "tmdb_id": facts.tmdb_id,
    }


def _show(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y} ({value:%A})"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def film_diff(film: Film, facts: FilmFacts) -> list[Change]:
    """The fields where Wikidata knows something the film does not show, in FIELDS order."""
    current, proposed = _current(film), _proposed(facts)
    changes = []
    for name, label in FIELDS:
        new, old = proposed[name], current[name]
        if new in (None, "", []):
            continue
        if name == "languages":
            if set(new) <= set(old):
                continue
        elif new == old:
            continue
        changes.append(
            Change(
                field=name,
                label=label,
                current=_show(old),
                proposed=_show(sorted(set(old) | set(new)) if name == "languages" else new),
                empty_now=old in (None, "", []),
            )
        )
    return changes


def _person_for(ref: PersonRef, taken_slugs: set[str]) -> Person:
    person = Person.objects.filter(wikidata_id=ref.wikidata_id).first()
    if person:
        return person
    same_name = list(Person.objects.filter(name=ref.name, wikidata_id=None)[:2])
    if len(same_name) == 1:
        person = same_name[0]
        person.wikidata_id = ref.wikidata_id
        person.save(update_fields=["wikidata_id"])
        return person
    if not taken_slugs:
        taken_slugs.update(Person.objects.values_list("slug", flat=True))
    return Person.objects.create(
        name=ref.name,
        slug=unique_slug(ref.name, taken_slugs, fallback="person", max_length=200),
        wikidata_id=ref.wikidata_id,
    )


def apply_facts(film: Film, facts: FilmFacts, fields) -> list[str]:
    """Write the chosen fields from Wikidata to the film (all or nothing); returns what changed.

    Credits of a chosen role are replaced in Wikidata's order; people are found by Wikidata
    id, then by their exact name, else created. Languages are added, never removed.
    """
    from kinocritics.search.models import WikidataRecord

    changes = {c.field: c for c in film_diff(film, facts)}
    chosen = [f for f, _ in FIELDS if f in set(fields) and f in changes]
    unknown = set(fields) - set(FIELD_LABELS)
    if unknown:
        raise WikidataError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if "imdb_id" in chosen:
        other = Film.objects.filter(imdb_id=facts.imdb_id).exclude(pk=film.pk).first()
        if other:
            raise WikidataError(
                f"IMDb id {facts.imdb_id} already belongs to “{other}”. Nothing was changed."
            )
    with transaction.atomic():
        film_fields = [
            f
            for f in ("german_opening", "original_title", "german_title", "runtime_minutes")
            if f in chosen
        ]
        for name in film_fields:
            setattr(film, name, getattr(facts, name))
        if "imdb_id" in chosen:
            film.imdb_id = facts.imdb_id
            film_fields.append("imdb_id")
        if not film.wikidata_id:
            film.wikidata_id = facts.wikidata_id
            film_fields.append("wikidata_id")
        if "countries" in chosen:
            FilmCountry.objects.filter(film=film).delete()
            for i, name in enumerate(facts.countries):
                country, _ = Country.objects.get_or_create(name=name)
                FilmCountry.objects.create(film=film, country=country, sort_order=i)
        if "languages" in chosen:
            for name in facts.original_languages:
                film.languages.add(Language.objects.get_or_create(name=name)[0])
        roles = [f for f in ("directors", "writers", "cast") if f in chosen]
        if roles:
            taken: set[str] = set()
            for name in roles:
                Credit.objects.filter(film=film, role=ROLE_FIELDS[name]).delete()
                for ref in {p.wikidata_id: p for p in getattr(facts, name)}.values():
                    Credit.objects.create(
                        film=film, person=_person_for(ref, taken), role=ROLE_FIELDS[name]
                    )
            credits = Credit.objects.filter(film=film).order_by("sort_order", "id")
            rank = {"director": 0, "writer": 1, "actor": 2}
            for i, c in enumerate(
                sorted(credits, key=lambda c: (rank[c.role], c.sort_order, c.pk))
            ):
                if c.sort_order != i:
                    Credit.objects.filter(pk=c.pk).update(sort_order=i)
        film.save()  # updated_at, sort title, the search index
        record, _ = WikidataRecord.objects.get_or_create(
            film=film,
            defaults={"wikidata_id": facts.wikidata_id, "fetched_at": timezone.now()},
        )
        record.wikidata_id = facts.wikidata_id
        record.facts = facts.as_json()
        record.fetched_at = timezone.now()
        if "tmdb_id" in chosen:
            record.tmdb_id = facts.tmdb_id
        record.applied_fields = chosen
        record.save()
    return chosen
