"""Demo data, built by steps that each app contributes.

`gongkai demo` imports every installed app's `demo` module and runs the registered steps in
order, each in its own transaction. A step must be idempotent: it looks for what it would create
and creates only what is missing, so running the demo twice changes nothing. Later apps extend it:

    # gongkai/catalog/demo.py
    from gongkai.core.demo import DemoContext, step

    @step(200)
    def published_items(ctx: DemoContext) -> None:
        zhuwang = ctx.unit("zhuwang")
        ...

Core's step (order 100) builds the unit tree 乳山市 → 诸往镇 (with its offices and stations) and a
sibling township 夏村镇, and one account per role; its units and users are what later steps find
through `ctx.unit(code)` and `ctx.user(username)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from gongkai.accounts import actions
from gongkai.accounts.models import Role, Unit, UnitKind, User

DEMO_PASSWORD = "gongkai-demo-2026"  # noqa: S105 (printed for everyone to use)


@dataclass
class Login:
    username: str
    role: str
    unit: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoContext:
    """Handed to every step: lookups of what earlier steps built, and the logins to print."""

    logins: list[Login] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    def unit(self, code: str) -> Unit:
        return Unit.objects.get(code=code)

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def count(self, what: str, n: int = 1) -> None:
        """Note that a step created `n` rows of `what` (shown in the summary)."""
        self.created[what] = self.created.get(what, 0) + n


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    func: Callable[[DemoContext], None]


class DemoStepError(Exception):
    def __init__(self, step_name: str, error: Exception) -> None:
        super().__init__(f"{step_name}: {type(error).__name__}: {error}")
        self.step_name = step_name


_STEPS: dict[str, Step] = {}


def step(
    order: int, name: str | None = None
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Register a demo step; steps run by ascending `order` (core's unit tree is 100)."""

    def decorate(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        key = name or f"{func.__module__}.{func.__qualname__}"
        _STEPS[key] = Step(order=order, name=key, func=func)
        return func

    return decorate


def all_steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def build(steps: list[Step] | None = None) -> DemoContext:
    """Run every demo step (all installed apps' `demo` modules) and return the context."""
    if steps is None:
        autodiscover_modules("demo")
        steps = all_steps()
    ctx = DemoContext()
    for demo_step in steps:
        try:
            with transaction.atomic():
                demo_step.func(ctx)
        except Exception as exc:
            # Earlier steps stay loaded; a rerun after the fix creates only what is missing.
            raise DemoStepError(demo_step.name, exc) from exc
    return ctx


# --- core's step: the unit tree and the accounts ------------------------------------------------

# Organisation codes with correct check characters (GB 11714 for the 9-character 组织机构代码,
# GB 32100 for the 18-character 统一社会信用代码 whose characters 9-17 are that code).
CITY_ORG_CODE = "11371083004362009R"
ZHUWANG_ORG_CODE = "004362519"
XIACUN_ORG_CODE = "004362535"

OPENING_HOURS = "工作日 上午8:30-12:00，下午13:30-17:30 (法定节假日除外)"

UNITS: list[dict[str, Any]] = [
    {
        "parent": None,
        "code": "rushan",
        "name": "乳山市人民政府",
        "short_name": "乳山市",
        "kind": UnitKind.CITY,
        "is_organ": True,
        "org_code": CITY_ORG_CODE,
        "address": "山东省乳山市",
        "postcode": "264500",
        "opening_hours": OPENING_HOURS,
    },
    {
        "parent": "rushan",
        "code": "zhuwang",
        "name": "乳山市诸往镇人民政府",
        "short_name": "诸往镇",
        "kind": UnitKind.TOWNSHIP,
        "is_organ": True,
        "org_code": ZHUWANG_ORG_CODE,
        "address": "乳山市诸往镇驻地",
        "postcode": "264500",
        "phone": "0631-6366000",
        "fax": "0631-6366000",
        "email": "zhuwang-gongkai@example.com",
        "opening_hours": OPENING_HOURS,
        "sort_order": 10,
    },
    {
        "parent": "zhuwang",
        "code": "zhuwang-office",
        "name": "乳山市诸往镇人民政府党政办公室",
        "short_name": "党政办",
        "kind": UnitKind.OFFICE,
        "address": "乳山市诸往镇驻地",
        "phone": "0631-6366000",
        "opening_hours": OPENING_HOURS,
        "sort_order": 1,
    },
    {
        "parent": "zhuwang",
        "code": "zhuwang-social",
        "name": "乳山市诸往镇人民政府社会事务办公室",
        "short_name": "社会事务办",
        "kind": UnitKind.OFFICE,
        "sort_order": 2,
    },
    {
        "parent": "zhuwang",
        "code": "zhuwang-agri",
        "name": "乳山市诸往镇农业综合服务站",
        "short_name": "农业站",
        "kind": UnitKind.STATION,
        "sort_order": 3,
    },
    {
        "parent": "zhuwang",
        "code": "zhuwang-finance",
        "name": "乳山市诸往镇财政所",
        "short_name": "财政所",
        "kind": UnitKind.STATION,
        "sort_order": 4,
    },
    {
        "parent": "rushan",
        "code": "xiacun",
        "name": "乳山市夏村镇人民政府",
        "short_name": "夏村镇",
        "kind": UnitKind.TOWNSHIP,
        "is_organ": True,
        "org_code": XIACUN_ORG_CODE,
        "address": "乳山市夏村镇驻地",
        "postcode": "264500",
        "opening_hours": OPENING_HOURS,
        "sort_order": 20,
    },
    {
        "parent": "xiacun",
        "code": "xiacun-office",
        "name": "乳山市夏村镇人民政府党政办公室",
        "short_name": "党政办",
        "kind": UnitKind.OFFICE,
        "sort_order": 1,
    },
]

# username, full name, unit code, role. The names are invented.
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("drafter", "薛芳", "zhuwang", Role.DRAFTER),
    ("secrecy", "王建国", "zhuwang", Role.SECRECY_REVIEWER),
    ("reviewer", "刘晓燕", "zhuwang", Role.OFFICE_REVIEWER),
    ("leader", "张志强", "zhuwang", Role.LEADER),
    ("head", "孙立新", "zhuwang", Role.OFFICE_HEAD),
    ("admin", "李明", "zhuwang", Role.ADMIN),
    ("station", "赵红梅", "zhuwang-agri", Role.DRAFTER),
    ("xiacun", "陈海涛", "xiacun", Role.DRAFTER),
    ("city-admin", "周文华", "rushan", Role.ADMIN),
]


def _ensure_unit(ctx: DemoContext, spec: dict[str, Any]) -> Unit:
    existing = (
        Unit.objects.filter(code=spec["code"]).first()
        or Unit.objects.filter(name=spec["name"]).first()
    )
    if existing is not None:
        return existing
    fields = {k: v for k, v in spec.items() if k != "parent"}
    parent = Unit.objects.get(code=spec["parent"]) if spec["parent"] else None
    ctx.count("单位")
    return actions.unit_create(actor=None, parent=parent, **fields)


def _ensure_account(ctx: DemoContext, username: str, full_name: str, unit: Unit, role: str) -> None:
    user = User.objects.filter(username=username).first()
    password = DEMO_PASSWORD
    if user is None:
        user = actions.user_create(
            actor=None, unit=unit, username=username, full_name=full_name, password=DEMO_PASSWORD
        )
        actions.role_grant(actor=None, user=user, unit=unit, role=role)
        ctx.count("账号")
    elif not user.check_password(DEMO_PASSWORD):
        # An account of that name was there before the demo (or its password was changed):
        # the demo neither takes it over nor prints a password that does not work.
        password = "（已有账号，密码未改动）"  # noqa: S105
    ctx.logins.append(
        Login(username=username, role=str(Role(role).label), unit=unit.name, password=password)
    )


@step(100, name="core.units_and_accounts")
def units_and_accounts(ctx: DemoContext) -> None:
    units = {spec["code"]: _ensure_unit(ctx, spec) for spec in UNITS}
    for username, full_name, unit_code, role in ACCOUNTS:
        _ensure_account(ctx, username, full_name, units[unit_code], role)
