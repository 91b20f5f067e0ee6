"""Readable names for audit action codes ("accounts.role_grant" → 授予角色).

Apps add theirs in AppConfig.ready(): `labels.register({"catalog.item_publish": _("发布信息")})`.
A code nobody named is shown as it is, so the log never hides a row for want of a label."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    # accounts
    "accounts.unit_create": _("新建单位"),
    "accounts.unit_update": _("修改单位"),
    "accounts.user_create": _("新建工作人员账号"),
    "accounts.user_update": _("修改工作人员账号"),
    "accounts.user_activate": _("启用账号"),
    "accounts.user_deactivate": _("停用账号"),
    "accounts.user_set_password": _("管理员重设密码"),
    "accounts.user_unlock": _("解除登录锁定"),
    "accounts.role_grant": _("授予角色"),
    "accounts.role_revoke": _("撤销角色"),
    "accounts.login": _("登录"),
    "accounts.login_failed": _("登录失败"),
    "accounts.login_blocked": _("登录被拒绝（已锁定）"),
    "accounts.lockout": _("登录锁定"),
    "accounts.logout": _("退出登录"),
    "accounts.session_expired": _("长时间未操作，自动退出"),
    "accounts.password_change": _("修改密码"),
    "accounts.token_create": _("创建接口令牌"),
    "accounts.token_revoke": _("吊销接口令牌"),
    # catalog
    "catalog.item_create": _("新建信息"),
    "catalog.item_update": _("修改信息"),
    "catalog.item_submit": _("提交审核"),
    "catalog.item_secrecy_verdict": _("保密审查结论"),
    "catalog.item_secret": _("判定涉密"),
    "catalog.item_secret_handled": _("涉密信息已处置"),
    "catalog.item_office_approve": _("公开办审核通过"),
    "catalog.item_sign_off": _("领导签发"),
    "catalog.item_publish": _("发布信息"),
    "catalog.item_publish_blocked": _("发布被拦截"),
    "catalog.item_reject": _("退回修改"),
    "catalog.item_withdraw": _("撤回信息"),
    "catalog.item_new_version": _("新建修订版本"),
    "catalog.item_set_validity": _("修改有效性"),
    "catalog.item_reassess": _("不予公开事项复核"),
    "catalog.item_import": _("导入信息"),
    "catalog.attachment_add": _("添加附件"),
    "catalog.attachment_remove": _("删除附件"),
    "catalog.attachment_confirm_unreadable": _("确认无法识别的附件"),
    "catalog.alias_create": _("添加分类别名"),
    "catalog.alias_delete": _("删除分类别名"),
    # interaction
    "interaction.letter_submit": _("收到来信"),
    "interaction.letter_forward": _("转办来信"),
    "interaction.letter_answer": _("答复来信"),
    "interaction.letter_request_publication": _("申请公开来信"),
    "interaction.letter_publish": _("公开来信"),
    "interaction.letter_return_publication": _("退回公开申请"),
    "interaction.letter_unpublish": _("取消公开来信"),
    "interaction.letter_mark_spam": _("标记为无效来信"),
    "interaction.letter_unmark_spam": _("取消无效标记"),
    "interaction.mailbox_configure": _("修改信箱设置"),
    "interaction.hotline_record": _("登记热线电话"),
    "interaction.hotline_update": _("修改热线记录"),
    "interaction.visit_record": _("登记查阅点来访"),
    "interaction.visit_update": _("修改查阅点记录"),
    # workdays
    "workdays.calendar_import_notice": _("导入放假通知"),
    "workdays.day_set": _("修改工作日设置"),
    # audit
    "audit.export": _("导出审计日志"),
    "audit.purge": _("清理过期审计记录"),
    "applications.reveal_identity": _("查看完整身份证件号码"),
    "applications.reencrypt": _("重新加密身份证件号码"),
}


def register(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def known_actions() -> dict[str, str]:
    return {code: str(label) for code, label in sorted(_LABELS.items())}
