"""Load what a web process would otherwise load on its first requests, before it serves any.

gunicorn imports the site once in its master (deploy/gunicorn.conf.py, preload_app) and calls
`warm()` there; workers are forked with the URL patterns and the site's compiled templates in
memory. A worker that max_requests recycles then starts in milliseconds instead of importing
Django and compiling templates for a second while requests queue behind it.

Nothing here touches the database or the cache, and `warm()` closes any connection that
start-up opened, so no socket is ever shared between forked workers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def site_templates() -> list[str]:
    """The project's own templates (kinocritics/templates), by name."""
    root = Path(settings.BASE_DIR) / "kinocritics" / "templates"
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.html"))


def warm() -> int:
    """Compile the URL patterns and the site's templates; returns how many templates."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every urls module
    resolver.reverse_dict  # noqa: B018 - builds the reverse() table
    loaded = 0
    for name in site_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            logger.exception("warm-up could not load template %s", name)
        else:
            loaded += 1
    connections.close_all()
    for cache in caches.all(initialized_only=True):
        cache.close()
    return loaded
