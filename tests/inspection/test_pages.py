"""The score card, the city view, the export, the lists and the probe API, as staff see them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEntry
from gongkai.core.mail import send_queued
from gongkai.inspection import actions
from gongkai.inspection.models import DailyResult, ExactName, ProbeReport, WrongForm
from tests.factories import PASSWORD, make_user
from tests.inspection.conftest import TODAY
from tests.inspection.helpers import publish

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def inspected(cast, frozen):
    """诸往镇 with a home page at 10 days (a warning), 夏村镇 with nothing (a veto)."""
    publish(cast.zhuwang, day=TODAY - datetime.timedelta(days=10))
    actions.inspection_run(day=TODAY)
    return cast


def test_score_card_shows_vetoes_values_thresholds_and_fixes(client, inspected):
    response = login(client, inspected.office_head).get("/staff/inspection/zhuwang/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "首页不更新" in html and "单项否决" in html
    assert "14天无更新否决（10天预警）" in html
    assert "监测2周，首页没有新信息即单项否决。" in html
    assert "未监测" in html  # availability before any probe reported


def test_township_staff_cannot_see_another_townships_card(client, inspected):
    response = login(client, inspected.office_head).get("/staff/inspection/xiacun/")
    assert response.status_code == 404


def test_drafter_has_no_inspection_pages(client, inspected):
    response = login(client, inspected.drafter).get("/staff/inspection/")
    assert response.status_code == 403


def test_city_view_sorts_units_with_vetoes_first_and_exports_xlsx(client, inspected):
    admin = inspected.admin
    response = login(client, admin).get("/staff/inspection/?sort=vetoes")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(">夏村镇<") < html.index(">诸往镇<")
    assert 'data-option="insp-trend"' in html
    by_name = login(client, admin).get("/staff/inspection/?sort=name").content.decode()
    assert by_name.index(">诸往镇<") < by_name.index(">夏村镇<")
    export = client.get("/staff/inspection/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["单位", "总体结果"]
    assert "首页不更新（数值）" in header and "首页不更新（结果）" in header
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["乳山市夏村镇人民政府"][1] == "不合格（单项否决）"


def test_export_columns_follow_the_configured_order_and_titles(client, inspected, settings):
    settings.INSPECTION_EXPORT_COLUMNS = ["annual_report=年报按时发布", "home_update=首页更新"]
    export = login(client, inspected.admin).get("/staff/inspection/export.xlsx")
    header = [c.value for c in load_workbook(io.BytesIO(export.content)).active[1]]
    assert header[4:] == [
        "年报按时发布（数值）", "年报按时发布（阈值）", "年报按时发布（结果）",
        "首页更新（数值）", "首页更新（阈值）", "首页更新（结果）",
    ]  # fmt: skip


def test_workbench_shows_the_units_warnings(client, inspected):
    html = login(client, inspected.office_head).get("/staff/").content.decode()
    assert "网站自查预警" in html
    assert "诸往镇·首页不更新" in html


def test_city_admin_edits_lists_with_an_audit_row(client, inspected):
    c = login(client, inspected.admin)
    c.post("/staff/inspection/lists/", {"what": "name_add", "name": "张志强", "titles": "镇长"})
    c.post("/staff/inspection/lists/", {"what": "form_add", "wrong": "书计", "correct": "书记"})
    assert ExactName.objects.filter(name="张志强").exists()
    assert WrongForm.objects.filter(wrong="书计", serious=False).exists()
    actions_logged = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"inspection.exact_name_add", "inspection.wrong_form_add"} <= actions_logged


def test_bad_list_input_gives_a_message_and_changes_nothing(client, inspected):
    c = login(client, inspected.admin)
    response = c.post(
        "/staff/inspection/lists/", {"what": "form_add", "wrong": "书记", "correct": "书记"},
        follow=True,
    )  # fmt: skip
    assert "错误写法与正确写法相同" in response.content.decode()
    assert not WrongForm.objects.exists()
    response = c.post("/staff/inspection/lists/", {"what": "column", "category": "x"}, follow=True)
    assert "没有这个栏目" in response.content.decode()


def test_township_admin_cannot_edit_the_city_lists(client, inspected):
    township_admin = make_user("zadmin", roles=[(inspected.zhuwang, Role.ADMIN)])
    response = login(client, township_admin).post(
        "/staff/inspection/lists/", {"what": "name_add", "name": "王五", "titles": "镇长"}
    )
    assert response.status_code == 403
    assert not ExactName.objects.exists()


def test_warning_that_fails_tomorrow_mails_the_office_head_once(inspected, frozen):
    inspected.office_head.email = "head@example.com"
    inspected.office_head.save()
    publish(inspected.zhuwang, day=TODAY - datetime.timedelta(days=13))
    DailyResult.objects.all().delete()
    from gongkai.catalog.models import Item

    Item.objects.filter(first_published_at__date__gt=TODAY - datetime.timedelta(days=13)).delete()
    actions.inspection_run(day=TODAY)
    row = DailyResult.objects.get(unit=inspected.zhuwang, day=TODAY, indicator="home_update")
    assert row.status == "warning" and row.fails_tomorrow and row.notified_at is not None
    actions.inspection_run(day=TODAY)  # a second pass the same day sends nothing more
    send_queued()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["head@example.com"]
    assert "明日将不合格" in message.subject and "首页不更新" in message.body


def test_results_are_kept_per_day_and_the_card_says_when_a_problem_began(client, cast, frozen):
    publish(cast.zhuwang, day=TODAY - datetime.timedelta(days=12))
    for back in (3, 2, 1, 0):
        actions.inspection_run(day=TODAY - datetime.timedelta(days=back), notify=False)
    days = set(DailyResult.objects.filter(unit=cast.zhuwang).values_list("day", flat=True))
    assert len(days) == 4
    html = login(client, cast.office_head).get("/staff/inspection/zhuwang/").content.decode()
    # Warning from day 10 (TODAY-2), failing from day 14: the problem began on TODAY-2.
    assert f"问题始于</dt><dd>{TODAY - datetime.timedelta(days=2):%Y-%m-%d}" in html


# ---------------------------------------------------------------- the probe API


def _token(user):
    from gongkai.accounts.actions import token_create

    return token_create(actor=None, user=user)[1]


def test_probe_reports_availability_through_the_api(client, cast):
    token = _token(cast.admin)
    response = client.post(
        "/api/v1/inspection/probes",
        {"unit": "zhuwang", "url": "https://zhuwang.example/", "ok": True, "seconds": 1.2},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content
    assert ProbeReport.objects.get().unit == cast.zhuwang


def test_probe_without_the_permission_is_refused(client, cast):
    token = _token(cast.drafter)
    response = client.post(
        "/api/v1/inspection/probes",
        {"unit": "zhuwang", "url": "https://zhuwang.example/", "ok": True, "seconds": 1.2},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert not ProbeReport.objects.exists()


def test_probe_with_bad_input_gets_a_reason(client, cast):
    token = _token(cast.admin)
    response = client.post(
        "/api/v1/inspection/probes",
        {"unit": "zhuwang", "url": "ftp://x", "ok": True, "seconds": 1},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/inspection/probes",
        {"unit": "zhuwang", "url": "https://x/", "ok": True, "seconds": -1},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    # A value outside the schema's bounds is refused by the schema, like every API body.
    assert response.status_code == 422
    assert not ProbeReport.objects.exists()


def test_city_admin_sets_a_column_type_with_an_audit_row(client, inspected):
    from gongkai.catalog.models import Category
    from gongkai.inspection.models import ColumnType

    column = Category.objects.get(code="site-countryside")
    c = login(client, inspected.admin)
    c.post("/staff/inspection/lists/", {"what": "column", "category": column.pk, "kind": "news"})
    assert ColumnType.objects.get(category=column).kind == "news"
    c.post("/staff/inspection/lists/", {"what": "column", "category": column.pk, "kind": ""})
    assert not ColumnType.objects.filter(category=column).exists()
    logged = list(
        AuditEntry.objects.filter(action__startswith="inspection.column_type")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert logged == ["inspection.column_type_set", "inspection.column_type_clear"]


def test_menu_shows_self_inspection_to_the_office_head_only(client, inspected):
    head_page = login(client, inspected.office_head).get("/staff/").content.decode()
    assert 'href="/staff/inspection/"' in head_page
    client.logout()
    drafter_page = login(client, inspected.drafter).get("/staff/").content.decode()
    assert 'href="/staff/inspection/"' not in drafter_page
