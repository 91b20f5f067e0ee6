"""The item list: scoped to the user's units, filters, the "my queue" views and the due-date
highlights (late, due soon, unknown for lack of calendar data)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from gongkai.catalog.models import ItemVersion
from tests.catalog.conftest import make_draft, publish_new, walk

LIST = reverse("catalog:item_list")


def titles(response):
    return [row["version"].title for row in response.context["rows"]]


def test_the_list_shows_only_items_of_the_users_own_township(client, cast):
    make_draft(cast, title="诸往镇的通知")
    make_draft(cast, title="夏村镇的通知", unit=cast.other_township, actor=cast.other_drafter)
    client.force_login(cast.drafter)
    assert titles(client.get(LIST)) == ["诸往镇的通知"]
    client.force_login(cast.other_drafter)
    assert titles(client.get(LIST)) == ["夏村镇的通知"]
    client.force_login(cast.admin)  # the city sees both townships
    assert set(titles(client.get(LIST))) == {"诸往镇的通知", "夏村镇的通知"}


def test_a_station_drafter_sees_the_stations_items_only(client, cast):
    make_draft(cast, title="镇政府的通知")
    make_draft(cast, title="农业站的通知", unit=cast.station, actor=cast.station_drafter)
    client.force_login(cast.station_drafter)
    assert titles(client.get(LIST)) == ["农业站的通知"]
    client.force_login(cast.office_reviewer)  # the township office reviews its stations
    assert set(titles(client.get(LIST))) == {"镇政府的通知", "农业站的通知"}


def test_an_item_appears_once_with_its_newest_version(client, cast):
    from gongkai.catalog import actions

    item = publish_new(cast, title="第一版名称")
    actions.item_new_version(actor=cast.drafter, item=item)
    actions.item_update(actor=cast.drafter, item=item, title="第二版名称")
    client.force_login(cast.drafter)
    response = client.get(LIST)
    assert titles(response) == ["第二版名称"]
    assert "第 2 版" in response.content.decode()


def test_filters_by_text_state_unit_genre_and_year(client, cast):
    from gongkai.catalog.models import Genre

    notice = Genre.objects.get(code="notice") if Genre.objects.filter(code="notice") else None
    genre = notice or Genre.objects.first()
    make_draft(cast, title="春耕补贴公示", genre=genre)
    walk(
        cast,
        make_draft(cast, title="防汛预案", unit=cast.station, actor=cast.station_drafter),
        "secrecy_review",
    )
    make_draft(
        cast,
        title="旧年度报告",
        formed_date=datetime.date(2016, 3, 1),
        document_number="诸政发〔2016〕3号",
    )
    client.force_login(cast.office_reviewer)
    assert titles(client.get(LIST, {"q": "春耕"})) == ["春耕补贴公示"]
    assert titles(client.get(LIST, {"q": "〔2016〕3"})) == ["旧年度报告"]
    assert titles(client.get(LIST, {"state": "secrecy_review"})) == ["防汛预案"]
    assert titles(client.get(LIST, {"unit": cast.station.pk})) == ["防汛预案"]
    assert titles(client.get(LIST, {"genre": genre.pk})) == ["春耕补贴公示"]
    assert titles(client.get(LIST, {"year": 2016})) == ["旧年度报告"]


def test_bad_filter_values_show_a_message_and_never_fail(client, cast):
    make_draft(cast, title="春耕补贴公示")
    client.force_login(cast.drafter)
    for params in (
        {"year": "去年"},
        {"year": "99999999999999999999"},
        {"unit": "999999999"},
        {"unit": cast.other_township.pk},
        {"category": "-1"},
        {"genre": "abc"},
        {"state": "<script>"},
        {"q": "x" * 5000},
        {"queue": "nonsense"},
        {"page": "last-but-one"},
    ):
        response = client.get(LIST, params)
        assert response.status_code == 200, params
    assert "请填写四位数的年份" in client.get(LIST, {"year": "去年"}).content.decode()


def test_my_queue_shows_what_waits_for_me(client, cast):
    walk(cast, make_draft(cast, title="待保密审查的"), "secrecy_review")
    walk(cast, make_draft(cast, title="待签发的"), "sign_off")
    make_draft(cast, title="还在起草的")
    client.force_login(cast.secrecy_reviewer)
    assert titles(client.get(LIST, {"queue": "mine"})) == ["待保密审查的"]
    client.force_login(cast.leader)
    assert titles(client.get(LIST, {"queue": "mine"})) == ["待签发的"]
    assert titles(client.get(LIST, {"queue": "sign_off"})) == ["待签发的"]
    client.force_login(cast.drafter)
    assert titles(client.get(LIST, {"queue": "mine"})) == ["还在起草的"]


def test_the_queue_tabs_offer_only_the_users_own_steps(client, cast):
    client.force_login(cast.leader)
    tabs = dict(client.get(LIST).context["tabs"])
    assert "sign_off" in tabs and "secrecy_review" not in tabs and "draft" not in tabs


def test_late_and_due_soon_items_are_highlighted(client, cast):
    today = timezone.localdate()
    make_draft(cast, title="早就该公开的", formed_date=today - datetime.timedelta(days=60))
    soon = make_draft(cast, title="快到期的")
    ItemVersion.objects.filter(item=soon).update(due_date=today + datetime.timedelta(days=1))
    make_draft(cast, title="刚起草的", formed_date=today)
    client.force_login(cast.drafter)
    html = client.get(LIST).content.decode()
    assert 'class="row-late"' in html and "已超期" in html
    assert 'class="row-soon"' in html and "即将到期" in html
    assert titles(client.get(LIST, {"queue": "late"})) == ["早就该公开的"]
    assert titles(client.get(LIST, {"queue": "soon"})) == ["快到期的"]


def test_a_due_date_through_a_year_without_data_is_marked_provisional(client, cast):
    # The seeded calendar starts in 2004: 2003 has no holiday data.
    make_draft(cast, title="2003年的旧文件", formed_date=datetime.date(2003, 6, 2))
    client.force_login(cast.drafter)
    html = client.get(LIST).content.decode()
    assert "2003-06-30" in html and "暂定" in html
    assert "2003 年的节假日安排尚未公布" in html
    assert titles(client.get(LIST, {"queue": "unknown"})) == ["2003年的旧文件"]


def test_the_list_is_paginated(client, cast, settings):
    from gongkai.catalog import views

    for n in range(views.PAGE_SIZE + 3):
        make_draft(cast, title=f"通知{n}")
    client.force_login(cast.drafter)
    first = client.get(LIST)
    assert len(first.context["rows"]) == views.PAGE_SIZE
    assert len(client.get(LIST, {"page": 2}).context["rows"]) == 3


def test_the_staff_menu_leads_to_the_list(client, cast):
    client.force_login(cast.drafter)
    html = client.get(reverse("core:workbench")).content.decode()
    assert f'href="{LIST}"' in html and "主动公开" in html


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]
