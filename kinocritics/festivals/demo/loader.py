"""Demo festival coverage and articles, from content.toml (our own prose, invented people)."""

from __future__ import annotations

import datetime as dt
import html
import tomllib
from pathlib import Path

from django.utils import timezone

from kinocritics.cinemas.matching import FilmMatcher
from kinocritics.critics.models import Critic
from kinocritics.films.models import Film

from ..models import ArticleIndexPage, ArticlePage, Festival, FestivalEdition
from ..services import review_list_blocks

CONTENT = Path(__file__).with_name("content.toml")


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in parts)


def _film_id(title: str, year: int | None, wikidata_id: str = "") -> int | None:
    if wikidata_id:
        return Film.objects.filter(wikidata_id=wikidata_id).values_list("id", flat=True).first()
    films = Film.objects.filter(title=title)
    if year:
        films = films.filter(year__in=[year - 1, year, year + 1])
    found = list(films.values_list("id", flat=True)[:2])
    return found[0] if len(found) == 1 else None


def _blocks(item: dict, *, critics: dict[str, Critic], edition, matcher) -> list[dict]:
    from ..review_list import critic_refs, review_list_parse

    blocks: list[dict] = []
    for block in item.get("blocks", []):
        kind = block["type"]
        critic = critics.get(block.get("critic", ""))
        if kind == "paragraph":
            blocks.append({"type": "paragraph", "value": _paragraphs(block["text"])})
        elif kind == "quote":
            blocks.append(
                {"type": "quote", "value": {"text": block["text"].strip(),
                                            "attribution": block.get("attribution", "")}}
            )  # fmt: skip
        elif kind == "qa":
            fields = ("speaker", "initials", "text")
            blocks.append({"type": "qa", "value": {k: block[k].strip() for k in fields}})
        elif kind == "review_list":
            draft = review_list_parse(
                block["text"],
                critics=critic_refs(),
                matcher=matcher,
                year=edition.year if edition else None,
                when=edition.start_date if edition else None,
            )
            blocks.extend(review_list_blocks(draft=draft))
        elif kind in ("capsule", "prize", "list_item"):
            film_id = _film_id(
                block.get("film_title", ""), block.get("year"), block.get("wikidata_id", "")
            )
            value = {"film": film_id, "title": "" if film_id else block.get("film_title", "")}
            if kind == "capsule":
                value |= {"text": block["text"].strip(), "critic": critic.pk if critic else None,
                          "see_also": None, "see_also_text": block.get("see_also", "")}  # fmt: skip
            elif kind == "prize":
                value |= {"award": block["award"], "amount": block.get("amount", ""),
                          "director": block.get("director", "")}  # fmt: skip
            else:
                value |= {"heading": block.get("heading", ""), "text": block["text"].strip(),
                          "critic": critic.pk if critic else None}  # fmt: skip
            blocks.append({"type": kind, "value": value})
    return blocks


def festivals_demo_load(*, report) -> None:
    """Create the demo festivals, editions and articles (idempotent, keyed by legacy id)."""
    if not CONTENT.exists():
        return
    content = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    festivals = {}
    for item in content.get("festivals", []):
        festivals[item["slug"]], created = Festival.objects.get_or_create(
            slug=item["slug"],
            defaults={k: item.get(k, "") for k in ("name", "city", "description")},
        )
        if created:
            report.add("festivals")
    editions = {}
    for item in content.get("editions", []):
        festival = festivals[item["festival"]]
        edition, created = FestivalEdition.objects.get_or_create(
            festival=festival,
            year=item["year"],
            defaults={
                "start_date": dt.date.fromisoformat(str(item["start_date"])),
                "end_date": dt.date.fromisoformat(str(item["end_date"])),
                "city": item.get("city", ""),
                "sections": "\n".join(item.get("sections", [])),
            },
        )
        editions[f"{festival.slug}-{item['year']}"] = edition
        if created:
            report.add("festival editions")
    critics = {c.initials: c for c in Critic.objects.all()}
    index = ArticleIndexPage.objects.get()
    matcher = None
    for item in content.get("articles", []):
        if ArticlePage.objects.filter(legacy_id=item["legacy_id"]).exists():
            continue
        matcher = matcher or FilmMatcher.from_db()
        edition = editions.get(item.get("edition", ""))
        article = ArticlePage(
            title=item["title"],
            slug=item["slug"],
            kind=item["kind"],
            edition=edition,
            group_byline=item.get("group_byline", False),
            summary=item.get("summary", ""),
            legacy_id=item["legacy_id"],
            body=_blocks(item, critics=critics, edition=edition, matcher=matcher),
        )
        article.authors.set([critics[i] for i in item.get("authors", []) if i in critics])
        index.add_child(instance=article)
        article.save_revision().publish()
        published = timezone.make_aware(
            dt.datetime.combine(dt.date.fromisoformat(str(item["published"])), dt.time(9))
        )
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published, last_published_at=published
        )
        report.add("articles")
