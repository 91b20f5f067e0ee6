"""A plausible year of one township's work for the browser test and its screenshots: about five
applications a month, twenty-odd publications and a handful of mailbox letters, with a few
late ones. Deterministic (a fixed random seed), so the screenshots only change with the code."""

from __future__ import annotations

import datetime
import importlib
import random
from typing import Any

from gongkai.workdays.calendar import WorkCalendar
from tests.dashboard.conftest import beijing, make_letter, make_publication, replied

DECISIONS = ["3.1"] * 10 + ["3.2"] * 3 + ["3.3.4", "3.3.6", "3.4.1", "3.4.1", "3.5.2", "3.6.3"]


def ensure_holidays() -> None:
    """Put back the holiday data the migrations seed, when a transactional test's flush took
    it away and the serialized rollback could not restore it (the browser tests' event loop
    gives Django a connection without the serialized copy)."""
    from django.apps import apps

    from gongkai.workdays.models import CalendarYear

    if CalendarYear.objects.exists():
        return
    migration = importlib.import_module("gongkai.workdays.migrations.0002_seed_holidays_2004_2026")
    migration.seed(apps, None)


def seed_year(organ: Any, year: int, *, seed: int = 7) -> None:
    ensure_holidays()
    rng = random.Random(seed)
    calendar = WorkCalendar()
    for month in range(1, 13):
        for _ in range(rng.randint(3, 7)):
            received = datetime.date(year, month, rng.randint(1, 20))
            due = calendar.add_workdays(received, 20)
            took = rng.choice([2, 4, 5, 7, 8, 10, 12, 13, 15, 17, 19, 20, 23])
            reply = calendar.add_workdays(received, took)
            if reply.year != year:
                continue
            app = replied(organ, received, reply, due=due, decision=rng.choice(DECISIONS))
            if rng.random() < 0.4:  # some applicants rate the reply (issue 15)
                app.rating = rng.choice(["satisfied", "satisfied", "mostly", "dissatisfied"])
                app.rated_at = beijing(reply, 20)
                app.save(update_fields=["rating", "rated_at"])
        for _ in range(rng.randint(15, 32)):
            day = datetime.date(year, month, rng.randint(1, 28))
            due = day + datetime.timedelta(
                days=rng.choice([1, 3, 7, 10, 14, 20, 25, 30, 35, -1, -6])
            )
            make_publication(organ, beijing(day, rng.randint(8, 18)), due=due)
        for _ in range(rng.randint(2, 6)):
            arrived = datetime.date(year, month, rng.randint(1, 22))
            answered = calendar.add_workdays(arrived, rng.randint(1, 9))
            if answered.year == year:
                make_letter(organ, beijing(arrived, 9), beijing(answered, 16))
