"""API endpoints of accounts: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gongkai.accounts.permissions import roles_of
from gongkai.api.auth import token_auth

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    role_name: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, auth=token_auth, summary="当前令牌所属的工作人员及其角色")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        roles=[
            RoleOut(
                role=ra.role,
                role_name=str(ra.get_role_display()),
                unit_code=ra.unit.code,
                unit_name=ra.unit.name,
            )
            for ra in roles_of(user)
        ],
    )
