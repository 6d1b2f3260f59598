"""schema.org JSON-LD for public pages, built from model objects as plain dicts."""

from __future__ import annotations

from django.conf import settings


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.SITE_URL.rstrip('/')}{url}"


def organization() -> dict:
    return {"@type": "Organization", "name": "KinoCritics", "url": absolute("/")}


def breadcrumbs(items: list[tuple[str, str]]) -> dict:
    """items: [(name, url), …] from the home page down to the current page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(url)}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


def person(p, *, url: str | None = None, **extra) -> dict:
    """A Person; `extra` adds schema.org properties (jobTitle, sameAs …), None values dropped."""
    data = {"@type": "Person", "name": p.name}
    if url:
        data["url"] = absolute(url)
    data.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    return data


def review(r, *, include_item: bool = False) -> dict:
    data = {
        "@type": "Review",
        "name": r.title,
        "url": absolute(r.url or ""),
        "author": {**person(r.critic, url=r.critic.get_absolute_url())} if r.critic else None,
        "publisher": organization(),
        "datePublished": r.first_published_at.date().isoformat() if r.first_published_at else None,
        "reviewBody": r.summary or None,
        "inLanguage": "en",
    }
    if r.rating:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": r.rating / 2,
            "bestRating": 4,
            "worstRating": 0.5,
        }
    if include_item and r.film:
        data["itemReviewed"] = {
            "@type": "Movie",
            "name": r.film.title,
            "url": absolute(r.film.get_absolute_url()),
        }
    return {k: v for k, v in data.items() if v is not None}


def movie(film, *, image_url: str | None = None) -> dict:
    groups = {g.role: g.people for g in getattr(film, "credit_groups", [])}
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(film.get_absolute_url()),
        "alternateName": [t for _, t in film.other_titles] or None,
        "dateCreated": str(film.year) if film.year else None,
        "datePublished": film.german_opening.isoformat() if film.german_opening else None,
        "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes else None,
        "countryOfOrigin": [
            {"@type": "Country", "name": fc.country.name} for fc in film.film_countries.all()
        ]
        or None,
        "genre": [g.name for g in film.genres.all()] or None,
        "inLanguage": [lang.name for lang in film.languages.all()] or None,
        "director": [person(p, url=p.get_absolute_url()) for p in groups.get("director", [])]
        or None,
        "author": [person(p, url=p.get_absolute_url()) for p in groups.get("writer", [])] or None,
        "actor": [person(p, url=p.get_absolute_url()) for p in groups.get("actor", [])] or None,
        "image": image_url,
        "sameAs": [
            u
            for u in (
                f"https://www.wikidata.org/wiki/{film.wikidata_id}" if film.wikidata_id else None,
                f"https://www.imdb.com/title/{film.imdb_id}/" if film.imdb_id else None,
            )
            if u
        ]
        or None,
        "review": [review(r) for r in getattr(film, "live_reviews", [])] or None,
    }
    return {k: v for k, v in data.items() if v is not None}


def profile_page(*, name: str, url: str, description: str = "", extra: dict | None = None) -> dict:
    main = {"@type": "Person", "name": name, "url": absolute(url), **(extra or {})}
    if description:
        main["description"] = description
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute(url),
        "mainEntity": main,
    }


def article(page) -> dict:
    authors = [person(c, url=c.get_absolute_url()) for c in page.authors.all()]
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title[:110],
        "url": absolute(page.url or ""),
        "author": authors if authors and not page.group_byline else [organization()],
        "publisher": organization(),
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
        "description": page.summary or None,
        "inLanguage": "en",
        "articleSection": page.get_kind_display(),
    }
    if page.edition_id:
        edition = page.edition
        data["about"] = {
            "@type": "Festival",
            "name": str(edition),
            "url": absolute(edition.get_absolute_url()),
        }
    return {k: v for k, v in data.items() if v is not None}
