"""Rate-limit counters in Redis (REDIS_URL): atomic under concurrent hits, expiring with their
window, nothing in the database; and counting goes on in the database when Redis is away."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from gongkai.interaction.models import RateCounter
from gongkai.lib import ratelimit
from gongkai.lib.ratelimit import Rate, hit

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc}); set TEST_REDIS_URL")
    return client


@pytest.fixture
def redis_client(settings):
    client = _redis_or_skip()
    settings.REDIS_URL = REDIS_URL
    yield client
    ratelimit._redis_clients.clear()


def test_counters_live_in_redis_and_expire_with_their_window(redis_client):
    scope = f"t.{uuid.uuid4().hex}"
    now = time.time()
    decisions = [hit(scope, "10.0.0.1", rates=[Rate(3, 60)], now=now) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert not RateCounter.objects.exists()
    (key,) = redis_client.keys(f"gongkai:ratelimit:{scope}:*")
    assert int(redis_client.get(key)) == 4
    assert 0 < redis_client.ttl(key) <= 61


def test_concurrent_hits_are_counted_exactly(redis_client):
    scope = f"t.{uuid.uuid4().hex}"
    now = time.time()
    allowed: list[bool] = []
    barrier = threading.Barrier(8)

    def burst() -> None:
        barrier.wait()
        for _ in range(10):
            allowed.append(hit(scope, "10.0.0.2", rates=[Rate(25, 3600)], now=now).allowed)

    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 25 and len(allowed) == 80


def test_without_redis_reachable_the_database_counts(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        rates = [Rate(2, 60)]
        decisions = [hit("t.down", "10.0.0.3", rates=rates, now=1_780_000_000.0) for _ in range(3)]
    finally:
        ratelimit._redis_clients.clear()
    assert [d.allowed for d in decisions] == [True, True, False]
    assert RateCounter.objects.get(scope="t.down").count == 3
