import datetime as dt

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from kinocritics.core import jsonld

from . import openings, services

SUGGEST_MAX_AGE = 300


@require_safe
def search(request):
    query = services.clean_query(request.GET.get("q"))
    kind = request.GET.get("kind")
    kind = kind if kind in services.KIND_ORDER else None
    results = services.search(query, kind=kind) if query else None
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "kind": kind,
            "kind_label": services.KIND_LABELS.get(kind, ""),
            "results": results,
            "breadcrumbs": jsonld.breadcrumbs(
                [("Home", "/"), ("Search", reverse("search:search"))]
            ),
        },
    )


@require_safe
def suggest(request):
    query = services.clean_query(request.GET.get("q"))
    hits = services.suggest(query)
    response = JsonResponse(
        {
            "query": query,
            "results": [h.as_json() for h in hits],
            "search_url": f"{reverse('search:search')}?{urlencode({'q': query})}"
            if query
            else None,
        }
    )
    patch_cache_control(response, public=True, max_age=SUGGEST_MAX_AGE)
    return response


def _start(request) -> dt.date:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today
    return openings.thursday_of(start)


@require_safe
def opening_list(request):
    start = _start(request)
    weeks = openings.opening_weeks(start)
    span = dt.timedelta(weeks=openings.WEEKS_PER_PAGE)
    url = reverse("search:openings")
    this_week = openings.thursday_of(timezone.localdate())
    return render(
        request,
        "search/openings.html",
        {
            "weeks": weeks,
            "start": start,
            "this_week": this_week,
            "earlier": start - span,
            "later": start + span,
            "film_count": sum(len(w.films) for w in weeks),
            "structured_data": [
                openings.item_list(weeks, url=url if start == this_week else f"{url}?from={start}"),
                jsonld.breadcrumbs([("Home", "/"), ("Openings", url)]),
            ],
        },
    )


@require_safe
def openings_ics(request):
    response = HttpResponse(
        openings.openings_calendar(today=timezone.localdate()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="kinocritics-openings.ics"'
    return response
