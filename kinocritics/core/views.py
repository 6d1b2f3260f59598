from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from kinocritics.critics.models import Critic
from kinocritics.reviews.models import ReviewPage


@require_safe
def about(request):
    return render(request, "core/about.html")


def legacy_id(request, key: str) -> int:
    """The number in an old-site link (`?f=N`); a 404 when there is none."""
    try:
        return int(request.GET.get(key, ""))
    except ValueError:
        raise Http404("That old link has no valid number.") from None


@require_safe
def legacy_film_review(request):
    review = ReviewPage.objects.live().filter(legacy_id=legacy_id(request, "f")).first()
    if review is None:
        raise Http404("That old review link is not on the new site.")
    return HttpResponsePermanentRedirect(review.url)


@require_safe
def legacy_critic(request):
    critic = Critic.objects.filter(legacy_id=legacy_id(request, "c")).first()
    if critic is None:
        raise Http404("That old critic link is not on the new site.")
    return HttpResponsePermanentRedirect(critic.get_absolute_url())


@require_safe
def legacy_home(request):
    return HttpResponsePermanentRedirect("/")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
