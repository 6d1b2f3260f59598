"""Paste an old-style festival review list, check what was read, save it as a draft article."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from kinocritics.cinemas.matching import FilmMatcher
from kinocritics.critics.models import Critic
from kinocritics.films.models import Film
from kinocritics.reviews.ratings import stars_display

from .models import FestivalEdition
from .services import article_draft_create, review_list_blocks

MAX_PASTE = 500_000


class PasteForm(forms.Form):
    edition = forms.ModelChoiceField(FestivalEdition.objects.select_related("festival"))
    title = forms.CharField(max_length=255, initial="Film Reviews – Part I")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=MAX_PASTE,
        help_text="Title ****, then Director, Country, optional 'Starts …', the text and "
        "(Author Name, BS***, KB**1/2). One blank line between entries.",
    )


def paste_review_list(request):
    if not request.user.has_perm("festivals.add_articlepage"):
        raise PermissionDenied
    from .review_list import critic_refs, review_list_parse

    form = PasteForm(request.POST or None)
    draft = None
    if request.method == "POST" and form.is_valid():
        edition = form.cleaned_data["edition"]
        draft = review_list_parse(
            form.cleaned_data["text"],
            critics=critic_refs(),
            matcher=FilmMatcher.from_db(),
            year=edition.year,
            when=edition.start_date,
        )
        if "save" in request.POST:
            article = article_draft_create(
                title=form.cleaned_data["title"],
                edition=edition,
                blocks=review_list_blocks(draft=draft),
            )
            return redirect("wagtailadmin_pages:edit", article.pk)
    rows = []
    if draft:
        films = Film.objects.in_bulk({e.film_id for e in draft.entries if e.film_id})
        critics = Critic.objects.in_bulk(
            {e.author_critic_id for e in draft.entries if e.author_critic_id}
        )
        for entry in draft.entries:
            rows.append(
                {
                    "entry": entry,
                    "film": films.get(entry.film_id),
                    "author": critics.get(entry.author_critic_id),
                    "stars": stars_display(entry.half_stars) or entry.stars_raw,
                    "co_ratings": ", ".join(
                        f"{c.initials}{stars_display(c.half_stars) or c.raw}"
                        for c in entry.co_ratings
                    ),
                }
            )
    return TemplateResponse(
        request,
        "festivals/admin/paste.html",
        {"form": form, "draft": draft, "rows": rows},
    )
