"""The demo's cases carry the letters their history calls for, and a second run adds none."""

from __future__ import annotations

from gongkai.applications import demo  # noqa: F401  (registers the steps)
from gongkai.applications.models import Application, Letter, State
from gongkai.core.demo import all_steps, build
from tests.applications.conftest import D, at


def _steps():
    wanted = {"core.units_and_accounts", "applications.cases", "applications.letters"}
    return [s for s in all_steps() if s.name in wanted]


def test_demo_cases_get_their_letters_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with at(D(2026, 6, 15)):
        build(_steps())
    letters = Letter.objects.all()
    assert letters.count() > 10
    kinds = set(letters.values_list("kind", flat=True))
    assert {Letter.Kind.RECEIPT, Letter.Kind.CORRECTION, Letter.Kind.CONSULTATION} <= kinds
    signed = Application.objects.filter(state=State.SIGNED).first()
    assert signed is not None and signed.letters.exclude(kind=Letter.Kind.RECEIPT).exists()
    for letter in letters:
        assert letter.file and letter.body and letter.application.number in letter.body
    count = letters.count()
    with at(D(2026, 6, 16)):
        build(_steps())
    assert Letter.objects.count() == count
