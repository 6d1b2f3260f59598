"""Probes for the load balancer, request ids and JSON logs."""

import json
import logging
from unittest import mock

import pytest

from kinocritics.ops.requestid import request_id_var

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a balancer calls by IP
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_names_the_cache_when_it_is_down(client):
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.set",
        side_effect=ConnectionError("redis gone"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["cache"]
    assert body["checks"] == {"database": "ok", "cache": "ConnectionError"}


def test_readyz_names_the_database_when_it_is_down(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OSError("connection refused"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "OSError"


def test_probes_skip_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/about/").status_code == 301


def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get("/about/", HTTP_X_REQUEST_ID="3f2a9c1e-77b0-4c1d-9e0a-2b7d8c6e5f41")
    assert response["X-Request-ID"] == "3f2a9c1e-77b0-4c1d-9e0a-2b7d8c6e5f41"


@pytest.mark.parametrize(
    "sent",
    ["<script>alert(1)</script>", "short", "x" * 300, "a b c d e f g h", "id\r\nSet-Cookie: x=1"],
)
def test_a_missing_or_odd_request_id_is_replaced(client, sent):
    response = client.get("/about/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/about/")["X-Request-ID"] != response["X-Request-ID"]


def test_every_log_record_of_a_request_carries_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="kinocritics.access"):
        client.get("/about/", HTTP_X_REQUEST_ID="req-1234567890")
    access = [r for r in caplog.records if r.name == "kinocritics.access"]
    assert access, "one access line per request"
    formatted = _json_formatter().format(access[-1])
    line = json.loads(formatted)
    assert line["request_id"] == "req-1234567890"
    assert line["status"] == 200
    assert line["path"] == "/about/"
    assert line["level"] == "INFO"
    assert request_id_var.get() == "-"  # reset after the response


def test_records_outside_a_request_say_so():
    record = logging.LogRecord("kinocritics.tasks", logging.INFO, __file__, 1, "hello", (), None)
    line = json.loads(_json_formatter().format(record))
    assert line["request_id"] == "-"
    assert line["message"] == "hello"


def test_log_format_json_is_what_production_uses():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "import django, logging; django.setup(); "
        "from kinocritics.ops.requestid import request_id_var; request_id_var.set('abc12345'); "
        "logging.getLogger('kinocritics.demo').warning('disk %s full', 'nearly')"
    )
    environment = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="prod-secret-for-this-test-only-0123456789-abcdefghijklmn",
        ALLOWED_HOSTS="kinocritics.de",
        DATABASE_URL="sqlite:////tmp/kinocritics-log-test.sqlite3",
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    demo = [line for line in lines if line.get("logger") == "kinocritics.demo"]
    assert demo == [
        {
            "time": demo[0]["time"],
            "level": "WARNING",
            "logger": "kinocritics.demo",
            "message": "disk nearly full",
            "request_id": "abc12345",
        }
    ]


def _json_formatter():
    from pythonjsonlogger.json import JsonFormatter

    from config.settings.base import logging_config
    from kinocritics.ops.requestid import RequestIdFilter

    options = dict(logging_config(log_format="json", level="INFO")["formatters"]["json"])
    options.pop("()")
    formatter = JsonFormatter(**options)
    request_filter = RequestIdFilter()

    class Formatter:
        def format(self, record):
            request_filter.filter(record)
            return formatter.format(record)

    return Formatter()
