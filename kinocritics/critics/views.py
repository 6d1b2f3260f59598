from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.views.decorators.http import require_safe

from kinocritics.core import jsonld
from kinocritics.festivals.selectors import critic_festival_entries
from kinocritics.reviews.models import review_cards_page
from kinocritics.reviews.selectors import review_list

from . import selectors
from .models import Critic

REVIEWS_PER_PAGE = 20


@require_safe
def critic_list(request):
    return render(
        request,
        "critics/critic_list.html",
        {
            "critics": selectors.critic_list(),
            "structured_data": jsonld.breadcrumbs(
                [("Home", "/"), ("Critics", reverse("critics:list"))]
            ),
        },
    )


@require_safe
def critic_detail(request, slug: str):
    critic = get_object_or_404(Critic.objects.select_related("photo"), slug=slug)
    page = review_cards_page(
        reviews=review_list(critic_id=critic.id),
        number=request.GET.get("page"),
        request=request,
        per_page=REVIEWS_PER_PAGE,
    )
    return render(
        request,
        "critics/critic_detail.html",
        {
            "critic": critic,
            "reviews_page": page,
            "articles": critic.articles.live()
            .select_related("edition__festival")
            .order_by("-first_published_at")[:20],
            "festival_entries": critic_festival_entries(critic_id=critic.id),
            "structured_data": [
                jsonld.profile_page(
                    name=critic.name,
                    url=critic.get_absolute_url(),
                    description=strip_tags(critic.bio)[:300],
                    extra={
                        "alternateName": critic.initials,
                        "jobTitle": "Film critic",
                        "worksFor": jsonld.organization(),
                    },
                ),
                jsonld.breadcrumbs(
                    [
                        ("Home", "/"),
                        ("Critics", reverse("critics:list")),
                        (critic.name, critic.get_absolute_url()),
                    ]
                ),
            ],
        },
    )
