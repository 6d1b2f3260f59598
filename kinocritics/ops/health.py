"""Liveness and readiness probes for load balancers."""

import uuid

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse

HEALTH_PATHS = {"/healthz", "/readyz"}


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> JsonResponse:
    """The process is up and answering; touches neither database nor cache."""
    return _json({"status": "ok"})


def _database_problem(alias: str) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return f"{type(error).__name__}"
    return None


def _cache_problem(alias: str) -> str | None:
    key = f"kinocritics:readyz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return f"{type(error).__name__}"
    return None if found == "1" else "value written was not read back"


def readyz(request) -> JsonResponse:
    """Database and cache answer: 200, or 503 naming each check that failed and why."""
    checks: dict[str, str] = {}
    for alias in connections:
        checks[f"database:{alias}" if alias != "default" else "database"] = (
            _database_problem(alias) or "ok"
        )
    for alias in caches:
        checks[f"cache:{alias}" if alias != "default" else "cache"] = _cache_problem(alias) or "ok"
    failed = [name for name, result in checks.items() if result != "ok"]
    if failed:
        return _json({"status": "unavailable", "failed": failed, "checks": checks}, status=503)
    return _json({"status": "ok", "checks": checks})


class HealthCheckMiddleware:
    """Answers the probes before host validation, HTTPS redirect, sessions and the page cache.

    Load balancers call app machines by IP over plain HTTP; ALLOWED_HOSTS and
    SECURE_SSL_REDIRECT would otherwise turn every probe into a 400 or a 301.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/") or "/"
        if path in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            return healthz(request) if path == "/healthz" else readyz(request)
        return self.get_response(request)
