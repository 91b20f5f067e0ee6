import pytest
from django.urls import reverse

from gongkai.accounts import actions
from gongkai.accounts.models import Unit, UnitKind
from gongkai.audit.models import AuditEntry
from tests.factories import make_unit

UNITS = reverse("accounts:unit_list")
NEW = reverse("accounts:unit_create")


def edit_url(unit):
    return reverse("accounts:unit_edit", args=[unit.pk])


def unit_data(unit=None, **overrides):
    data = {
        "parent": "",
        "name": "",
        "short_name": "",
        "code": "",
        "kind": UnitKind.OFFICE,
        "org_code": "",
        "index_template": "{org_code}/{year}-{serial:05d}",
        "address": "",
        "postcode": "",
        "opening_hours": "",
        "phone": "",
        "fax": "",
        "email": "",
        "website": "",
        "sort_order": "0",
        "is_active": "on",
    }
    if unit is not None:
        for name in data:
            value = getattr(unit, "parent_id" if name == "parent" else name)
            data[name] = "" if value is None else value
        data["is_organ"] = "on" if unit.is_organ else ""
        data["is_active"] = "on" if unit.is_active else ""
    data.update(overrides)
    # What a browser sends: every field as text, unticked boxes left out.
    return {k: str(v) for k, v in data.items() if not (v is None or v is False or v == "")}


def test_unit_tree_shows_a_township_admin_their_township_indented(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.get(UNITS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "乳山市诸往镇人民政府" in html and "农业综合服务站" in html
    assert "夏村镇" not in html
    assert "乳山市人民政府<" not in html  # the city is above them
    assert 'class="depth-1' in html  # the office and station sit under the township
    assert "004362519" in html


def test_city_admin_sees_the_whole_tree(client, cast):
    client.force_login(cast.admin)
    html = client.get(UNITS).content.decode()
    assert "乳山市人民政府" in html and "夏村镇" in html and "诸往镇" in html


@pytest.mark.parametrize("who", ["drafter", "leader", "office_head"])
def test_people_without_the_admin_role_get_403(client, cast, who):
    user = {"drafter": cast.drafter, "leader": cast.leader, "office_head": cast.office_head}[who]
    client.force_login(user)
    assert client.get(UNITS).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(cast.office)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, cast):
    response = client.get(UNITS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_sibling_township_admin_cannot_see_or_change_zhuwang_units(client, cast, xiacun_admin):
    client.force_login(xiacun_admin)
    assert client.get(edit_url(cast.office)).status_code == 404
    before = Unit.objects.get(pk=cast.office.pk).name
    response = client.post(edit_url(cast.office), unit_data(cast.office, name="被篡改的名称"))
    assert response.status_code == 404
    assert Unit.objects.get(pk=cast.office.pk).name == before
    # Nor create a unit under 诸往镇 by naming it as the parent.
    response = client.post(
        NEW, unit_data(parent=cast.zhuwang.pk, name="夏村插进来的", short_name="插", code="sneak")
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Unit.objects.filter(code="sneak").exists()


def test_admin_creates_an_office_under_their_township_audited(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.post(
        NEW,
        unit_data(
            parent=cast.zhuwang.pk,
            name="乳山市诸往镇便民服务中心",
            short_name="便民中心",
            code="zhuwang-service",
            phone="0631-6661234",
            postcode="264200",
            opening_hours="工作日 8:30-17:00",
        ),
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="zhuwang-service")
    assert unit.parent_id == cast.zhuwang.pk
    assert unit.path == f"{cast.zhuwang.path}{unit.pk}/"
    assert unit.opening_hours == "工作日 8:30-17:00"
    entry = AuditEntry.objects.get(action="accounts.unit_create", object_id=str(unit.pk))
    assert entry.actor_id == zhuwang_admin.pk


def test_township_admin_must_choose_a_parent(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.post(NEW, unit_data(name="无上级", short_name="无上级", code="orphan"))
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Unit.objects.filter(code="orphan").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"is_organ": "on", "org_code": ""}, "org_code", "必须填写"),
        ({"is_organ": "on", "org_code": "004362511"}, "org_code", "应为 9"),
        ({"is_organ": "on", "org_code": "11371083004362000Y"}, "org_code", "应为 X"),
        ({"is_organ": "on", "org_code": "12345"}, "org_code", "9 位"),
        (
            {"is_organ": "on", "org_code": "004362519", "index_template": "{org_code}-{serial}"},
            "index_template",
            "{year}",
        ),
        ({"index_template": "{org_code}/{year}-{nope}"}, "index_template", "未知的占位符"),
        ({"postcode": "26420"}, "postcode", "6 位数字"),
        ({"email": "not-an-email"}, "email", ""),
        ({"code": "有空格 的代码"}, "code", ""),
        ({"name": "乳山市夏村镇人民政府"}, "name", ""),
        ({"sort_order": "-3"}, "sort_order", ""),
        ({"sort_order": "99999999999"}, "sort_order", ""),
        ({"website": "javascript:alert(1)"}, "website", ""),
        ({"kind": "planet"}, "kind", ""),
    ],
)
def test_bad_unit_input_shows_the_error_on_its_field_and_saves_nothing(
    client, cast, overrides, field, says
):
    client.force_login(cast.admin)
    count = Unit.objects.count()
    data = unit_data(parent=cast.zhuwang.pk, name="新单位", short_name="新单位", code="new-unit")
    data.update(overrides)
    response = client.post(NEW, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert says in " ".join(errors[field])
    assert Unit.objects.count() == count
    assert "请按提示修改" in response.content.decode()


def test_organ_with_a_valid_credit_code_is_saved(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        NEW,
        unit_data(
            parent=cast.city.pk,
            name="乳山市某某局",
            short_name="某某局",
            code="mmj",
            kind=UnitKind.DEPARTMENT,
            is_organ="on",
            org_code="11371000004359010j",
        ),
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="mmj").org_code == "11371000004359010J"


def test_editing_a_unit_saves_every_field_and_audits_before_and_after(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    data = unit_data(
        cast.station,
        address="诸往镇政府大院 3 号楼",
        fax="0631-6660000",
        email="nongye@example.cn",
        website="https://zhuwang.example.cn",
        sort_order="5",
    )
    response = client.post(edit_url(cast.station), data)
    assert response.status_code == 302, response.context["form"].errors
    station = Unit.objects.get(pk=cast.station.pk)
    assert (station.address, station.fax, station.sort_order) == (
        "诸往镇政府大院 3 号楼",
        "0631-6660000",
        5,
    )
    assert station.website == "https://zhuwang.example.cn"
    entry = AuditEntry.objects.filter(action="accounts.unit_update").latest("id")
    assert entry.before["sort_order"] == 0 and entry.after["sort_order"] == 5


def test_township_admin_edits_their_township_but_cannot_move_it(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    page = client.get(edit_url(cast.zhuwang))
    assert page.context["form"].fields["parent"].disabled
    data = unit_data(cast.zhuwang, parent=cast.other_township.pk, phone="0631-6668888")
    response = client.post(edit_url(cast.zhuwang), data)
    assert response.status_code == 302
    zhuwang = Unit.objects.get(pk=cast.zhuwang.pk)
    assert zhuwang.parent_id == cast.city.pk
    assert zhuwang.phone == "0631-6668888"


def test_a_unit_cannot_be_moved_under_itself_or_its_children(client, cast):
    client.force_login(cast.admin)
    response = client.post(edit_url(cast.zhuwang), unit_data(cast.zhuwang, parent=cast.office.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Unit.objects.get(pk=cast.zhuwang.pk).parent_id == cast.city.pk


def test_moving_a_unit_recomputes_the_paths_of_its_whole_subtree(client, cast):
    group = make_unit(parent=cast.station, name="农业站第一组", code="agri-1")
    sub = make_unit(parent=group, name="农业站第一组甲班", code="agri-1a")
    client.force_login(cast.admin)
    response = client.post(
        edit_url(cast.station), unit_data(cast.station, parent=cast.other_township.pk)
    )
    assert response.status_code == 302
    station, group, sub = (Unit.objects.get(pk=u.pk) for u in (cast.station, group, sub))
    assert station.path == f"{cast.other_township.path}{station.pk}/"
    assert group.path == f"{station.path}{group.pk}/"
    assert sub.path == f"{group.path}{sub.pk}/"
    assert not Unit.objects.filter(path__startswith=cast.zhuwang.path, pk=sub.pk).exists()
    assert sub.is_within(cast.other_township)


def test_township_admin_cannot_move_a_unit_out_of_their_reach(cast, zhuwang_admin):
    with pytest.raises(actions.permissions.PermissionDenied):
        actions.unit_update(
            actor=zhuwang_admin, unit=cast.station, parent=cast.other_township, move=True
        )
    with pytest.raises(actions.permissions.PermissionDenied):
        actions.unit_update(actor=zhuwang_admin, unit=cast.station, parent=None, move=True)
    assert Unit.objects.get(pk=cast.station.pk).parent_id == cast.zhuwang.pk


def test_parent_choices_are_only_units_the_admin_manages(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    form = client.get(NEW).context["form"]
    choices = set(form.fields["parent"].queryset.values_list("code", flat=True))
    assert choices == {"zhuwang", "zhuwang-office", "zhuwang-agri"}


def test_the_new_unit_form_prefills_the_parent_from_the_tree(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    html = client.get(NEW + f"?parent={cast.station.pk}").content.decode()
    assert f'<option value="{cast.station.pk}" selected>' in html


def test_a_legacy_code_that_fails_its_check_is_flagged_but_does_not_block_other_edits(client, cast):
    # A code imported from an older system, 004362511, has a wrong check digit (it should end in 9).
    Unit.objects.filter(pk=cast.zhuwang.pk).update(org_code="004362511")
    client.force_login(cast.admin)
    page = client.get(edit_url(cast.zhuwang)).content.decode()
    assert "现存的代码未通过校验" in page
    response = client.post(edit_url(cast.zhuwang), unit_data(cast.zhuwang, phone="0631-1234567"))
    assert response.status_code == 302, response.context["form"].errors
    assert Unit.objects.get(pk=cast.zhuwang.pk).phone == "0631-1234567"
    # Typing a different wrong code is still refused.
    response = client.post(edit_url(cast.zhuwang), unit_data(cast.zhuwang, org_code="004362512"))
    assert response.status_code == 200
    assert "org_code" in response.context["form"].errors


def test_the_action_itself_refuses_a_wrong_check_digit_whoever_calls_it(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        actions.unit_update(actor=cast.admin, unit=cast.zhuwang, org_code="004362511")
    assert "org_code" in info.value.message_dict
    assert Unit.objects.get(pk=cast.zhuwang.pk).org_code == "004362519"
    with pytest.raises(ValidationError):
        make_unit(parent=cast.city, name="新机关", is_organ=True, org_code="12345678-9")
    unit = actions.unit_update(actor=cast.admin, unit=cast.zhuwang, org_code="00436253-5")
    assert unit.org_code == "004362535"
