"""Writes for festival coverage: keeping the entries table in step with published articles."""

from __future__ import annotations

from django.db import transaction

from .models import ArticlePage, EntryRating, FestivalEntry


def _title(value) -> str:
    film = value.get("film")
    return film.title if film else (value.get("title") or "").strip()


@transaction.atomic
def entries_sync(*, article: ArticlePage) -> int:
    """Rebuild the article's festival entries and ratings from its live body; returns the count."""
    FestivalEntry.objects.filter(article=article).delete()
    if not article.live:
        return 0
    entries: list[FestivalEntry] = []
    ratings: list[list[tuple]] = []
    for position, block in enumerate(article.body):
        value = block.value
        if block.block_type == "festival_review":
            stars = int(value["stars"]) if value.get("stars") else None
            author = value.get("author")
            entries.append(
                FestivalEntry(
                    kind=FestivalEntry.Kind.REVIEW,
                    critic=author,
                    half_stars=stars,
                    text=value.get("text") or value.get("cross_reference") or "",
                    directors=value.get("directors") or "",
                    countries=value.get("countries") or "",
                )
            )
            rows = [(author, stars, True)] if author and stars else []
            rows += [
                (c["critic"], int(c["stars"]), False)
                for c in value.get("co_ratings") or []
                if c.get("critic") and c.get("stars") and c["critic"] != author
            ]
            ratings.append(rows)
        elif block.block_type == "capsule":
            entries.append(
                FestivalEntry(
                    kind=FestivalEntry.Kind.CAPSULE, critic=value.get("critic"), text=value["text"]
                )
            )
            ratings.append([])
        elif block.block_type == "prize":
            entries.append(
                FestivalEntry(
                    kind=FestivalEntry.Kind.PRIZE,
                    award=value["award"],
                    amount=value.get("amount") or "",
                    directors=value.get("director") or "",
                )
            )
            ratings.append([])
        else:
            continue
        entry = entries[-1]
        entry.article = article
        entry.edition_id = article.edition_id
        entry.position = position
        entry.film = value.get("film")
        entry.title = _title(value)[:255]
    FestivalEntry.objects.bulk_create(entries)
    rating_rows = []
    seen: set[tuple[int, int]] = set()
    for entry, rows in zip(entries, ratings, strict=True):
        for critic, stars, is_author in rows:
            if (entry.pk, critic.pk) in seen:
                continue
            seen.add((entry.pk, critic.pk))
            rating_rows.append(
                EntryRating(entry=entry, critic=critic, half_stars=stars, is_author=is_author)
            )
    EntryRating.objects.bulk_create(rating_rows)
    return len(entries)


def review_list_blocks(*, draft) -> list[dict]:
    """A parsed review list as raw StreamField data: one festival review block per entry.

    Problems the parser flagged are kept in the text, so nothing an editor pasted is lost.
    """
    blocks = []
    for entry in draft.entries:
        co_ratings = [
            {"critic": c.critic_id, "stars": str(c.half_stars)}
            for c in entry.co_ratings
            if c.critic_id and c.half_stars and c.critic_id != entry.author_critic_id
        ]
        unresolved = [c.raw for c in entry.co_ratings if not (c.critic_id and c.half_stars)]
        text = entry.text
        if unresolved or (entry.stars_raw and entry.half_stars is None):
            kept = ", ".join(filter(None, [entry.stars_raw if entry.half_stars is None else "",
                                           *unresolved]))  # fmt: skip
            text = f"{text}\n[Check: {kept}]".strip()
        blocks.append(
            {
                "type": "festival_review",
                "value": {
                    "film": entry.film_id,
                    "title": "" if entry.film_id else entry.title,
                    "stars": str(entry.half_stars) if entry.half_stars else "",
                    "directors": ", ".join(entry.directors),
                    "countries": "/".join(entry.countries),
                    "german_start": entry.german_start_raw,
                    "text": text,
                    "cross_reference": entry.cross_reference,
                    "author": entry.author_critic_id,
                    "co_ratings": co_ratings,
                },
            }
        )
    return blocks


def article_draft_create(
    *, title: str, edition, blocks: list[dict], kind: str = "festival_report", intro: str = ""
) -> ArticlePage:
    """Save a new unpublished festival article holding the given blocks, for an editor to check."""
    from django.utils.text import slugify

    from .models import ArticleIndexPage

    index = ArticleIndexPage.objects.get()
    base = slugify(title)[:70] or "festival-list"
    slug, n = base, 2
    while ArticlePage.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    body = ([{"type": "paragraph", "value": f"<p>{intro}</p>"}] if intro else []) + blocks
    article = ArticlePage(title=title, slug=slug, kind=kind, edition=edition, body=body, live=False)
    index.add_child(instance=article)
    article.save_revision()
    return article
