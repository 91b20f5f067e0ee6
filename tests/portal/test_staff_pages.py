"""Staff pages for the office's 指南 text and 制度 pages: who may edit, what is cleaned, what is
recorded."""

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.portal.models import GuideText, Page


def test_the_office_edits_the_guide_and_the_text_is_cleaned_and_audited(client, cast):
    client.force_login(cast.office_reviewer)
    url = reverse("portal:staff_guide", args=["zhuwang"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "office_name": "诸往镇党政办公室",
            "proactive": '<p onclick="x()">政务公开栏</p><script>alert(1)</script>',
            "on_request": "当面申请请到党政办。\n\n电话申请请拨打热线。",
        },
    )
    assert response.status_code == 302
    guide = GuideText.objects.get(unit=cast.zhuwang)
    assert guide.proactive == "<p>政务公开栏</p>"
    assert guide.on_request == "<p>当面申请请到党政办。</p><p>电话申请请拨打热线。</p>"
    entry = AuditEntry.objects.get(action="portal.guide_update")
    assert entry.actor == cast.office_reviewer and entry.unit_id == cast.zhuwang.pk
    html = client.get(reverse("portal:guide", args=["zhuwang"])).content.decode()
    assert "诸往镇党政办公室" in html and "<p>政务公开栏</p>" in html and "alert" not in html


def test_a_page_is_created_edited_and_deleted(client, cast):
    client.force_login(cast.office_head)
    response = client.post(
        reverse("portal:staff_page_new", args=["zhuwang"]),
        {"title": "保密审查制度", "body": "上网信息不涉密。", "sort_order": 10},
    )
    assert response.status_code == 302
    page = Page.objects.get(unit=cast.zhuwang)
    response = client.post(
        reverse("portal:staff_page_edit", args=[page.pk]),
        {"title": "政府信息发布保密审查制度", "body": "涉密信息不上网。", "sort_order": 5},
    )
    page.refresh_from_db()
    assert page.title == "政府信息发布保密审查制度" and page.body == "<p>涉密信息不上网。</p>"
    client.post(reverse("portal:staff_page_delete", args=[page.pk]))
    assert not Page.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="portal.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["portal.page_create", "portal.page_update", "portal.page_delete"]


def test_bad_input_is_explained_and_changes_nothing(client, cast):
    client.force_login(cast.office_head)
    url = reverse("portal:staff_page_new", args=["zhuwang"])
    client.post(url, {"title": "制度", "body": "正文", "sort_order": 0})
    for data, message in [
        ({"title": "制度", "body": "另一份", "sort_order": 0}, "同名"),
        (
            {"title": "图片", "body": '<p><img src="https://x/a.png"></p>', "sort_order": 0},
            "替代文字",
        ),
        ({"title": "空白", "body": "<script>x</script>", "sort_order": 0}, "请填写正文"),
        ({"title": "", "body": "正文", "sort_order": 0}, "必填"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert Page.objects.count() == 1


@pytest.mark.parametrize("who", ["drafter", "other_drafter", "leader"])
def test_staff_without_the_permission_cannot_edit(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("portal:staff_guide", args=["zhuwang"])).status_code == 403
    response = client.post(
        reverse("portal:staff_page_new", args=["zhuwang"]), {"title": "x", "body": "y"}
    )
    assert response.status_code == 403 and not Page.objects.exists()


def test_an_administrator_above_may_edit_and_sees_every_organ(client, cast):
    client.force_login(cast.admin)  # 管理员 of the city: catalog.manage_categories
    html = client.get(reverse("portal:staff_index")).content.decode()
    for unit in (cast.city, cast.zhuwang, cast.other_township):
        assert unit.name in html
    assert client.get(reverse("portal:staff_guide", args=["xiacun"])).status_code == 200


def test_the_staff_menu_shows_the_entry_to_the_office(client, cast):
    client.force_login(cast.office_reviewer)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("portal:staff_index") in html
    client.force_login(cast.drafter)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("portal:staff_index") not in html
