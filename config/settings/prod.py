"""Production: every secret and host from the environment; refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, logging_config, mailers_from_url

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
MAILERS = mailers_from_url(env("EMAIL_URL", default="smtp://localhost:25"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# One JSON object per log line, with the request id (LOG_FORMAT=text for readable lines).
LOGGING = logging_config(
    log_format=env("LOG_FORMAT", default="json"), level=env("LOG_LEVEL", default="INFO")
)

# --- Caching (prod)
# Purges run in whichever process publishes or imports (a gunicorn worker, the task worker,
# publish_scheduled); a page cache in local memory would only forget pages in that one process.
# Without REDIS_URL the page cache is therefore off unless PAGE_CACHE_ENABLED says otherwise.
if not env("REDIS_URL", default=""):
    PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=False)
