"""gunicorn's master warms the site before forking workers and leaves no connection open."""

from unittest import mock

from kinocritics.core.warmup import site_templates, warm


def test_warm_compiles_every_site_template_and_closes_connections():
    with (
        mock.patch("kinocritics.core.warmup.connections") as connections,
        mock.patch("kinocritics.core.warmup.caches") as caches,
    ):
        loaded = warm()
    assert loaded == len(site_templates())
    assert "base.html" in site_templates() and "films/film_detail.html" in site_templates()
    # A forked worker opens its own database and cache connections.
    connections.close_all.assert_called_once_with()
    caches.all.assert_called_once_with(initialized_only=True)
