from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from kinocritics.core import jsonld

from . import film_page, selectors
from .models import Country, Genre

FILMS_PER_PAGE = 48
LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "#"]


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    # Larger numbers are no id or year, and overflow the database's integer columns.
    return number if number is None or abs(number) < 2**31 else None


@require_safe
def film_list(request):
    letter = request.GET.get("letter", "").upper()
    filters = selectors.FilmFilters(
        year=_int_or_none(request.GET.get("year")),
        country=_int_or_none(request.GET.get("country")),
        genre=request.GET.get("genre") or None,
        letter=letter if letter in LETTERS else None,
        order="opening" if request.GET.get("order") == "opening" else "az",
    )
    page = Paginator(selectors.film_list(filters), FILMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "films/film_list.html",
        {
            "films_page": page,
            "filters": filters,
            "letters": LETTERS,
            "years": selectors.film_year_range(),
            "countries": Country.objects.only("id", "name", "short_name"),
            "genres": Genre.objects.all(),
            "breadcrumbs": jsonld.breadcrumbs([("Home", "/"), ("Films", reverse("films:list"))]),
        },
    )


@require_safe
def film_detail(request, slug: str):
    main, shows = film_page.film_page(request, slug)
    return render(
        request,
        "films/film_detail.html",
        {"main": main, "shows": shows},
    )


@require_safe
def person_detail(request, slug: str):
    filmography = selectors.person_filmography(slug=slug)
    person = filmography.person
    roles = {label for label, _ in filmography.groups}
    job = {"Directed": "Film director", "Wrote": "Screenwriter", "Acted in": "Actor"}
    return render(
        request,
        "films/person_detail.html",
        {
            "filmography": filmography,
            "person": person,
            "structured_data": [
                jsonld.profile_page(
                    name=person.name,
                    url=person.get_absolute_url(),
                    extra=jsonld.person(
                        person,
                        url=person.get_absolute_url(),
                        jobTitle=[job[r] for r in sorted(roles)],
                        sameAs=[f"https://www.wikidata.org/wiki/{person.wikidata_id}"]
                        if person.wikidata_id
                        else None,
                        subjectOf=[
                            {
                                "@type": "Article",
                                "headline": article.title,
                                "url": jsonld.absolute(article.url or ""),
                                "articleSection": article.get_kind_display(),
                            }
                            for article in [*filmography.interviews, *filmography.articles]
                        ],
                    ),
                ),
                jsonld.breadcrumbs(
                    [
                        ("Home", "/"),
                        ("Films", reverse("films:list")),
                        (person.name, person.get_absolute_url()),
                    ]
                ),
            ],
        },
    )
