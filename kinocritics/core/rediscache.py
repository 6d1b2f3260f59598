"""Django's Redis cache, keeping one redis.Redis client per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every cache call; building one
registers some 170 response callbacks (0.15 ms). A page reads the cache several times, so an
uncached film page spent over a millisecond on client objects. redis.Redis is safe to share
(the pool hands out connections), and Django keeps one cache backend per thread anyway.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingClient
