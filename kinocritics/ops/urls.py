from django.urls import path

from . import health

app_name = "ops"
urlpatterns = [
    # Normally answered by HealthCheckMiddleware; the routes keep them reachable (and
    # reversible) if that middleware is left out of MIDDLEWARE.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
