from __future__ import annotations

import datetime

import pytest
import time_machine

from gongkai.inspection import indicators, rules

# A Monday; 2025's annual reports were due by 2026-01-31 (townships) and 2026-03-31 (the city).
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False) as traveller:
        yield traveller


def status(code: str, unit, day: datetime.date = TODAY) -> str:
    return outcome(code, unit, day).status


def outcome(code: str, unit, day: datetime.date = TODAY) -> indicators.Outcome:
    return indicators.compute_one(code, unit, day, rules.current(), indicators.RunData())
