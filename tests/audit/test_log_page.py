"""The audit log page: who sees which rows, the filters, bad input, pagination and the diff."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.audit.log import record
from gongkai.audit.models import AuditEntry
from tests.factories import make_user

URL = reverse("audit:list")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def rows(cast):
    """One marked row per place: 诸往镇, its station, 夏村镇, and system level."""
    return {
        "zhuwang": record(
            actor=cast.drafter, action="test.mark", unit=cast.zhuwang, note="MARK-ZHUWANG"
        ),
        "station": record(
            actor=cast.station_drafter, action="test.mark", unit=cast.station, note="MARK-STATION"
        ),
        "other": record(
            actor=cast.other_drafter,
            action="test.mark",
            unit=cast.other_township,
            note="MARK-XIACUN",
        ),
        "system": record(actor=None, action="accounts.login_failed", note="MARK-SYSTEM"),
    }


def marks(response):
    return set(re.findall(r"MARK-[A-Z0-9]+", response.content.decode()))


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_office_head_sees_their_township_and_its_stations_only(client, cast, rows):
    response = get(client, cast.office_head)
    assert response.status_code == 200
    assert marks(response) == {"MARK-ZHUWANG", "MARK-STATION"}


def test_city_admin_also_sees_system_level_rows(client, cast, rows):
    response = get(client, cast.admin)
    assert marks(response) == {"MARK-ZHUWANG", "MARK-STATION", "MARK-XIACUN", "MARK-SYSTEM"}


def test_superuser_without_roles_sees_everything(client, cast, rows):
    boss = make_user("boss", is_superuser=True)
    assert marks(get(client, boss)) == {
        "MARK-ZHUWANG",
        "MARK-STATION",
        "MARK-XIACUN",
        "MARK-SYSTEM",
    }


def test_township_admin_does_not_see_system_level_rows(client, cast, rows):
    township_admin = make_user("tadmin", roles=[(cast.zhuwang, "admin")])
    assert marks(get(client, township_admin)) == {"MARK-ZHUWANG", "MARK-STATION"}


def test_staff_without_audit_permission_are_refused(client, cast, rows):
    for user in (cast.drafter, cast.leader, cast.office_reviewer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("audit:export")).status_code == 403
        assert client.get(reverse("audit:detail", args=[rows["zhuwang"].pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, rows):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_menu_offers_the_log_only_to_those_who_may_read_it(client, cast):
    client.force_login(cast.office_head)
    assert URL in client.get(reverse("core:workbench")).content.decode()
    client.force_login(cast.drafter)
    assert URL not in client.get(reverse("core:workbench")).content.decode()


def test_newest_entries_come_first_and_pages_hold_fifty(client, cast):
    for n in range(60):
        AuditEntry.objects.create(
            actor_name="drafter",
            action="test.page",
            unit=cast.zhuwang,
            at=at(2025, 3, 1, 8) + datetime.timedelta(minutes=n),
            note=f"ROW{n:03d}",
        )
    client.force_login(cast.office_head)
    first = client.get(URL, {"action": "test.page"}).content.decode()
    numbers = [int(n) for n in re.findall(r"ROW(\d{3})", first)]
    assert numbers == list(range(59, 9, -1))
    second = client.get(URL, {"action": "test.page", "page": 2}).content.decode()
    assert [int(n) for n in re.findall(r"ROW(\d{3})", second)] == list(range(9, -1, -1))
    assert "action=test.page&amp;page=2" in first  # the filter survives paging


def test_date_range_is_inclusive_of_both_days_in_local_time(client, cast):
    for day, hour in ((1, 0), (2, 23), (3, 0), (4, 12)):
        AuditEntry.objects.create(
            actor_name="x",
            action="test.date",
            unit=cast.zhuwang,
            at=at(2025, 3, day, hour),
            note=f"MARK-DAY{day}",
        )
    response = get(client, cast.office_head, date_from="2025-03-02", date_to="2025-03-03")
    assert marks(response) == {"MARK-DAY2", "MARK-DAY3"}


def test_filter_by_actor_action_object_and_text(client, cast, rows):
    user_row = record(
        actor=cast.admin,
        action="accounts.user_update",
        obj=cast.drafter,
        unit=cast.zhuwang,
        before={"full_name": "张三"},
        after={"full_name": "张三丰"},
        note="MARK-OBJECT",
    )
    assert marks(get(client, cast.admin, actor="station")) == {"MARK-STATION"}
    assert marks(get(client, cast.admin, action="accounts.")) == {"MARK-SYSTEM", "MARK-OBJECT"}
    by_object = get(
        client,
        cast.admin,
        object_type="accounts.user",
        object_id=user_row.object_id,
        action="accounts.user_update",
    )
    assert marks(by_object) == {"MARK-OBJECT"}
    assert marks(get(client, cast.admin, q="张三丰")) == {"MARK-OBJECT"}
    assert marks(get(client, cast.admin, q="mark-xiacun")) == {"MARK-XIACUN"}


def test_filter_by_unit_includes_the_units_below(client, cast, rows):
    response = get(client, cast.admin, unit=cast.zhuwang.pk, action="test.mark")
    assert marks(response) == {"MARK-ZHUWANG", "MARK-STATION"}
    assert marks(get(client, cast.admin, unit="system", q="MARK")) == {"MARK-SYSTEM"}


def test_a_unit_outside_ones_scope_is_a_message_not_a_leak(client, cast, rows):
    response = get(client, cast.office_head, unit=cast.other_township.pk)
    assert response.status_code == 200
    assert "不在您的查看范围内" in response.content.decode()
    assert "MARK-XIACUN" not in marks(response)
    response = get(client, cast.office_head, unit="system")
    assert "MARK-SYSTEM" not in marks(response)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2025-13-45"},
        {"date_to": "yesterday"},
        {"date_from": "2025-03-05", "date_to": "2025-03-01"},
        {"q": "长" * 5000},
        {"actor": "x" * 101},
        {"unit": "abc"},
        {"unit": "99999999999999999999999"},
        {"object_id": "1' OR '1'='1"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_filter_values_get_a_message_never_an_error(client, cast, rows, params):
    response = get(client, cast.admin, **params)
    assert response.status_code == 200
    body = response.content.decode()
    if "page" not in params and "object_id" not in params:
        assert "筛选条件有误" in body


def test_a_control_character_in_the_address_is_refused_with_a_message(client, cast, rows):
    response = get(client, cast.admin, q="bad\x00null")
    assert response.status_code == 400
    assert "不允许的字符" in response.content.decode()


def test_an_invalid_date_is_ignored_while_the_other_filters_still_apply(client, cast, rows):
    response = get(client, cast.admin, date_from="2025-02-30", actor="station")
    assert marks(response) == {"MARK-STATION"}
    assert "请按“年-月-日”填写日期" in response.content.decode()


def test_each_entry_shows_who_when_what_and_from_where(client, cast):
    record(
        actor=cast.admin,
        action="accounts.unit_update",
        obj=cast.station,
        unit=cast.station,
        before={"short_name": "农业站", "phone": "0631-1"},
        after={"short_name": "农业综合站", "phone": "0631-1"},
        ip="10.1.2.3",
    )
    body = get(client, cast.office_head, action="accounts.unit_update").content.decode()
    assert "admin" in body and "修改单位" in body and "10.1.2.3" in body
    assert "乳山市诸往镇农业综合服务站" in body  # the object
    changed = re.findall(r'<tr class="changed">\s*<th scope="row">([^<]*)', body)
    assert changed == ["简称 "]
    assert "<del>农业站</del>" in body and "<ins>农业综合站</ins>" in body


def test_personal_data_written_around_the_logger_is_still_masked_on_the_page(client, cast):
    AuditEntry.objects.create(
        actor_name="x",
        action="test.raw",
        unit=cast.zhuwang,
        after={"phone": "13912345678"},
        note="身份证 110101199003074514",
    )
    body = get(client, cast.office_head, action="test.raw").content.decode()
    assert "13912345678" not in body
    assert "199003074514" not in body


def test_detail_page_shows_one_visible_entry_and_hides_others(client, cast, rows):
    client.force_login(cast.office_head)
    response = client.get(reverse("audit:detail", args=[rows["station"].pk]))
    assert response.status_code == 200
    assert "MARK-STATION" in response.content.decode()
    for hidden in ("other", "system"):
        response = client.get(reverse("audit:detail", args=[rows[hidden].pk]))
        assert response.status_code == 404


def test_detail_page_links_to_the_history_of_the_object(client, cast):
    entry = record(
        actor=cast.admin,
        action="accounts.unit_update",
        obj=cast.office,
        unit=cast.office,
        before={"sort_order": 0},
        after={"sort_order": 1},
    )
    client.force_login(cast.office_head)
    body = client.get(reverse("audit:detail", args=[entry.pk])).content.decode()
    assert f"object_type=accounts.unit&amp;object_id={cast.office.pk}" in body
