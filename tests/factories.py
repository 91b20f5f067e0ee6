"""Plain factory functions. No JSON fixtures."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from gongkai.accounts import actions
from gongkai.accounts.models import Role, Unit, UnitKind, User
from gongkai.lib.codes import org_code_check_char

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)


def make_unit(*, parent: Unit | None = None, name: str | None = None, **fields: Any) -> Unit:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "code": f"unit{n}",
        "name": name or f"测试单位{n}",
        "short_name": (name or f"测试单位{n}")[:20],
        "kind": UnitKind.OFFICE,
    }
    defaults.update(fields)
    return actions.unit_create(actor=None, parent=parent, **defaults)


def make_organ(*, parent: Unit | None = None, name: str | None = None, **fields: Any) -> Unit:
    n = next(_seq)
    fields.setdefault("kind", UnitKind.TOWNSHIP)
    body = f"0143{n:04d}"
    fields.setdefault("org_code", body + org_code_check_char(body))
    return make_unit(parent=parent, name=name, is_organ=True, **fields)


def make_user(
    username: str | None = None, *, roles: list[tuple[Unit, str]] | None = None, **fields: Any
) -> User:
    username = username or f"user{next(_seq)}"
    user = actions.user_create(
        actor=None,
        unit=None,
        username=username,
        password=PASSWORD,
        full_name=fields.pop("full_name", username),
        **fields,
    )
    for unit, role in roles or []:
        actions.role_grant(actor=None, user=user, unit=unit, role=role)
    return user


@dataclass
class Cast:
    city: Unit
    zhuwang: Unit
    office: Unit
    station: Unit
    other_township: Unit
    drafter: User
    secrecy_reviewer: User
    office_reviewer: User
    leader: User
    office_head: User
    admin: User
    station_drafter: User
    other_drafter: User


def make_cast() -> Cast:
    city = make_organ(
        name="乳山市人民政府",
        short_name="乳山市",
        code="rushan",
        kind=UnitKind.CITY,
        org_code="11371083004362009R",
    )
    zhuwang = make_organ(
        parent=city,
        name="乳山市诸往镇人民政府",
        short_name="诸往镇",
        code="zhuwang",
        org_code="004362519",
    )
    office = make_unit(
        parent=zhuwang,
        name="乳山市诸往镇人民政府党政办公室",
        short_name="党政办",
        code="zhuwang-office",
    )
    station = make_unit(
        parent=zhuwang,
        name="乳山市诸往镇农业综合服务站",
        short_name="农业站",
        code="zhuwang-agri",
        kind=UnitKind.STATION,
    )
    other = make_organ(
        parent=city,
        name="乳山市夏村镇人民政府",
        short_name="夏村镇",
        code="xiacun",
        org_code="004362535",
    )
    return Cast(
        city=city,
        zhuwang=zhuwang,
        office=office,
        station=station,
        other_township=other,
        drafter=make_user("drafter", roles=[(zhuwang, Role.DRAFTER)]),
        secrecy_reviewer=make_user("secrecy", roles=[(zhuwang, Role.SECRECY_REVIEWER)]),
        office_reviewer=make_user("reviewer", roles=[(zhuwang, Role.OFFICE_REVIEWER)]),
        leader=make_user("leader", roles=[(zhuwang, Role.LEADER)]),
        office_head=make_user("head", roles=[(zhuwang, Role.OFFICE_HEAD)]),
        admin=make_user("admin", roles=[(city, Role.ADMIN)]),
        station_drafter=make_user("station", roles=[(station, Role.DRAFTER)]),
        other_drafter=make_user("other", roles=[(other, Role.DRAFTER)]),
    )
