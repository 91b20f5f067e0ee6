"""The demo publishes 诸往镇's real 2017 report (legacy text) and last year's report computed
from the applications demo ledger, and adds nothing when run twice."""

from __future__ import annotations

import datetime

from django.utils import timezone

from gongkai.applications import demo as _applications_demo  # noqa: F401  (registers the step)
from gongkai.core.demo import all_steps, build
from gongkai.reports import demo as _reports_demo  # noqa: F401
from gongkai.reports import queries
from gongkai.reports.models import AnnualReport, ReportVersion
from tests.applications.conftest import D, at


def _steps():
    wanted = {"core.units_and_accounts", "applications.cases", "reports.annual_reports"}
    return [s for s in all_steps() if s.name in wanted]


def test_the_demo_publishes_the_2017_and_last_years_reports_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with at(D(2026, 6, 15)):
        build(_steps())
    zhuwang = AnnualReport.objects.get(year=2017).unit
    from gongkai.accounts import permissions
    from gongkai.accounts.models import User

    city_admin = User.objects.get(username="city-admin")
    assert permissions.has_perm(city_admin, "reports.edit", zhuwang.parent)
    reports = queries.published_reports(zhuwang)
    assert [r.year for r in reports] == [2025, 2017]
    legacy = queries.public_version("zhuwang", 2017)
    assert legacy.document["format"] == "legacy"
    assert timezone.localdate(legacy.published_at) == datetime.date(2018, 1, 29)
    current = queries.public_version("zhuwang", 2025)
    doc = current.document
    assert doc["format"] == "2021" and doc["applications"]["1"]["total"] == 8
    for col, value in doc["applications"]["4"].items():  # the ledger's December case
        assert value == (1 if col in ("natural_person", "total") else 0)
    assert doc["proactive"]["license"] == {"decisions": 36}
    assert "〔请填写" not in doc["sections"]["6"]
    assert [c["rule"] for c in doc["checks"]] == ["carry_over"]
    with at(D(2026, 6, 16)):
        build(_steps())
    assert ReportVersion.objects.count() == 2
