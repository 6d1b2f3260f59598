"""Settings shared by every environment. Deployment knobs come from the environment."""

from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "kinocritics.core",
    "kinocritics.films",
    "kinocritics.critics",
    "kinocritics.reviews",
    "kinocritics.cinemas",
    "kinocritics.festivals",
    "kinocritics.newsletter",
    "kinocritics.search",
    "kinocritics.ops",
    "axes",
    # Serves the API docs' Swagger UI from our own static files (the CDN would break the CSP).
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "kinocritics.ops.requestid.RequestIdMiddleware",
    "kinocritics.ops.health.HealthCheckMiddleware",
    "kinocritics.ops.nulbytes.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Outside the page cache, so a cached page still gets a fresh header (and nonce).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kinocritics.ops.csp.AdminContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "kinocritics.core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kinocritics" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "kinocritics.core.context_processors.site_context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
        }
    )
else:
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The embedded default keeps its cache in files, so the site, the task worker and the scheduler
# on one machine share it: a purge made by the worker reaches the pages the site serves.
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{BASE_DIR / '.cache' / 'django'}")
}
if env("REDIS_URL", default=""):
    CACHES["default"] = {
        "BACKEND": "kinocritics.core.rediscache.ReusingRedisCache",
        "LOCATION": env("REDIS_URL"),
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


def mailers_from_url(url: str) -> dict:
    """EMAIL_URL (smtp://user:pass@host:587, consolemail://) as Django 6.1's MAILERS setting."""
    email = environ.Env.email_url_config(url)
    options = {}
    if email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        candidates = {
            "host": email.get("EMAIL_HOST"),
            "port": email.get("EMAIL_PORT"),
            "username": email.get("EMAIL_HOST_USER"),
            "password": email.get("EMAIL_HOST_PASSWORD"),
            "use_tls": email.get("EMAIL_USE_TLS"),
            "use_ssl": email.get("EMAIL_USE_SSL"),
        }
        options = {k: v for k, v in candidates.items() if v not in (None, "")}
    return {"default": {"BACKEND": email["EMAIL_BACKEND"], "OPTIONS": options}}


MAILERS = mailers_from_url(env("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="KinoCritics <newsletter@kinocritics.de>")

# django-axes first: it refuses locked-out logins before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinocritics.ops.views.locked_out"
# Client address: REMOTE_ADDR, or the proxy's X-Forwarded-For when PROXY_COUNT proxies sit in
# front (never trust the header otherwise: anyone can send it).
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kinocritics" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # form text, e.g. a pasted festival list
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads stream to a temporary file

WAGTAIL_SITE_NAME = "KinoCritics"
# The sidebar lists up to a dozen cinemas, this city's first.
SIDEBAR_HOME_CITY = env("SIDEBAR_HOME_CITY", default="Hamburg")
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "core.CreditedImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000  # refuses decompression bombs
# No third-party requests from the admin: Gravatar would learn every editor's address hash.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False

# Content-Security-Policy (Django's own). Public pages: scripts only from our origin (or with the
# per-response nonce), no inline styles, no framing. The admin gets ADMIN_CSP (see ops/csp.py).
# CSP_IMG_ORIGINS adds image hosts, e.g. the S3/CDN origin serving media.
CSP_IMG_ORIGINS = env.list("CSP_IMG_ORIGINS", default=[])
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *CSP_IMG_ORIGINS],
    "style-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Wagtail's admin has inline scripts and styles, previews pages in an iframe and uploads via
# blobs; it is only reachable after login.
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *CSP_IMG_ORIGINS],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF, "https://releases.wagtail.org"],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
ADMIN_CSP_PATHS = ("/admin/", "/django-admin/")


def logging_config(*, log_format: str, level: str) -> dict:
    """LOG_FORMAT=json: one JSON object per line; text: readable lines. Both carry request_id."""
    formatters = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    if log_format not in formatters:
        raise ValueError(f"LOG_FORMAT must be 'json' or 'text', not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "kinocritics.ops.requestid.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Wagtail logs every page action at INFO; the admin's audit log keeps them anyway.
            "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", default="WARNING")},
            # axes announces its version at every start; lockouts are logged at WARNING.
            "axes": {"level": "WARNING"},
            # One line per request, with its id: worth it in JSON logs, noise next to runserver.
            "kinocritics.access": {"level": "INFO" if log_format == "json" else "WARNING"},
        },
    }


LOGGING = logging_config(
    log_format=env("LOG_FORMAT", default="text"), level=env("LOG_LEVEL", default="INFO")
)

# --- Caching, media storage and frontend cache
# Anonymous pages are stored whole by kinocritics.core.pagecache (in CACHES["default"]: Redis
# with REDIS_URL, local memory otherwise) and purged on publish by kinocritics.core.purge.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=300)  # seconds in Django's cache
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)  # browsers
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=300)  # nginx / CDN
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int("PAGE_CACHE_STALE_WHILE_REVALIDATE", default=60)
# Parts of pages cached apart (kinocritics.core.fragments): a purged film page is rebuilt from
# the half its change left good. Never longer than the page cache keeps a page.
FRAGMENT_CACHE_ENABLED = env.bool("FRAGMENT_CACHE_ENABLED", default=True)
FRAGMENT_CACHE_TIMEOUT = env.int("FRAGMENT_CACHE_TIMEOUT", default=PAGE_CACHE_TIMEOUT)

# Publishing purges the proxy in front too (deploy/nginx/kinocritics.conf): one or more
# comma-separated PURGE endpoints, e.g. http://127.0.0.1:8081.
INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
WAGTAILFRONTENDCACHE = {
    f"proxy{number}": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": location,
    }
    for number, location in enumerate(env.list("FRONTEND_CACHE_PURGE_URL", default=[]))
}
# ngx_cache_purge 2.4+ reads a trailing * as "every key starting with" (query variants too);
# Debian's 2.3 does not, so deploy/nginx leaves query strings to the app's page cache.
FRONTEND_CACHE_WILDCARD = env.bool("FRONTEND_CACHE_WILDCARD", default=False)

# Media on the local disk (one machine, or a shared volume) or S3-compatible object storage
# for several app machines: MEDIA_STORAGE=s3 with AWS_STORAGE_BUCKET_NAME, AWS_S3_REGION_NAME,
# AWS_S3_ENDPOINT_URL (MinIO, Hetzner, …), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
# optionally AWS_S3_CUSTOM_DOMAIN. Needs django-storages[s3] installed.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_S3_FILE_OVERWRITE = False
elif MEDIA_STORAGE != "filesystem":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}."
    )

# --- Newsletter
# Any django-anymail provider can replace SMTP: set EMAIL_URL to nothing and MAILERS there,
# or point EMAIL_URL at the provider's SMTP relay. Webhooks arrive at /newsletter/anymail/.
INSTALLED_APPS += ["anymail"]
ANYMAIL = {"WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="")}
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
NEWSLETTER_DOMAIN = env("NEWSLETTER_DOMAIN", default="kinocritics.de")  # Message-ID, List-Id
NEWSLETTER_UNSUBSCRIBE_MAILTO = env(
    "NEWSLETTER_UNSUBSCRIBE_MAILTO", default="unsubscribe@kinocritics.de"
)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=1000)
NEWSLETTER_RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds before attempts 2, 3, 4, 5
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
NEWSLETTER_SIGNUP_RATE = (5, 600)  # sign-ups per IP per this many seconds
NEWSLETTER_SENDER_LEASE = 120  # seconds without a heartbeat before another sender may take over
NEWSLETTER_TRACKING = env.bool("NEWSLETTER_TRACKING", default=False)  # open/click tracking

# --- Search and Wikidata
WIKIDATA_USER_AGENT = env(
    "WIKIDATA_USER_AGENT",
    default=f"KinoCritics/1.0 (+{SITE_URL.rstrip('/')}/about/; film facts for editors) httpx",
)
WIKIDATA_MIN_INTERVAL = env.float("WIKIDATA_MIN_INTERVAL", default=1.0)  # seconds between calls
WIKIDATA_TIMEOUT = env.float("WIKIDATA_TIMEOUT", default=10.0)
WIKIDATA_CACHE_SECONDS = env.int("WIKIDATA_CACHE_SECONDS", default=24 * 3600)
