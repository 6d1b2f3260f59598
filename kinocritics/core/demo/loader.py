"""`load_demo`: invented critics, our own reviews of real films, stills and opening dates.

Idempotent: critics are keyed by initials, reviews by their legacy id, films by Wikidata id
(Red Rocket, which is newer than the catalogue, by its slug).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kinocritics.core.models import CreditedImage, this_thursday
from kinocritics.critics.models import Critic
from kinocritics.films.models import Country, Credit, Film, FilmCountry, Genre, Language, Person
from kinocritics.reviews.models import ReviewIndexPage, ReviewPage
from kinocritics.reviews.ratings import parse_stars

from .stills import portrait_png, still_png

CONTENT = Path(__file__).with_name("content.toml")
DEMO_CREDIT = "KinoCritics demo image"
DEMO_EDITOR = "editor"

# Facts (not prose): how these films are titled in Germany and in the original.
TITLES = {
    "Q271830": {"german_title": "Der dritte Mann"},
    "Q193570": {"german_title": "Boulevard der Dämmerung"},
    "Q26060": {"original_title": "Tōkyō monogatari", "german_title": "Die Reise nach Tokyo"},
    "Q202548": {"german_title": "Vertigo – Aus dem Reich der Toten"},
    "Q86427": {"original_title": "À bout de souffle", "german_title": "Außer Atem"},
    "Q1199628": {"original_title": "Cléo de 5 à 7", "german_title": "Mittwoch zwischen 5 und 7"},
    "Q1584406": {"original_title": "Seppuku"},
    "Q543810": {"title": "Angst essen Seele auf", "english_title": "Ali: Fear Eats the Soul"},
    "Q694781": {"title": "Der amerikanische Freund", "english_title": "The American Friend"},
    "Q156911": {"title": "Der Himmel über Berlin", "english_title": "Wings of Desire"},
    "Q325648": {"title": "Gegen die Wand", "english_title": "Head-On"},
    "Q1756560": {"german_title": "Withnail & I"},
}

RED_ROCKET = {
    "slug": "red-rocket-2021",
    "title": "Red Rocket",
    "year": 2021,
    "german_opening": dt.date(2022, 4, 14),
    "runtime_minutes": 130,
    "countries": ["United States"],
    "languages": ["English"],
    "genres": ["Comedy", "Drama"],
    "director": ["Sean Baker"],
    "writer": ["Sean Baker", "Chris Bergoch"],
    "actor": ["Simon Rex", "Bree Elrod", "Suzanna Son", "Judy Hill", "Brenda Deiss"],
}


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    screening_runs: list[str] = field(default_factory=list)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.created:
            return "Demo content is already loaded: nothing changed."
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(self.created.items()))
        return f"Demo content loaded: {parts}."


def _paragraphs_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)


def _person(name: str, report: DemoReport) -> Person:
    person = Person.objects.filter(name=name).first()
    if person is None:
        slug, n = slugify(name), 2
        base = slug
        while Person.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        person = Person.objects.create(name=name, slug=slug)
        report.add("people")
    return person


def _red_rocket(report: DemoReport) -> Film:
    facts = RED_ROCKET
    film = Film.objects.filter(slug=facts["slug"]).first()
    if film:
        return film
    film = Film.objects.create(
        slug=facts["slug"],
        title=facts["title"],
        year=facts["year"],
        german_opening=facts["german_opening"],
        runtime_minutes=facts["runtime_minutes"],
    )
    report.add("films")
    for position, name in enumerate(facts["countries"]):
        country, _ = Country.objects.get_or_create(name=name, defaults={"short_name": "U.S.A."})
        FilmCountry.objects.create(film=film, country=country, sort_order=position)
    film.languages.set([Language.objects.get_or_create(name=n)[0] for n in facts["languages"]])
    film.genres.set(
        [
            Genre.objects.get_or_create(name=n, defaults={"slug": slugify(n)})[0]
            for n in facts["genres"]
        ]
    )
    position = 0
    for role in ("director", "writer", "actor"):
        for name in facts[role]:
            Credit.objects.create(
                film=film, person=_person(name, report), role=role, sort_order=position
            )
            position += 1
    return film


def _ensure_catalogue_films(wikidata_ids: set[str]) -> None:
    """Import just the demo films from the bundled catalogue when the full import has not run."""
    missing = wikidata_ids - set(
        Film.objects.filter(wikidata_id__in=wikidata_ids).values_list("wikidata_id", flat=True)
    )
    if missing:
        from bokeh_sampledata.movies_data import movie_path

        from kinocritics.films.importers import catalogue_import

        catalogue_import(path=Path(movie_path), wikidata_ids=missing)


def _image(*, title: str, png: bytes, credit: str, report: DemoReport) -> CreditedImage:
    existing = CreditedImage.objects.filter(title=title).first()
    if existing:
        return existing
    image = CreditedImage(title=title, credit=credit)
    image.file = ImageFile(io.BytesIO(png), name=f"{slugify(title)}.png")
    image.save()
    report.add("images")
    return image


def _editor(report: DemoReport, password: str) -> None:
    User = get_user_model()
    if not User.objects.filter(username=DEMO_EDITOR).exists():
        User.objects.create_superuser(DEMO_EDITOR, "editor@example.org", password)
        report.add("editor accounts")


@transaction.atomic
def demo_load(*, today: dt.date | None = None, editor_password: str) -> DemoReport:
    """Load (or top up) the demo content; a second run changes nothing."""
    report = DemoReport()
    content = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    today = today or timezone.localdate()
    week = this_thursday(today)
    _editor(report, editor_password)

    critics: dict[str, Critic] = {}
    for item in content["critics"]:
        critic = Critic.objects.filter(initials=item["initials"]).first()
        if critic is None:
            photo = _image(
                title=f"Portrait: {item['name']}",
                png=portrait_png(initials=item["initials"]),
                credit=DEMO_CREDIT,
                report=report,
            )
            critic = Critic.objects.create(
                name=item["name"],
                slug=slugify(item["name"]),
                initials=item["initials"],
                legacy_id=item["legacy_id"],
                bio=_paragraphs_html(item["bio"]),
                photo=photo,
            )
            report.add("critics")
        critics[item["initials"]] = critic

    reviews = content["reviews"]
    _ensure_catalogue_films({r["wikidata_id"] for r in reviews if r["title"] != "Red Rocket"})
    index = ReviewIndexPage.objects.get()
    now = timezone.now()
    for item in reviews:
        if item["title"] == "Red Rocket":
            film = _red_rocket(report)
        else:
            film = Film.objects.get(wikidata_id=item["wikidata_id"])
            changes = {"german_opening": week + dt.timedelta(weeks=item["opening_in_weeks"])}
            changes.update(TITLES.get(item["wikidata_id"], {}))
            if film.german_opening is None:
                for name, value in changes.items():
                    setattr(film, name, value)
                film.save()
        if ReviewPage.objects.filter(legacy_id=item["legacy_id"]).exists():
            continue
        still = _image(
            title=f"Still: {film.title} ({film.year})",
            png=still_png(title=film.title, subtitle=f"{film.year} · KinoCritics demo still"),
            credit=DEMO_CREDIT,
            report=report,
        )
        page = ReviewPage(
            title=film.title,
            slug=slugify(f"{film.title}-{film.year}")[:80],
            film=film,
            critic=critics[item["critic"]],
            rating=parse_stars(item["rating"]) if item["rating"] else None,
            still=still,
            summary=item["summary"],
            body=_paragraphs_html(item["body"]),
            legacy_id=item["legacy_id"],
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        published = now - dt.timedelta(days=item["published_days_ago"])
        ReviewPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
        report.add("reviews")

    from kinocritics.cinemas.demo.loader import cinemas_demo_load
    from kinocritics.festivals.demo.loader import festivals_demo_load

    festivals_demo_load(report=report)

    for run in cinemas_demo_load(today=today):
        report.screening_runs.append(str(run))
    return report
