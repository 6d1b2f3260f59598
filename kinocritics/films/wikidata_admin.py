"""Admin: "Fetch facts from Wikidata" on a film — a diff the editor accepts field by field."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import EditView

from . import wikidata
from .models import Film

EDIT_URL_NAME = "wagtailsnippets_films_film:edit"


def _edit_url(film: Film) -> str:
    return reverse(EDIT_URL_NAME, args=[film.pk])


def wikidata_facts(request, film_id: int):
    """GET: what Wikidata would change. POST: apply the ticked fields, then back to the film."""
    if not request.user.has_perm("films.change_film"):
        raise PermissionDenied
    film = get_object_or_404(Film, pk=film_id)
    context = {"film": film, "edit_url": _edit_url(film), "changes": [], "error": ""}

    def page(status=200):
        return TemplateResponse(request, "films/admin/wikidata_facts.html", context, status=status)

    if not film.wikidata_id:
        context["error"] = (
            "This film has no Wikidata id yet. Add it under “External ids” (it looks like "
            "Q132689), save the film, and fetch again."
        )
        return page()
    try:
        with wikidata.client_from_settings() as client:
            facts = client.film_facts(film.wikidata_id)
    except wikidata.WikidataError as exc:
        context["error"] = str(exc)
        return page(status=502 if request.method == "POST" else 200)
    context["facts"] = facts
    context["changes"] = wikidata.film_diff(film, facts)
    if request.method == "POST":
        chosen = request.POST.getlist("fields")
        if not chosen:
            messages.warning(request, "Nothing was changed: tick the fields you want to accept.")
            return page()
        try:
            applied = wikidata.apply_facts(film, facts, chosen)
        except wikidata.WikidataError as exc:
            messages.error(request, str(exc))
            return page()
        if applied:
            labels = ", ".join(wikidata.FIELD_LABELS[f] for f in applied)
            messages.success(request, f"Accepted from Wikidata for “{film.title}”: {labels}.")
        else:
            messages.info(request, "Nothing was changed: the film already shows those facts.")
        return redirect(_edit_url(film))
    return page()


class FilmEditView(EditView):
    """The film editor, with "Fetch facts from Wikidata" in its header menu."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                "Fetch facts from Wikidata",
                url=reverse("films_wikidata_facts", args=[self.object.pk]),
                icon_name="download",
                priority=5,
            )
        )
        return buttons


@hooks.register("register_admin_urls")
def register_wikidata_urls():
    return [
        path(
            "films/wikidata/<int:film_id>/",
            wikidata_facts,
            name="films_wikidata_facts",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def wikidata_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Film) and user.has_perm("films.change_film"):
        yield Button(
            "Fetch facts from Wikidata",
            url=reverse("films_wikidata_facts", args=[snippet.pk]),
            icon_name="download",
            priority=50,
        )
