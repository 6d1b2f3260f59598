"""gunicorn's master warms the site before forking workers and leaves no connection open."""

import pytest
from django.db import connection

from kinocritics.core.warmup import site_templates, warm


@pytest.mark.django_db(transaction=True)
def test_warm_compiles_every_site_template_and_closes_the_database():
    connection.ensure_connection()
    loaded = warm()
    assert loaded == len(site_templates())
    assert "base.html" in site_templates() and "films/film_detail.html" in site_templates()
    if connection.vendor == "postgresql":  # SQLite keeps the in-memory test database open
        assert connection.connection is None  # a forked worker opens its own
