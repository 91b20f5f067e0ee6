"""条例第三十五条 through the API: the notice, the answer weighed, and the 3.5.4 letter or the
later deadline, with the same rules as the case page."""

from __future__ import annotations

import pytest

from gongkai.applications.models import Application
from tests.applications.conftest import D, at
from tests.applications.test_api_cases import post


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_procedure_runs_by_api(client, cast, make_app):
    app = make_app(D(2026, 3, 2))
    base = f"/{app.pk}/excessive"
    with at(D(2026, 3, 4)):
        early = post(client, base, cast.office_head, {"new_due_date": "2026-06-30", "reason": "多"})
        assert early.status_code == 400 and "说明理由" in early.json()["detail"]
        assert post(client, base + "/notice", cast.drafter, {}).status_code == 200
        answer = {"outcome": "holds", "new_due_date": "2026-06-30", "reason": "申请300余份"}
        assert post(client, base + "/answer", cast.drafter, answer).status_code == 403
        assert post(client, base + "/answer", cast.office_head, answer).status_code == 200
    app = Application.objects.get(pk=app.pk)
    assert app.due_date == D(2026, 6, 30)
    titles = list(app.letters.values_list("title", flat=True))
    assert "要求说明申请理由通知书" in titles and "延迟答复告知书" in titles
