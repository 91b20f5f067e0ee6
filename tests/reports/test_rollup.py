"""The city roll-up: finalised reports of the organs at and below the city summed (organs only,
each once, the city's own report its own row), the organs late against their deadline, and the
organs side by side; page and JSON."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from gongkai.accounts.models import Role, UnitKind
from gongkai.reports import actions, drafts, formats, importer, rollup
from tests.factories import PASSWORD, make_organ, make_unit, make_user
from tests.reports.helpers import ready, start
from tests.reports.test_import import full_document

D = datetime.date


def on(day: datetime.date):
    moment = datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC)
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def city_reports(ledger):
    """诸往镇 published on 2026-01-20 (on time); the city's own report imported, published
    2026-03-20; a department finalised but never published; 夏村镇 nothing."""
    head = ledger.office_head
    with on(D(2026, 1, 20)):
        report = ready(ledger, start(ledger))
        actions.report_finalise(actor=head, report=report)
        actions.report_publish(actor=head, report=report)
    city_doc = full_document("2021", 2025)
    city_doc["proactive"]["fee"]["amount_10k_yuan"] = "1.25"
    city_head = make_user("cityhead", roles=[(ledger.city, Role.OFFICE_HEAD)])
    actions.report_import(
        actor=city_head,
        unit=ledger.city,
        document=importer.read_document(json.dumps(city_doc)),
        published_date=D(2026, 3, 20),
    )
    department = make_organ(
        parent=ledger.city, name="乳山市农业农村局", code="nongye", kind=UnitKind.DEPARTMENT
    )
    make_unit(parent=department, name="乳山市农业农村局办公室", code="nongye-office")
    dept_doc = full_document("2021", 2025)
    with on(D(2026, 1, 10)):
        dept = actions.report_create(actor=city_head, unit=department, year=2025)
        actions.report_update(
            actor=city_head,
            report=dept,
            sections={
                "1": drafts.PROMPT_RE.sub("无。", dept.section_1),
                "5": "问题。",
                "6": "无。",
            },
            entered={"fee": {"amount_10k_yuan": "0.5"}},
        )
        dept.refresh_from_db()
        from gongkai.reports import documents

        for w in documents.warnings_of(documents.live_document(department, 2025, dept)):
            actions.report_acknowledge(
                actor=city_head,
                report=dept,
                rule=w["rule"],
                cell=w["cell"],
                message=w["message"],
                note="首年使用",
            )
        actions.report_finalise(actor=city_head, report=dept)
    ledger.department = department
    ledger.city_head = city_head
    ledger.dept_doc = dept_doc
    return ledger


def test_the_sum_adds_each_organ_once_and_only_finalised_reports(city_reports):
    data = rollup.build(city_reports.city, 2025, today=D(2026, 2, 15))
    codes = [r.unit.code for r in data.rows]
    assert codes == ["rushan", "zhuwang", "xiacun", "nongye"]  # organs only, tree order
    counted = {r.unit.code for r in data.counted}
    assert counted == {"rushan", "zhuwang", "nongye"}
    apps = data.totals["applications"]
    # 诸往镇 14 new (ledger), the city's imported report 2, the department 0
    assert apps["1"]["total"] == 16
    assert apps["2"]["total"] == 4
    assert apps["4"]["total"] == 3 + 1
    assert data.totals["proactive"]["fee"]["amount_10k_yuan"] == "1.75"
    assert rollup.total_checks(data) == []
    assert [r.unit.code for r in data.missing] == ["xiacun"]


def test_late_units_against_the_deadline_of_their_kind(city_reports, settings):
    data = rollup.build(city_reports.city, 2025, today=D(2026, 2, 15))
    rows = {r.unit.code: r for r in data.rows}
    assert rows["zhuwang"].deadline == D(2026, 1, 31) and not rows["zhuwang"].late
    assert rows["rushan"].deadline == D(2026, 3, 31) and not rows["rushan"].late
    assert rows["nongye"].late  # finalised, never published, past 31 January
    assert rows["xiacun"].late and rows["xiacun"].status == "none"
    assert rows["nongye"].status == "finalised"
    settings.REPORT_DEADLINE_MONTH_DAY = {**settings.REPORT_DEADLINE_MONTH_DAY, "township": "01-15"}
    data = rollup.build(city_reports.city, 2025, today=D(2026, 2, 15))
    assert {r.unit.code for r in data.late} == {"zhuwang", "nongye", "xiacun"}


def test_a_bad_deadline_setting_is_refused_with_its_name(settings):
    settings.REPORT_DEADLINE_MONTH_DAY = {"township": "13-40"}
    with pytest.raises(ImproperlyConfigured, match="REPORT_DEADLINE_MONTH_DAY"):
        rollup.parse_deadlines(settings.REPORT_DEADLINE_MONTH_DAY)
    with pytest.raises(ImproperlyConfigured, match="unknown kind"):
        rollup.parse_deadlines({"towship": "01-31"})
    with pytest.raises(ImproperlyConfigured, match="kind=MM-DD"):
        rollup.parse_deadlines({}, raw="township:01-31")
    assert rollup.parse_deadlines({"township": "02-29"}, raw="township=02-29") == {
        "township": (2, 29)
    }


def test_units_side_by_side(city_reports):
    data = rollup.build(city_reports.city, 2025, today=D(2026, 2, 15))
    rows = {r.unit.code: r.figures for r in data.counted}
    assert rows["zhuwang"]["new"] == 14 and rows["zhuwang"]["carried_out"] == 3
    assert rows["zhuwang"]["reconsideration"] == 2 and rows["zhuwang"]["litigation"] == 2
    assert rows["rushan"]["new"] == 2 and rows["nongye"]["new"] == 0
    assert rollup.key_totals(data)["new"] == 16


def test_a_township_rolls_up_only_itself(city_reports):
    data = rollup.build(city_reports.zhuwang, 2025)
    assert [r.unit.code for r in data.rows] == ["zhuwang"]


def test_the_roll_up_page_and_json_for_the_city_office(city_reports, client):
    client.login(username="cityhead", password=PASSWORD)
    page = client.get("/staff/reports/rollup/rushan/2025/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "乳山市夏村镇人民政府" in text and "逾期" in text
    assert 'rowspan="22"' in text  # the summed table in the official layout
    body = client.get("/staff/reports/rollup/rushan/2025/json/").json()
    assert body["format"] == "2021" and body["counted"] == 3
    assert body["missing"] == ["xiacun"]
    assert body["totals"]["applications"]["1"]["total"] == 16
    assert list(body["totals"]["applications"]) == formats.application_rows("2021")


def test_a_township_head_cannot_see_the_city_roll_up(city_reports, client):
    client.login(username="head", password=PASSWORD)
    assert client.get("/staff/reports/rollup/rushan/2025/").status_code == 404
    assert client.get("/staff/reports/rollup/rushan/2025/json/").status_code == 404
    assert client.get("/staff/reports/rollup/zhuwang/2025/").status_code == 200
