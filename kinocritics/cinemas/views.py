import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from kinocritics.core import jsonld as core_jsonld

from . import selectors
from .calendars import screenings_calendar
from .jsonld import movie_theater, screening_events
from .models import Cinema
from .versions import LANGUAGE_NAMES, Version

MAX_LISTED = 250  # a reader narrows by day, cinema or version beyond this
VERSION_CHOICES = [
    ("", "All versions"),
    (selectors.ENGLISH_FRIENDLY, "English-friendly (English audio or English subtitles)"),
    (selectors.ORIGINAL, "Any original version"),
    *[(v.value, v.label) for v in Version if v != Version.UNKNOWN],
]
TIME_CHOICES = [dt.time(h) for h in range(10, 24)]


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from_query(query) -> selectors.ShowtimeFilters:
    """Reader filters from a query string; anything unreadable is ignored, never an error."""
    version = query.get("version") or None
    if version not in {v for v, _ in VERSION_CHOICES if v}:
        version = None
    audio = (query.get("audio") or "").lower() or None
    return selectors.ShowtimeFilters(
        city=slugify(query.get("city", "")) or None,
        cinemas=tuple(slugify(c) for c in query.getlist("cinema") if c)[:50],
        day=_parse_date(query.get("day")),
        from_time=_parse_time(query.get("from")),
        version=version,
        audio=audio if audio in LANGUAGE_NAMES else None,
        film=slugify(query.get("film", "")) or None,
    )


@require_safe
def showtimes(request):
    filters = filters_from_query(request.GET)
    view = "cinema" if request.GET.get("view") == "cinema" else "film"
    screenings = selectors.showtimes_listing(filters, limit=MAX_LISTED + 1)
    truncated = len(screenings) > MAX_LISTED
    screenings = screenings[:MAX_LISTED]
    today = timezone.localdate()
    context = {
        "filters": filters,
        "view": view,
        "truncated": truncated,
        "count": len(screenings),
        "days": [today + dt.timedelta(days=n) for n in range(selectors.DAYS_AHEAD)],
        "times": TIME_CHOICES,
        "version_choices": VERSION_CHOICES,
        "cities": selectors.cities_with_cinemas(),
        "cinemas": selectors.cinema_choices(city=filters.city),
        "audio_choices": [
            (code, LANGUAGE_NAMES.get(code, code)) for code in selectors.audio_languages_showing()
        ],
        "stale": selectors.stale_sources({s.cinema_id for s in screenings}),
        "ics_url": f"{reverse('cinemas:showtimes-ics')}?{request.GET.urlencode()}",
        "structured_data": screening_events(screenings),
    }
    if view == "cinema":
        context["by_cinema"] = selectors.group_by_day_and_cinema(screenings)
    else:
        context["by_film"] = selectors.group_by_day_and_film(screenings)
    return render(request, "cinemas/showtimes.html", context)


@require_safe
def showtimes_ics(request):
    filters = filters_from_query(request.GET)
    screenings = selectors.showtimes(filters)[:MAX_LISTED]
    body = screenings_calendar(screenings, name="KinoCritics: original-language showtimes")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@require_safe
def cinema_list(request):
    cinemas = list(selectors.cinema_list())
    return render(
        request,
        "cinemas/cinema_list.html",
        {
            "cinemas": cinemas,
            "stale": selectors.stale_sources({c.pk for c in cinemas}),
            "structured_data": core_jsonld.breadcrumbs(
                [("Home", "/"), ("Cinemas", reverse("cinemas:list"))]
            ),
        },
    )


@require_safe
def cinema_detail(request, slug: str):
    cinema = get_object_or_404(Cinema.objects.select_related("city"), slug=slug, active=True)
    filters = selectors.ShowtimeFilters(cinemas=(cinema.slug,))
    screenings = selectors.showtimes_listing(filters, limit=MAX_LISTED)
    theater = {"@context": "https://schema.org", **movie_theater(cinema)}
    events = screening_events(screenings)
    if events:
        theater["event"] = events["@graph"]
    return render(
        request,
        "cinemas/cinema_detail.html",
        {
            "cinema": cinema,
            "by_film": selectors.group_by_day_and_film(screenings),
            "stale": selectors.stale_sources({cinema.pk}),
            "structured_data": [
                theater,
                core_jsonld.breadcrumbs(
                    [
                        ("Home", "/"),
                        ("Cinemas", reverse("cinemas:list")),
                        (cinema.name, cinema.get_absolute_url()),
                    ]
                ),
            ],
        },
    )


@require_safe
def cinema_ics(request, slug: str):
    cinema = get_object_or_404(Cinema, slug=slug, active=True)
    screenings = selectors.showtimes(selectors.ShowtimeFilters(cinemas=(cinema.slug,)))
    body = screenings_calendar(screenings[:MAX_LISTED], name=f"{cinema.name} — KinoCritics")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
