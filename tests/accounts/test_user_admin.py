import pytest
from django.urls import reverse

from gongkai.accounts import actions
from gongkai.accounts.models import ApiToken, LoginFailure, Role, RoleAssignment, User
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

USERS = reverse("accounts:user_list")
NEW = reverse("accounts:user_create")
NEW_PASSWORD = "Wheat-field-2025!"


def detail(user):
    return reverse("accounts:user_detail", args=[user.pk])


def edit_data(user, **overrides):
    data = {
        "full_name": user.full_name,
        "unit": user.unit_id or "",
        "email": user.email,
        "phone": user.phone,
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def test_township_admin_lists_only_people_of_their_township(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    html = client.get(USERS).content.decode()
    for name in ["drafter", "secrecy", "reviewer", "leader", "head", "station"]:
        assert f">{name}<" in html
    assert ">other<" not in html  # 夏村镇's drafter
    assert ">admin<" not in html  # the city administrator
    assert "夏村镇" not in html


def test_sibling_township_admin_sees_none_of_zhuwang_and_gets_404(client, cast, xiacun_admin):
    client.force_login(xiacun_admin)
    html = client.get(USERS).content.decode()
    assert ">other<" in html and ">drafter<" not in html
    assert client.get(detail(cast.drafter)).status_code == 404
    response = client.post(detail(cast.drafter), edit_data(cast.drafter, full_name="改名"))
    assert response.status_code == 404
    response = client.post(
        reverse("accounts:user_set_password", args=[cast.drafter.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("accounts:role_grant", args=[cast.drafter.pk]),
        {"unit": cast.other_township.pk, "role": Role.LEADER},
    )
    assert response.status_code == 404
    assignment = RoleAssignment.objects.get(user=cast.drafter)
    response = client.post(reverse("accounts:role_revoke", args=[cast.drafter.pk, assignment.pk]))
    assert response.status_code == 404
    drafter = User.objects.get(pk=cast.drafter.pk)
    assert drafter.full_name == "drafter" and drafter.check_password(PASSWORD)
    assert RoleAssignment.objects.filter(user=drafter).count() == 1


def test_non_admins_get_403_on_the_people_pages(client, cast):
    client.force_login(cast.office_head)
    assert client.get(USERS).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(detail(cast.drafter)).status_code == 403


def test_admin_creates_an_account_with_a_first_role(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.post(
        NEW,
        {
            "username": "zhangsan",
            "full_name": "张三",
            "unit": cast.office.pk,
            "role": Role.DRAFTER,
            "email": "zhangsan@example.cn",
            "phone": "13800000000",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    user = User.objects.get(username="zhangsan")
    assert response.status_code == 302
    assert response["Location"] == detail(user)
    assert user.unit_id == cast.office.pk and user.check_password(NEW_PASSWORD)
    assert list(user.roles.values_list("unit__code", "role")) == [("zhuwang-office", "drafter")]
    created = AuditEntry.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert created.actor_id == zhuwang_admin.pk
    assert "13800000000" not in str(created.after)  # personal data is masked in the log
    assert AuditEntry.objects.filter(action="accounts.role_grant", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "password1"),
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "zhangsan2025", "password2": "zhangsan2025"}, "password1"),
        ({"password2": "Different-pass-99"}, "password2"),
        ({"username": "drafter"}, "username"),
        ({"username": "Drafter"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": ""}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"email": "nope"}, "email"),
        ({"role": "emperor"}, "role"),
    ],
)
def test_bad_account_input_is_shown_on_its_field_and_creates_nothing(
    client, cast, zhuwang_admin, overrides, field
):
    client.force_login(zhuwang_admin)
    before = User.objects.count()
    data = {
        "username": "zhangsan",
        "full_name": "张三",
        "unit": cast.office.pk,
        "role": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert User.objects.count() == before


def test_account_cannot_be_created_in_a_sibling_township(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.post(
        NEW,
        {
            "username": "mole",
            "full_name": "内线",
            "unit": cast.other_township.pk,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="mole").exists()


def test_admin_edits_name_contact_and_home_unit_audited(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    response = client.post(
        detail(cast.station_drafter),
        edit_data(
            cast.station_drafter, full_name="李四", phone="13911112222", unit=cast.station.pk
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(pk=cast.station_drafter.pk)
    assert (user.full_name, user.phone, user.unit_id) == ("李四", "13911112222", cast.station.pk)
    entry = AuditEntry.objects.get(action="accounts.user_update", object_id=str(user.pk))
    assert entry.before["full_name"] == "station" and entry.after["full_name"] == "李四"


def test_deactivating_an_account_stops_sign_in_and_its_tokens(client, cast, zhuwang_admin):
    _token, _raw = actions.token_create(actor=None, user=cast.drafter)
    client.force_login(zhuwang_admin)
    response = client.post(detail(cast.drafter), edit_data(cast.drafter, is_active=""))
    assert response.status_code == 302
    user = User.objects.get(pk=cast.drafter.pk)
    assert not user.is_active
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert AuditEntry.objects.filter(
        action="accounts.user_deactivate", object_id=str(user.pk)
    ).exists()
    client.logout()
    client.post(reverse("accounts:login"), {"username": "drafter", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_admin_cannot_deactivate_themselves(client, cast, zhuwang_admin):
    zhuwang_admin.unit = cast.zhuwang
    zhuwang_admin.save()
    client.force_login(zhuwang_admin)
    response = client.post(detail(zhuwang_admin), edit_data(zhuwang_admin, is_active=""))
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=zhuwang_admin.pk).is_active


def test_admin_resets_a_password_that_meets_the_rules_and_it_is_audited(
    client, cast, zhuwang_admin
):
    client.force_login(zhuwang_admin)
    url = reverse("accounts:user_set_password", args=[cast.drafter.pk])
    weak = client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert weak.context["password_form"].errors["password1"]
    assert User.objects.get(pk=cast.drafter.pk).check_password(PASSWORD)
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.drafter.pk).check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.user_set_password")
    assert NEW_PASSWORD not in str(entry.after) + str(entry.note)


def test_an_account_that_also_works_elsewhere_is_not_editable_by_a_township_admin(
    client, cast, zhuwang_admin
):
    actions.role_grant(actor=None, user=cast.drafter, unit=cast.other_township, role=Role.DRAFTER)
    client.force_login(zhuwang_admin)
    page = client.get(detail(cast.drafter))
    assert page.status_code == 200
    assert not page.context["can_manage"]
    assert page.context["other_roles"] == 1
    assert "夏村镇" not in page.content.decode()
    assert (
        client.post(detail(cast.drafter), edit_data(cast.drafter, full_name="x")).status_code == 403
    )
    url = reverse("accounts:user_set_password", args=[cast.drafter.pk])
    assert (
        client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 403
    )
    assert User.objects.get(pk=cast.drafter.pk).check_password(PASSWORD)


def test_admin_grants_and_revokes_a_role_in_their_units(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    url = reverse("accounts:role_grant", args=[cast.station_drafter.pk])
    response = client.post(url, {"unit": cast.station.pk, "role": Role.SECRECY_REVIEWER})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=cast.station_drafter, role=Role.SECRECY_REVIEWER)
    again = client.post(url, {"unit": cast.station.pk, "role": Role.SECRECY_REVIEWER})
    assert again.status_code == 200 and "已有此角色" in again.content.decode()
    revoke = reverse("accounts:role_revoke", args=[cast.station_drafter.pk, assignment.pk])
    assert client.post(revoke).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="accounts.role_grant").exists()
    assert AuditEntry.objects.filter(action="accounts.role_revoke").exists()


def test_a_role_in_a_sibling_township_cannot_be_granted(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    url = reverse("accounts:role_grant", args=[cast.drafter.pk])
    response = client.post(url, {"unit": cast.other_township.pk, "role": Role.LEADER})
    assert response.status_code == 200
    assert "unit" in response.context["grant_form"].errors
    assert not RoleAssignment.objects.filter(unit=cast.other_township, user=cast.drafter).exists()


def test_an_admin_cannot_revoke_their_own_admin_role(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    assignment = RoleAssignment.objects.get(user=zhuwang_admin, role=Role.ADMIN)
    response = client.post(
        reverse("accounts:role_revoke", args=[zhuwang_admin.pk, assignment.pk]), follow=True
    )
    assert "不能撤销自己的管理员角色" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_admin_unlocks_a_locked_account(client, cast, zhuwang_admin, settings):
    settings.LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "drafter", "password": "bad-guess"})
    client.force_login(zhuwang_admin)
    assert client.get(detail(cast.drafter)).context["locked"]
    response = client.post(reverse("accounts:user_unlock", args=[cast.drafter.pk]))
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="drafter").exists()
    assert AuditEntry.objects.filter(action="accounts.user_unlock").exists()


def test_search_and_unit_filter_narrow_the_list(client, cast, zhuwang_admin):
    client.force_login(zhuwang_admin)
    html = client.get(USERS, {"q": "stat"}).content.decode()
    assert ">station<" in html and ">drafter<" not in html
    html = client.get(USERS, {"unit": cast.station.pk}).content.decode()
    assert ">station<" in html and ">leader<" not in html
    assert client.get(USERS, {"unit": "abc", "page": "x"}).status_code == 200
