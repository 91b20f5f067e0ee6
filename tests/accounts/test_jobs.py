import datetime

import time_machine

from gongkai.accounts.jobs import prune_login_failures
from gongkai.accounts.models import LoginFailure
from gongkai.core.jobs import all_jobs

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def test_pruning_deletes_only_failures_older_than_a_day(db):
    with time_machine.travel(T0, tick=False) as clock:
        LoginFailure.objects.create(username="old", ip="192.0.2.1")
        clock.shift(datetime.timedelta(hours=23))
        LoginFailure.objects.create(username="recent", ip="192.0.2.1")
        clock.shift(datetime.timedelta(hours=2))
        assert prune_login_failures() == 1
        assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent"]
        assert prune_login_failures() == 0


def test_pruning_is_registered_for_the_worker():
    assert "accounts.prune_login_failures" in {j.name for j in all_jobs()}
