import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import actions
from gongkai.interaction.models import ReadingVisit
from tests.interaction.conftest import published_item


def form(cast, **overrides):
    data = {
        "unit": cast.zhuwang.pk,
        "visited_on": "2026-11-20",
        "visitor_name": "李四",
        "visitor_contact": "",
        "sought": "2017年财政预算",
        "other_material": "",
        "copies_pages": "12",
        "staff": cast.drafter.pk,
        "note": "",
    }
    data.update(overrides)
    return data


def test_a_visit_is_recorded_with_the_catalog_items_shown(client, cast):
    item = published_item(cast)
    client.force_login(cast.drafter)
    response = client.post(reverse("interaction:visit_new"), {**form(cast), "items": [item.pk]})
    assert response.status_code == 302
    visit = ReadingVisit.objects.get()
    assert list(visit.items.all()) == [item]
    assert visit.copies_pages == 12
    assert visit.staff == cast.drafter


def test_only_published_items_may_be_shown(client, cast):
    from gongkai.catalog import actions as catalog

    draft = catalog.item_create(
        actor=cast.drafter,
        unit=cast.zhuwang,
        title="草稿",
        body="<p>x</p>",
        formed_date=timezone.localdate(),
    )
    client.force_login(cast.drafter)
    response = client.post(reverse("interaction:visit_new"), {**form(cast), "items": [draft.pk]})
    assert response.status_code == 200
    assert not ReadingVisit.objects.exists()
    with pytest.raises(ValidationError, match="已公开"):
        actions.visit_record(actor=cast.drafter, unit=cast.zhuwang, sought="x", items=[draft])
    assert not ReadingVisit.objects.exists()


def test_negative_copies_and_missing_needs_are_refused(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("interaction:visit_new"), form(cast, copies_pages="-3", sought="")
    )
    assert response.status_code == 200
    assert not ReadingVisit.objects.exists()


def test_the_picker_finds_published_items_as_you_type(client, cast):
    item = published_item(cast, title="诸往镇2017年财政预算公开")
    client.force_login(cast.drafter)
    results = client.get(
        reverse("interaction:item_search"), {"q": "财政预算"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "诸往镇2017年财政预算公开" in results
    assert reverse("interaction:item_chosen", args=[item.pk]) in results
    assert (
        "没有找到"
        in client.get(reverse("interaction:item_search"), {"q": "无此标题"}).content.decode()
    )
    chosen = client.get(reverse("interaction:item_chosen", args=[item.pk])).content.decode()
    assert f'name="items" value="{item.pk}" checked' in chosen


def test_editing_keeps_and_changes_the_items(client, cast):
    first = published_item(cast, title="第一份")
    second = published_item(cast, title="第二份")
    visit = actions.visit_record(
        actor=cast.drafter, unit=cast.zhuwang, sought="预算", items=[first]
    )
    client.force_login(cast.drafter)
    url = reverse("interaction:visit_edit", args=[visit.pk])
    page = client.get(url).content.decode()
    assert "第一份" in page
    assert client.post(url, {**form(cast), "items": [second.pk]}).status_code == 302
    assert list(visit.items.all()) == [second]


def test_the_list_export_and_scoping(client, cast):
    item = published_item(cast)
    actions.visit_record(
        actor=cast.drafter,
        unit=cast.zhuwang,
        sought="年度报告",
        items=[item],
        visitor_name="李四",
        copies_pages=3,
    )
    client.force_login(cast.drafter)
    assert "年度报告" in client.get(reverse("interaction:visit_list")).content.decode()
    text = client.get(reverse("interaction:visit_export")).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][2] == "年度报告" and rows[1][5] == "3"
    assert "李四" not in text
    client.force_login(cast.other_drafter)
    assert "年度报告" not in client.get(reverse("interaction:visit_list")).content.decode()
    visit = ReadingVisit.objects.get()
    assert client.get(reverse("interaction:visit_edit", args=[visit.pk])).status_code == 404


def test_the_form_starts_with_today_in_the_date_picker(client, cast):
    client.force_login(cast.drafter)
    page = client.get(reverse("interaction:visit_new")).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_the_picker_refuses_a_nul_character_without_an_error(client, cast):
    published_item(cast, title="财政预算")
    client.force_login(cast.drafter)
    response = client.get(reverse("interaction:item_search"), {"q": "财政\x00预算"})
    assert response.status_code == 400
    assert "不允许的字符" in response.content.decode()
