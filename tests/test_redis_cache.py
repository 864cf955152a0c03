"""The Redis cache backend keeps one client per connection pool and still works as a cache
(against the machine's Redis on 127.0.0.1:6379, database 15)."""

import socket
import uuid

import pytest

from lmh_accompagnement.redis_cache import RedisCache


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="pas de Redis sur 127.0.0.1:6379")


def test_one_client_serves_every_operation_and_values_round_trip():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client

    try:
        cache.set("page", (b"<html>", [{"action": "view_household"}]), 30)
        assert cache.get("page") == (b"<html>", [{"action": "view_household"}])
        cache.delete("page")
        assert cache.get("page") is None
    finally:
        client.connection_pool.disconnect()
