from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from kinocritics.core import jsonld
from kinocritics.core.views import legacy_id

from . import selectors
from .grid import grid_html
from .models import ArticlePage


@require_safe
def festival_list(request):
    return render(
        request,
        "festivals/festival_list.html",
        {
            "festivals": selectors.festival_list(),
            "structured_data": jsonld.breadcrumbs(
                [("Home", "/"), ("Festivals", reverse("festivals:list"))]
            ),
        },
    )


@require_safe
def edition_detail(request, festival: str, year: int):
    sort = request.GET.get("sort", "title").lower()
    page = selectors.edition_page(festival=festival, year=year, sort=sort)
    edition = page.edition
    return render(
        request,
        "festivals/edition.html",
        {
            "page_data": page,
            "edition": edition,
            "sort": sort,
            "grid_html": grid_html(page=page, sort=sort),
            "structured_data": [
                {
                    "@context": "https://schema.org",
                    "@type": "Festival",
                    "name": str(edition),
                    "url": jsonld.absolute(edition.get_absolute_url()),
                    **({"startDate": edition.start_date.isoformat()} if edition.start_date else {}),
                    **({"endDate": edition.end_date.isoformat()} if edition.end_date else {}),
                    **(
                        {"location": {"@type": "Place", "name": edition.city}}
                        if edition.city
                        else {}
                    ),
                },
                jsonld.breadcrumbs(
                    [
                        ("Home", "/"),
                        ("Festivals", reverse("festivals:list")),
                        (str(edition), edition.get_absolute_url()),
                    ]
                ),
            ],
        },
    )


@require_safe
def legacy_article(request):
    article = ArticlePage.objects.live().filter(legacy_id=legacy_id(request, "ar")).first()
    if article is None:
        raise Http404("That old article link is not on the new site.")
    return HttpResponsePermanentRedirect(article.url)
