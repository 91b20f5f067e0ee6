"""With several servers, sessions are read through Redis; while Redis is unreachable staff can
still sign in, work and sign out (on the database alone), never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.fixture
def redis_away(settings):
    pytest.importorskip("redis")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "gongkai.core.sessions"


def test_staff_sign_in_work_and_sign_out_while_redis_is_away(client, cast, redis_away):
    response = client.post(reverse("accounts:login"), {"username": "drafter", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:workbench")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:workbench")).status_code == 302  # signed out
