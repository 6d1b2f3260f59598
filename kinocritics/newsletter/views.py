"""Public newsletter pages: sign-up, confirmation, one-click unsubscribe, preferences, archive.

The sign-up form appears on every page, and pages are cached for anonymous readers, so the
sign-up POST cannot rely on a per-user CSRF token. It is csrf_exempt on purpose: a forged
sign-up can only make us send a confirmation mail (double opt-in), and the honeypot plus a
per-IP rate limit stop bulk abuse. Links from mails carry signed tokens; those views are
csrf_exempt too, since the token is the authority (RFC 8058 one-click POSTs carry no cookie).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from . import mail, services
from .forms import DeleteForm, SignupForm, consent_text
from .models import Issue, Subscriber
from .tokens import TokenInvalid, token_subscriber


def client_ip(request) -> str | None:
    """The reader's address: REMOTE_ADDR, or the X-Forwarded-For entry our PROXY_COUNT proxies
    added (the same rule django-axes uses)."""
    address = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if count and len(hops) >= count:
        address = hops[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _rate_limited(request) -> bool:
    limit, window = settings.NEWSLETTER_SIGNUP_RATE
    key = f"newsletter-signup:{client_ip(request)}"
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return False
    return count > limit


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.method != "POST":
        return render(request, "newsletter/signup.html", {"form": SignupForm()})
    form = SignupForm(request.POST)
    if _rate_limited(request):
        return render(
            request,
            "newsletter/signup.html",
            {"form": form, "throttled": True},
            status=429,
        )
    if not form.is_valid():
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:
        # A bot filled the honeypot: answer like a success and do nothing.
        return render(request, "newsletter/signup_done.html", {"email": form.cleaned_data["email"]})
    try:
        services.subscriber_signup(
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            ip=client_ip(request),
            consent_version=form.cleaned_data["consent_version"],
        )
    except services.NewsletterError as error:
        form.add_error(None, str(error))
        return render(request, "newsletter/signup.html", {"form": form}, status=400)
    # The same answer whether the address is new, pending, confirmed or suppressed.
    return render(request, "newsletter/signup_done.html", {"email": form.cleaned_data["email"]})


def _token_page(request, error: TokenInvalid, status: int = 400):
    response = render(
        request,
        "newsletter/link_problem.html",
        {"message": str(error), "expired": error.expired},
        status=status,
    )
    return response


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    try:
        subscriber = token_subscriber(token=token, purpose="confirm")
    except TokenInvalid as error:
        return _token_page(request, error)
    if request.method != "POST":
        # Mail scanners follow links; only the button press confirms.
        return render(request, "newsletter/confirm.html", {"subscriber": subscriber})
    try:
        services.subscriber_confirm(subscriber=subscriber, ip=client_ip(request))
    except services.NewsletterError as error:
        return _token_page(request, TokenInvalid(str(error)))
    return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """RFC 8058: a POST (the mail client's one-click) unsubscribes at once; a GET (a person or a
    link scanner) only shows the button."""
    try:
        subscriber = token_subscriber(token=token, purpose="unsubscribe")
    except TokenInvalid as error:
        return _token_page(request, error)
    if request.method != "POST":
        return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    services.subscriber_unsubscribe(
        subscriber=subscriber, source="one-click" if one_click else "link"
    )
    return render(
        request, "newsletter/unsubscribed.html", {"subscriber": subscriber, **_links(subscriber)}
    )


def _links(subscriber: Subscriber) -> dict:
    _, preferences = mail.subscriber_links(subscriber_id=subscriber.pk, email=subscriber.email)
    return {"preferences_url": preferences}


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token: str):
    try:
        subscriber = token_subscriber(token=token, purpose="manage")
    except TokenInvalid as error:
        return _token_page(request, error)
    context = {"subscriber": subscriber, "delete_form": DeleteForm(), "token": token}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unsubscribe":
            services.subscriber_unsubscribe(subscriber=subscriber, source="preferences")
            context["done"] = "You are unsubscribed. No more newsletters will reach you."
        elif action == "resubscribe":
            try:
                services.subscriber_resubscribe(subscriber=subscriber, ip=client_ip(request))
                context["done"] = "Welcome back: you will get the next issue."
            except services.NewsletterError as error:
                context["error"] = str(error)
                status = 400
        elif action == "name":
            name = request.POST.get("name", "")
            form = SignupForm({"name": name})
            form.is_valid()
            if "name" in form.errors:
                context["error"] = form.errors["name"][0]
                status = 400
            else:
                Subscriber.objects.filter(pk=subscriber.pk).update(name=form.cleaned_data["name"])
                context["done"] = "Your name is saved."
        elif action == "delete":
            form = DeleteForm(request.POST)
            if form.is_valid():
                email = subscriber.email
                services.subscriber_delete(subscriber=subscriber)
                return render(request, "newsletter/deleted.html", {"email": email})
            context["delete_form"] = form
            status = 400
        else:
            context["error"] = "Choose one of the buttons below."
            status = 400
        subscriber.refresh_from_db()
    context["consent_text"] = consent_text(subscriber.consent_text_version)
    return render(request, "newsletter/preferences.html", context, status=status)


@never_cache
@require_safe
def export(request, token: str):
    try:
        subscriber = token_subscriber(token=token, purpose="manage")
    except TokenInvalid as error:
        return _token_page(request, error)
    response = HttpResponse(
        services.subscriber_export_json(subscriber=subscriber),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="kinocritics-newsletter-data.json"'
    patch_cache_control(response, private=True)
    return response


@require_safe
def archive(request):
    issues = Issue.objects.filter(status=Issue.Status.SENT).only(
        "subject", "slug", "month", "finished_at"
    )
    return render(request, "newsletter/archive.html", {"issues": issues})


@require_safe
def issue_detail(request, slug: str):
    issue = get_object_or_404(Issue, slug=slug)
    if issue.status != Issue.Status.SENT:
        raise Http404("This issue has not been sent yet.")
    return render(
        request,
        "newsletter/issue_detail.html",
        {"issue": issue, **mail.issue_web_context(issue=issue)},
    )
