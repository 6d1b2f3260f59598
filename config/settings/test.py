"""Test settings: fast hashing, in-memory mail and cache, immediate tasks."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = SITE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
PAGE_CACHE_ENABLED = False  # tests that exercise the page cache turn it on
# Login throttling needs a request in authenticate(), which client.login() does not pass;
# the ops tests switch it on where they test it.
AXES_ENABLED = False
