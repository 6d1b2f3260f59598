"""The production cache path on a real Redis: page cache, film page fragments and purges.

Redis runs on every development and CI machine (127.0.0.1:6379; REDIS_TEST_URL overrides).
Without it these tests are skipped, unless REQUIRE_REDIS=1 (set in CI).
"""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinocritics.core import fragments, pagecache
from kinocritics.films import film_page

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
URL = "/films/red-rocket-2021/"


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable ({error}); REQUIRE_REDIS=1")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    prefix = f"kc-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "kinocritics.core.rediscache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set_many({"a": 1, "b": [2, 3]})
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": 1, "b": [2, 3]}
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client
    assert redis_cache.incr("a") == 2


@pytest.mark.django_db
def test_film_page_fragments_live_in_redis(
    redis_cache, client, red_rocket, django_assert_num_queries
):
    first = client.get(URL).content.decode()
    with django_assert_num_queries(0):
        assert client.get(URL).content.decode() == first
    film, _, _ = red_rocket
    fragments.bump([film_page.main_topic(film.slug)])
    # The facts fragment was bumped: the film is read again, the showtimes are not.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).content.decode() == first
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "films_film" in sql and "cinemas_screening" not in sql


@pytest.mark.django_db
def test_the_page_cache_stores_and_purges_in_redis(redis_cache, settings, client, red_rocket):
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(URL)["X-Page-Cache"] == "MISS"
    assert client.get(URL)["X-Page-Cache"] == "HIT"
    pagecache.purge_paths({URL})
    assert client.get(URL)["X-Page-Cache"] == "MISS"
