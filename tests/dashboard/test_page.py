"""The dashboard page and its CSV downloads, as staff of 诸往镇, of the city and of a station see
them. 夏村镇's figures are deliberately different, so a leak would show."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import time_machine
from django.urls import reverse

from tests.dashboard.conftest import D, beijing, make_letter, make_publication, replied

URL = reverse("dashboard:index")


@pytest.fixture(autouse=True)
def _in_december_2025():
    with time_machine.travel(beijing(D(2025, 12, 15)), tick=False):
        yield


@pytest.fixture
def figures(cast):
    z, x = cast.zhuwang, cast.other_township
    replied(z, D(2025, 9, 26), D(2025, 10, 13), due=D(2025, 10, 30))
    replied(z, D(2025, 9, 30), D(2025, 10, 9), due=D(2025, 10, 31), decision="3.3.4")
    replied(z, D(2025, 3, 3), D(2025, 4, 8), due=D(2025, 3, 31), decision="3.2")
    make_publication(z, beijing(D(2025, 5, 6)), due=D(2025, 5, 20))
    make_publication(z, beijing(D(2025, 6, 6)), due=D(2025, 5, 20))
    make_letter(z, beijing(D(2025, 10, 9)), beijing(D(2025, 10, 13)))
    for day in range(1, 8):  # seven 不予处理 in 夏村镇, nothing like 诸往镇's three
        replied(x, D(2025, 2, day), D(2025, 2, 20), decision="3.5.2", due=D(2025, 3, 1))
    for day in range(1, 14):
        make_publication(x, beijing(D(2025, 7, day)), due=D(2025, 7, 1))
    return cast


def _charts(response):
    return {c.key: c for c in response.context["dashboard"].charts}


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_township_staff_see_their_own_figures(client, figures):
    client.force_login(figures.drafter)

    response = client.get(URL, {"year": "2025"})

    assert response.status_code == 200
    charts = _charts(response)
    assert charts["decisions"].total == ["全年", 1, 1, 1, 0, 0, 0, 3]
    assert charts["on-time"].total == ["全年", 3, 2, 1, 0, 66.7]
    assert charts["publications"].total == ["全年", 2]
    assert charts["late"].total == ["全年", 2, 1, 0, 50.0]
    assert charts["mailbox"].total[1] == 1
    page = response.content.decode()
    assert "乳山市诸往镇人民政府 · 2025 年" in page
    assert "夏村镇" not in page
    assert 'id="option-decisions"' in page and "查看数据表" in page


def test_asking_for_a_sibling_township_shows_a_message_and_never_its_figures(client, figures):
    client.force_login(figures.drafter)

    response = client.get(URL, {"unit": "xiacun", "year": "2025"})

    assert response.status_code == 200
    assert any("无权查看" in m for m in _messages(response))
    charts = _charts(response)
    assert charts["decisions"].total[-1] == 3  # 诸往镇's, not 夏村镇's seven
    assert charts["publications"].total == ["全年", 2]
    assert "夏村镇" not in response.content.decode().replace("xiacun", "")
    csv_response = client.get(reverse("dashboard:csv", args=["decisions"]), {"unit": "xiacun"})
    assert csv_response.status_code == 302
    assert csv_response["Location"].startswith(URL)


def test_city_staff_see_the_city_total_and_may_pick_a_township(client, figures):
    client.force_login(figures.admin)

    total = _charts(client.get(URL, {"year": "2025"}))
    sibling = _charts(client.get(URL, {"unit": "xiacun", "year": "2025"}))

    assert total["decisions"].total == ["全年", 1, 1, 1, 0, 7, 0, 10]
    assert total["publications"].total == ["全年", 15]
    assert sibling["decisions"].total == ["全年", 0, 0, 0, 0, 7, 0, 7]
    assert sibling["late"].total == ["全年", 13, 12, 0, 92.3]  # 7月1日 itself is on time


def test_station_staff_see_the_work_of_their_station(client, cast):
    replied(cast.zhuwang, D(2025, 3, 3), D(2025, 3, 10), department=cast.station)
    replied(cast.zhuwang, D(2025, 3, 3), D(2025, 3, 12))
    client.force_login(cast.station_drafter)

    response = client.get(URL, {"year": "2025"})

    assert response.status_code == 200
    assert _charts(response)["decisions"].total[-1] == 1
    assert "交由本单位承办的申请" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999999"},
        {"year": "2031"},
        {"unit": "<script>alert(1)</script>"},
        {"unit": "nobody", "year": "1800"},
        {"year": ["2024", "2025"], "unit": ""},
    ],
)
def test_bad_parameters_give_a_message_and_the_default_view(client, figures, params):
    client.force_login(figures.drafter)

    response = client.get(URL, params)

    assert response.status_code == 200
    assert response.context["chosen"].key == "zhuwang"
    if params.get("year") not in (["2024", "2025"],):
        assert _messages(response), params
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_nul_byte_in_the_address_is_refused_before_the_dashboard_sees_it(client, figures):
    client.force_login(figures.drafter)

    response = client.get(URL, {"unit": "zhuwang\x00", "year": "2025\x00"})

    assert response.status_code == 400


def test_a_year_without_records_says_so_instead_of_drawing_empty_charts(client, figures):
    client.force_login(figures.drafter)

    response = client.get(URL, {"year": "2023"})

    page = response.content.decode()
    assert page.count("本年度暂无数据") == 6
    assert 'id="option-' not in page
    assert "查看数据表" not in page


def test_a_year_with_publications_but_none_late_says_so(client, cast):
    make_publication(cast.zhuwang, beijing(D(2025, 5, 6)), due=D(2025, 5, 20))
    client.force_login(cast.drafter)

    page = client.get(URL, {"year": "2025"}).content.decode()

    assert "本年度发布的信息均未逾期（共 1 条）" in page


def test_chart_options_carry_the_monthly_figures(client, figures):
    client.force_login(figures.drafter)

    page = client.get(URL, {"year": "2025"}).content.decode()

    found = re.search(r'<script id="option-decisions" type="application/json">(.*?)</script>', page)
    assert found
    option = json.loads(found.group(1))
    series = {s["name"]: s["data"] for s in option["series"]}
    assert series["予以公开"][9] == 1  # October
    assert series["不予公开"][9] == 1
    assert series["部分公开"][3] == 1  # April
    assert option["xAxis"]["data"][0] == "1月"


def test_csv_download_is_the_table_in_utf8_with_bom(client, figures):
    client.force_login(figures.drafter)

    response = client.get(reverse("dashboard:csv", args=["decisions"]), {"year": "2025"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    groups = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert rows[0] == ["月份", *groups, "合计"]
    assert rows[4] == ["4月", "0", "1", "0", "0", "0", "0", "1"]
    assert rows[10] == ["10月", "1", "0", "1", "0", "0", "0", "2"]
    assert rows[-1] == ["全年", "1", "1", "1", "0", "0", "0", "3"]
    assert len(rows) == 14


def test_csv_of_the_on_time_rate_and_of_reply_days(client, figures):
    client.force_login(figures.drafter)

    on_time = client.get(reverse("dashboard:csv", args=["on-time"]), {"year": "2025"})
    days = client.get(reverse("dashboard:csv", args=["reply-days"]), {"year": "2025"})

    rows = list(csv.reader(io.StringIO(on_time.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "按期率（%）"
    assert rows[4] == ["4月", "1", "0", "1", "0", "0"]
    assert rows[10] == ["10月", "2", "2", "0", "0", "100"]
    assert rows[1] == ["1月", "0", "0", "0", "0", ""]
    day_rows = list(csv.reader(io.StringIO(days.content.decode("utf-8-sig"))))
    # 10/13: 7 WD; 10/9: 1 WD; 3/3 → 4/8 with 清明 4/4: 25 WD.
    assert day_rows[1:3] == [["0–5", "1", "33.3"], ["6–10", "1", "33.3"]]
    assert day_rows[5] == ["21–30", "1", "33.3"]


def test_unknown_chart_is_not_found_and_anonymous_visitors_must_sign_in(client, cast):
    assert client.get(URL).status_code == 302
    client.force_login(cast.drafter)
    assert client.get(reverse("dashboard:csv", args=["nothing"])).status_code == 404


def test_the_staff_menu_leads_to_the_dashboard(client, cast):
    client.force_login(cast.drafter)

    page = client.get(reverse("core:workbench")).content.decode()

    assert f'href="{URL}"' in page


def test_the_page_costs_a_fixed_number_of_queries(client, figures, django_assert_max_num_queries):
    client.force_login(figures.admin)
    with django_assert_max_num_queries(30):
        response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
