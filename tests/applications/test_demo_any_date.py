"""`gongkai demo` loads every demo application on any day of the year: nothing is skipped for a
year whose holiday notice is not in yet (the seed data ends with 2026)."""

from __future__ import annotations

import pytest

from gongkai.applications import demo
from gongkai.applications.models import Application
from gongkai.core.demo import all_steps, build
from tests.applications.conftest import D, at

CASES = 15


def _steps():
    wanted = {"core.units_and_accounts", "applications.cases"}
    return [s for s in all_steps() if s.name in wanted]


@pytest.mark.parametrize(
    "day", [D(2026, 12, 6), D(2026, 12, 28), D(2027, 1, 4), D(2027, 2, 10), D(2027, 9, 30)]
)
def test_every_demo_application_is_loaded_whatever_the_date(db, settings, tmp_path, day, caplog):
    settings.MEDIA_ROOT = tmp_path
    with at(day):
        build(_steps())
        build(_steps())  # a second run adds nothing
    organ_cases = Application.objects.filter(organ__code=demo.ORGAN, imported=False)
    assert organ_cases.count() == CASES
    assert "skipped" not in caplog.text
    # Open cases have a date; those through a year without a notice are provisional.
    open_cases = organ_cases.filter(state__in=["registered", "processing", "fee_pending"])
    assert not open_cases.filter(due_date__isnull=True).exists()
    if day.year == 2027:
        assert open_cases.filter(due_provisional=True).exists()
