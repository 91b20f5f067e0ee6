"""The staff pages: everyone looks and counts, only administrators import or edit."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.workdays.forms import text_digest
from gongkai.workdays.models import CalendarYear, SpecialDay
from tests.factories import PASSWORD

D = datetime.date


@pytest.fixture
def as_user(client, cast):
    def login(name: str):
        client.login(username=getattr(cast, name).username, password=PASSWORD)
        return client

    return login


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for name in ("index", "import", "day"):
        response = client.get(reverse(f"workdays:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_drafter_sees_the_calendar_read_only(as_user):
    client = as_user("drafter")
    response = client.get(reverse("workdays:index"), {"year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作日历" in page
    assert "春节" in page and "2月14日" in page
    assert reverse("workdays:import") not in page
    assert reverse("workdays:day") not in page


def test_the_menu_shows_the_calendar_to_all_staff(as_user):
    page = as_user("drafter").get(reverse("core:workbench")).content.decode()
    assert reverse("workdays:index") in page


def test_the_calculator_gives_the_due_date(as_user):
    response = as_user("drafter").get(reverse("workdays:index"), {"start": "2025-09-26", "n": "20"})
    assert "2025年10月30日" in response.content.decode()


def test_the_calculator_gives_a_provisional_date_through_a_missing_year(as_user):
    response = as_user("drafter").get(reverse("workdays:index"), {"start": "2026-12-31", "n": "20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年1月29日" in page and "暂定" in page
    assert "2027 年的节假日安排尚未公布" in page
    assert "最早为 2027年1月26日" in page


def test_a_year_without_data_is_shown_as_missing(as_user):
    response = as_user("drafter").get(reverse("workdays:index"), {"year": "2027"})
    assert "缺少 2027 年的节假日数据" in response.content.decode()


def test_a_nonsense_year_parameter_shows_this_year(as_user):
    with time_machine.travel(D(2026, 11, 28), tick=False):
        response = as_user("drafter").get(reverse("workdays:index"), {"year": "abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2026 年" in page
    assert "还没有 2027 年的节假日数据" in page


@pytest.mark.parametrize("who", ["drafter", "office_head", "leader"])
def test_non_administrators_get_403_on_the_edit_pages(as_user, who):
    client = as_user(who)
    assert client.get(reverse("workdays:import")).status_code == 403
    assert client.get(reverse("workdays:day")).status_code == 403
    response = client.post(reverse("workdays:day"), {"date": "2026-03-02", "kind": "holiday"})
    assert response.status_code == 403
    assert not SpecialDay.objects.filter(date=D(2026, 3, 2)).exists()


def test_admin_previews_then_confirms_a_notice(as_user, notice_2027):
    client = as_user("admin")
    preview = client.post(
        reverse("workdays:import"), {"year": 2027, "text": notice_2027, "step": "preview"}
    )
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "预览：2027 年" in page
    assert "确认导入" in page
    assert not CalendarYear.objects.filter(year=2027).exists()
    digest = text_digest(f"2027\n{notice_2027}")
    assert digest in page
    done = client.post(
        reverse("workdays:import"),
        {"year": 2027, "text": notice_2027, "step": "confirm", "previewed": digest},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("workdays:index") + "?year=2027"
    assert SpecialDay.objects.filter(calendar_year__year=2027).count() == 33
    assert AuditEntry.objects.filter(action="workdays.calendar_import_notice").count() == 1


def test_confirming_a_text_changed_after_the_preview_only_previews_again(as_user, notice_2027):
    client = as_user("admin")
    response = client.post(
        reverse("workdays:import"),
        {"year": 2027, "text": notice_2027, "step": "confirm", "previewed": "stale"},
    )
    assert response.status_code == 200
    assert "请核对下面的新预览" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_previewing_a_year_that_has_data_shows_what_changes(as_user):
    text = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
    response = as_user("admin").post(reverse("workdays:import"), {"year": 2026, "text": text})
    page = response.content.decode()
    assert "确认后将被替换" in page
    assert "删除 2026-02-15" in page


def test_pasting_garbage_shows_the_reason_and_stores_nothing(as_user):
    response = as_user("admin").post(
        reverse("workdays:import"),
        {"year": 2027, "text": "你好：这是一段无关的文字", "step": "confirm"},
    )
    assert response.status_code == 200
    assert "没有找到任何节假日安排" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_edits_a_single_day_and_it_is_audited(as_user):
    client = as_user("admin")
    form = client.get(reverse("workdays:day"), {"date": "2025-09-28"})
    assert "调休上班" in form.content.decode()
    response = client.post(
        reverse("workdays:day"), {"date": "2026-03-02", "kind": "holiday", "name": "地方假日"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:index") + "?year=2026#m3"
    day = SpecialDay.objects.get(date=D(2026, 3, 2))
    assert (day.kind, day.name) == ("holiday", "地方假日")
    assert AuditEntry.objects.get(action="workdays.day_set").actor_id is not None


def test_an_impossible_single_day_edit_shows_the_reason(as_user):
    response = as_user("admin").post(
        reverse("workdays:day"), {"date": "2026-03-02", "kind": "workday", "name": ""}
    )
    assert response.status_code == 200
    assert "本来就是工作日" in response.content.decode()
    assert not SpecialDay.objects.filter(date=D(2026, 3, 2)).exists()


def test_a_bad_date_in_the_day_form_is_a_form_error(as_user):
    client = as_user("admin")
    assert client.get(reverse("workdays:day"), {"date": "nonsense"}).status_code == 200
    response = client.post(reverse("workdays:day"), {"date": "2026-02-30", "kind": "holiday"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
