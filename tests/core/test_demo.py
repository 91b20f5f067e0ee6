"""`gongkai demo`: the unit tree and one account per role, valid organisation codes, a second run
that changes nothing, steps that later apps add, and no demo accounts in production."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts import permissions
from gongkai.accounts.models import Role, RoleAssignment, Unit, User
from gongkai.audit.models import AuditEntry
from gongkai.core import demo

pytestmark = pytest.mark.django_db

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code_is_valid(code: str) -> bool:
    """GB 11714: eight characters, then a check character."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in code[:8]]
    check = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS, strict=True)) % 11
    return len(code) == 9 and code[8] == {10: "X", 11: "0"}.get(check, str(check))


def credit_code_is_valid(code: str) -> bool:
    """GB 32100: seventeen characters, then a check character; 9-17 are the 组织机构代码."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    return (
        len(code) == 18
        and code[17] == USCC_CHARS[(31 - total % 31) % 31]
        and org_code_is_valid(code[8:17])
    )


def test_the_check_functions_of_this_test_know_real_codes():
    assert credit_code_is_valid("91350100M000100Y43")  # a published example
    assert not credit_code_is_valid("91350100M000100Y44")
    assert org_code_is_valid("D2143569X")
    assert not org_code_is_valid("D21435690")


def test_the_demo_builds_the_unit_tree_of_zhuwang():
    demo.build()
    city = Unit.objects.get(code="rushan")
    zhuwang = Unit.objects.get(code="zhuwang")
    office = Unit.objects.get(name="乳山市诸往镇人民政府党政办公室")
    xiacun = Unit.objects.get(name="乳山市夏村镇人民政府")

    assert city.parent is None and city.is_organ
    assert zhuwang.parent == city and zhuwang.is_organ and xiacun.parent == city
    assert office.parent == zhuwang and not office.is_organ and office.organ() == zhuwang
    assert zhuwang.address == "乳山市诸往镇驻地"
    assert zhuwang.phone == "0631-6366000"
    assert zhuwang.opening_hours == "工作日 上午8:30-12:00，下午13:30-17:30 (法定节假日除外)"
    children = set(zhuwang.children.values_list("short_name", flat=True))
    assert {"党政办", "农业站", "财政所", "社会事务办"} <= children


def test_every_demo_organ_has_a_valid_organisation_code():
    demo.build()
    organs = list(Unit.objects.organs())
    assert len(organs) >= 3  # the city, 诸往镇, 夏村镇 (and 冯家镇 of the inspection demo)
    for organ in organs:
        code = organ.org_code
        valid = credit_code_is_valid(code) if len(code) == 18 else org_code_is_valid(code)
        assert valid, f"{organ.name}: {code}"
    assert Unit.objects.get(code="rushan").org_code[2:8] == "371083"  # 乳山市's area code


def test_there_is_one_demo_account_per_role_in_zhuwang_and_a_city_admin():
    demo.build()
    zhuwang = Unit.objects.get(code="zhuwang")
    roles_in_zhuwang = set(
        RoleAssignment.objects.filter(unit=zhuwang).values_list("role", flat=True)
    )
    assert roles_in_zhuwang == set(Role.values)
    assert RoleAssignment.objects.filter(unit__code="rushan", role=Role.ADMIN).exists()


def test_demo_accounts_sign_in_with_the_demo_password(client):
    demo.build()
    for username in ["drafter", "secrecy", "reviewer", "leader", "head", "admin", "city-admin"]:
        assert client.login(username=username, password=demo.DEMO_PASSWORD), username
    assert not client.login(username="drafter", password="wrong-password-1")


def test_the_sibling_township_sees_nothing_of_zhuwang():
    demo.build()
    zhuwang = Unit.objects.get(code="zhuwang")
    xiacun_drafter = User.objects.get(username="xiacun")
    assert not permissions.has_perm(xiacun_drafter, "unit.view", zhuwang)
    assert permissions.has_perm(
        User.objects.get(username="head"), "unit.view", Unit.objects.get(code="zhuwang-agri")
    )


def test_running_the_demo_twice_changes_nothing(capsys):
    call_command("demo")
    first = capsys.readouterr().out
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    passwords = dict(User.objects.values_list("username", "password"))

    call_command("demo")
    second = capsys.readouterr().out

    assert (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "新建单位 8 个，账号 9 个" in first
    assert "没有改动" in second


def test_the_demo_prints_a_table_of_logins(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()]
    assert ["用户名", "角色", "单位", "密码"] in lines
    assert ["head", "公开办负责人", "乳山市诸往镇人民政府", demo.DEMO_PASSWORD] in lines
    assert ["city-admin", "管理员", "乳山市人民政府", demo.DEMO_PASSWORD] in lines


def _core_step() -> list[demo.Step]:
    return [s for s in demo.all_steps() if s.name == "core.units_and_accounts"]


def test_an_account_that_existed_before_the_demo_is_left_alone():
    from tests.factories import PASSWORD, make_user

    make_user("leader")
    ctx = demo.build(_core_step())
    leader = User.objects.get(username="leader")
    assert leader.check_password(PASSWORD)
    assert not leader.roles.exists()
    printed = next(login for login in ctx.logins if login.username == "leader")
    assert printed.password != demo.DEMO_PASSWORD


def test_later_steps_run_after_the_unit_tree_and_see_it():
    seen: list[str] = []

    def published_items(ctx: demo.DemoContext) -> None:
        seen.append(ctx.unit("zhuwang").name)
        ctx.count("公开信息", 3)

    steps = [
        demo.Step(200, "catalog.items", published_items),
        *[s for s in demo.all_steps() if s.name == "core.units_and_accounts"],
    ]
    ctx = demo.build(sorted(steps, key=lambda s: s.order))
    assert seen == ["乳山市诸往镇人民政府"]
    assert ctx.created["公开信息"] == 3


def test_the_step_decorator_registers_a_step_in_order(monkeypatch):
    monkeypatch.setattr(demo, "_STEPS", {})

    @demo.step(300)
    def third(ctx):
        pass

    @demo.step(150, name="x.second")
    def second(ctx):
        pass

    assert [s.name for s in demo.all_steps()] == ["x.second", f"{__name__}.{third.__qualname__}"]


def test_the_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError) as refused:
        call_command("demo")
    assert refused.value.returncode == 2
    assert "--allow-production" in str(refused.value)
    assert not User.objects.exists()
    call_command("demo", "--allow-production")
    assert User.objects.filter(username="admin").exists()


def test_a_failing_step_is_named_and_keeps_what_earlier_steps_loaded(monkeypatch):
    def broken(ctx):
        raise ValueError("no such category")

    steps = [*demo.all_steps(), demo.Step(999, "catalog.items", broken)]
    monkeypatch.setattr(demo, "all_steps", lambda: steps)
    with pytest.raises(CommandError) as failed:
        call_command("demo")
    assert "catalog.items" in str(failed.value) and "no such category" in str(failed.value)
    assert Unit.objects.filter(code="zhuwang").exists()
