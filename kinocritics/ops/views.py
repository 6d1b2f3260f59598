import math

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: a plain page saying why and for how long (HTTP 429)."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": get_client_username(request, credentials) or "",
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else 0,
    }
    return render(request, "ops/locked_out.html", context, status=429)
