"""Readable names for audit action codes ("accounts.role_grant" → 授予角色).

Apps add theirs in AppConfig.ready(): `labels.register({"catalog.item_publish": _("发布信息")})`.
A code nobody named is shown as it is, so the log never hides a row for want of a label."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    "accounts.unit_create": _("新建单位"),
    "accounts.unit_update": _("修改单位"),
    "accounts.user_create": _("新建工作人员账号"),
    "accounts.user_update": _("修改工作人员账号"),
    "accounts.role_grant": _("授予角色"),
    "accounts.role_revoke": _("撤销角色"),
    "accounts.login": _("登录"),
    "accounts.login_failed": _("登录失败"),
    "accounts.logout": _("退出登录"),
    "accounts.session_expired": _("长时间未操作，自动退出"),
    "audit.export": _("导出审计日志"),
}


def register(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def known_actions() -> dict[str, str]:
    return {code: str(label) for code, label in sorted(_LABELS.items())}
