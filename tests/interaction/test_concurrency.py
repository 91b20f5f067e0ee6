"""Races between server processes, on PostgreSQL (SQLite serialises writers anyway)."""

import threading
import uuid

import pytest
from django.db import connection

from gongkai.interaction.models import Letter, RateCounter
from gongkai.lib.ratelimit import Rate, hit
from tests.factories import make_cast
from tests.interaction.conftest import submit

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def together(func, n: int = 6) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = func()
        except Exception as exc:  # reported below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_form_sent_at_once_from_six_tabs_is_one_letter():
    cast = make_cast()
    key = uuid.uuid4().hex
    results = together(lambda: submit(cast.zhuwang, idempotency_key=key))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Letter.objects.filter(idempotency_key=key).count() == 1
    assert sum(1 for r in results if r.created) == 1


def test_different_letters_at_once_get_different_numbers():
    cast = make_cast()
    results = together(lambda: submit(cast.zhuwang))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.letter.number for r in results}) == 6


def test_counters_lose_no_hit_under_concurrency():
    results = together(lambda: hit("t.race", "10.0.0.1", rates=[Rate(3, 3600)], now=1e9), n=8)
    assert sum(1 for r in results if r.allowed) == 3
    assert RateCounter.objects.get().count == 8
