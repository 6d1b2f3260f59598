"""Editors' tools: the unmatched-listings queue and 'import now' for a source."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinocritics.films.models import Film

from .matching import listing_assign
from .models import ListingTitle, Screening, Source
from .services import screening_import


def _editor_required(request):
    if not request.user.has_perm("cinemas.change_screening"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


def listing_queue(request):
    """Listing titles the importer could not match with confidence, most shows first."""
    _editor_required(request)
    show = request.GET.get("show", "review")
    decisions = {"review": ["review"], "none": ["none"], "all": ["review", "none"]}[
        show if show in ("review", "none", "all") else "review"
    ]
    listings = ListingTitle.objects.filter(
        decision__in=decisions, decided_by_editor=False
    ).order_by("title")
    page = Paginator(listings, 50).get_page(request.GET.get("page"))
    suggested_ids = {s["film_id"] for item in page for s in item.suggestions if "film_id" in s}
    films = Film.objects.in_bulk(suggested_ids)
    upcoming = dict(
        Screening.objects.filter(
            title_key__in=[item.title_key for item in page], start__gte=timezone.now()
        )
        .values("title_key")
        .annotate(n=Count("id"))
        .values_list("title_key", "n")
    )
    for item in page:
        item.upcoming = upcoming.get(item.title_key, 0)
        item.suggested_films = [
            (films[s["film_id"]], s.get("score"))
            for s in item.suggestions
            if s.get("film_id") in films
        ]
    return TemplateResponse(
        request,
        "cinemas/admin/listing_queue.html",
        {"page_obj": page, "show": show, "now": timezone.now()},
    )


def _film_from_reference(ref: str) -> Film | None:
    """A film from its id, Wikidata id, slug or page address, as an editor pastes it."""
    if ref.isdigit():
        return Film.objects.filter(pk=int(ref)).first()
    if ref.upper().startswith("Q") and ref[1:].isdigit():
        return Film.objects.filter(wikidata_id=ref.upper()).first()
    return Film.objects.filter(slug=ref.rstrip("/").rsplit("/", 1)[-1]).first()


@require_POST
def listing_assign_view(request, listing_id: int):
    _editor_required(request)
    listing = get_object_or_404(ListingTitle, pk=listing_id)
    film = None
    film_ref = request.POST.get("film", "").strip()
    if film_ref:
        film = _film_from_reference(film_ref)
        if film is None:
            messages.error(
                request,
                f"No film “{film_ref}”: paste a film page address, its slug or its Wikidata id.",
            )
            return redirect("cinemas_listing_queue")
    listing_assign(listing=listing, film=film, editor=request.user)
    if film:
        messages.success(request, f"“{listing.title}” now shows as {film}.")
    else:
        messages.success(request, f"“{listing.title}” is marked as not in the catalogue.")
    return redirect("cinemas_listing_queue")


@require_POST
def source_import_view(request, source_id: int):
    _editor_required(request)
    source = get_object_or_404(Source, pk=source_id)
    run = screening_import(source=source)
    (messages.success if run.ok else messages.warning)(request, str(run))
    return redirect("wagtailsnippets_cinemas_source:list")
