"""The demo leaves applications in every state and adds nothing when run twice."""

from __future__ import annotations

from gongkai.applications import demo  # noqa: F401  (registers the step)
from gongkai.applications.models import Application, State
from gongkai.core.demo import all_steps, build
from tests.applications.conftest import D, at


def _steps():
    wanted = {"core.units_and_accounts", "applications.cases"}
    return [s for s in all_steps() if s.name in wanted]


def test_demo_builds_applications_in_every_state_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with at(D(2026, 6, 15)):
        build(_steps())
    states = set(Application.objects.values_list("state", flat=True))
    assert states >= set(State.values) - {State.DISCARDED}
    count = Application.objects.count()
    assert Application.objects.filter(imported=True).count() == 8
    with at(D(2026, 6, 16)):
        build(_steps())
    assert Application.objects.count() == count
