"""Category administration: the city administrator edits the shared tree; a township's office
head adds, renames, reorders and switches off the township's own columns; others may not."""

from django.urls import reverse

from gongkai.catalog import actions
from gongkai.catalog.models import Category

LIST = reverse("catalog:categories")
NEW = reverse("catalog:category_create")


def test_the_tree_is_shown_with_the_seeded_statutory_categories(client, cast):
    client.force_login(cast.admin)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "法定主动公开内容" in html
    assert "行政法规、规章和规范性文件" in html
    assert all(row["editable"] for row in response.context["rows"])


def test_staff_without_the_permission_get_403(client, cast):
    client.force_login(cast.drafter)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    top = Category.objects.filter(parent__isnull=True).first()
    assert client.post(reverse("catalog:category_toggle", args=[top.pk])).status_code == 403


def test_the_city_admin_adds_a_shared_category_under_a_parent(client, cast):
    parent = Category.objects.filter(parent__isnull=True, kind="column").first()
    client.force_login(cast.admin)
    page = client.get(NEW, {"parent": parent.pk}).content.decode()
    assert f'<option value="{parent.pk}" selected' in page
    response = client.post(
        NEW, {"parent": parent.pk, "name": "  乡村振兴  ", "kind": "column", "sort_order": "5"}
    )
    assert response.status_code == 302
    created = Category.objects.get(name="乡村振兴")
    assert created.parent == parent and created.unit is None


def test_a_township_head_adds_own_columns_but_cannot_touch_shared_ones(client, cast):
    client.force_login(cast.office_head)
    response = client.post(NEW, {"name": "诸往动态", "kind": "column", "sort_order": "0"})
    assert response.status_code == 400
    assert "只有市级管理员" in response.content.decode()
    response = client.post(
        NEW, {"name": "诸往动态", "kind": "column", "unit": cast.zhuwang.pk, "sort_order": "0"}
    )
    assert response.status_code == 302
    own = Category.objects.get(name="诸往动态")
    assert own.unit == cast.zhuwang
    shared = Category.objects.filter(unit__isnull=True).first()
    assert client.get(reverse("catalog:category_edit", args=[shared.pk])).status_code == 403
    rows = client.get(LIST).context["rows"]
    assert {r["c"].pk for r in rows if r["editable"]} == {own.pk}


def test_a_statutory_category_cannot_belong_to_one_township(client, cast):
    client.force_login(cast.office_head)
    response = client.post(
        NEW, {"name": "镇法定目录", "kind": "statutory", "unit": cast.zhuwang.pk, "sort_order": "0"}
    )
    assert response.status_code == 400
    assert "所有单位通用" in response.content.decode()
    assert not Category.objects.filter(name="镇法定目录").exists()


def test_renaming_and_switching_off_a_column(client, cast):
    column = actions.category_create(actor=None, name="工作动态", unit=cast.zhuwang)
    client.force_login(cast.office_head)
    edit = reverse("catalog:category_edit", args=[column.pk])
    response = client.post(edit, {"name": "", "sort_order": "0", "is_active": "on"})
    assert response.status_code == 400
    response = client.post(edit, {"name": "镇村动态", "sort_order": "3", "is_active": "on"})
    assert response.status_code == 302
    column.refresh_from_db()
    assert column.name == "镇村动态" and column.sort_order == 3
    client.post(reverse("catalog:category_toggle", args=[column.pk]))
    column.refresh_from_db()
    assert not column.is_active
    # a switched-off column is no longer offered to drafters
    client.force_login(cast.drafter)
    form = client.get(reverse("catalog:item_create")).context["form"]
    assert column not in form.fields["category"].queryset


def test_moving_a_column_up_swaps_it_with_its_neighbour(client, cast):
    first = actions.category_create(actor=None, name="甲栏目", unit=cast.zhuwang, sort_order=1)
    second = actions.category_create(actor=None, name="乙栏目", unit=cast.zhuwang, sort_order=1)
    client.force_login(cast.office_head)
    move = reverse("catalog:category_move", args=[second.pk])
    assert client.post(move, {"direction": "up"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.sort_order < first.sort_order
    assert client.post(move, {"direction": "up"}).status_code == 302  # already first: no change
    assert client.post(move, {"direction": "sideways"}).status_code == 302
    second.refresh_from_db()
    assert second.sort_order < first.sort_order


def test_a_township_head_adds_its_own_column_under_a_shared_node(client, cast):
    shared = Category.objects.get(code="art20-01")
    client.force_login(cast.office_head)
    form = client.get(NEW, {"parent": shared.pk}).context["form"]
    assert form.initial["unit"] == cast.zhuwang and form.initial["kind"] == "column"
    response = client.post(
        NEW,
        {
            "parent": shared.pk,
            "name": "诸往镇规范性文件",
            "kind": "column",
            "unit": cast.zhuwang.pk,
            "sort_order": "0",
        },
    )
    assert response.status_code == 302
    assert Category.objects.get(name="诸往镇规范性文件").parent == shared
