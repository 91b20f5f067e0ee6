from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def str_(label: object) -> str:
    # A lazy string: the menu is rendered in each request's language.
    return cast(str, label)


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "单位与人员"

    def ready(self) -> None:
        from gongkai.audit import labels
        from gongkai.core.navigation import NavEntry, register

        register(NavEntry(str_(_("单位管理")), "accounts:unit_list", "accounts.manage", 900))
        register(NavEntry(str_(_("人员管理")), "accounts:user_list", "accounts.manage", 910))
        register(NavEntry(str_(_("我的账号")), "accounts:profile", None, 990))
        labels.register(
            {
                "accounts.login_blocked": _("登录被拒绝（已锁定）"),
                "accounts.lockout": _("登录失败过多，锁定"),
                "accounts.user_activate": _("启用账号"),
                "accounts.user_deactivate": _("停用账号"),
                "accounts.user_set_password": _("管理员重设密码"),
                "accounts.user_unlock": _("解除登录锁定"),
                "accounts.password_change": _("修改本人密码"),
                "accounts.token_create": _("签发接口令牌"),
                "accounts.token_revoke": _("作废接口令牌"),
                "accounts.login_password_ok": _("密码正确，待两步验证"),
                "accounts.two_factor_enrol": _("启用两步验证"),
                "accounts.two_factor_failed": _("两步验证码错误"),
                "accounts.two_factor_recovery_used": _("使用恢复码登录"),
                "accounts.two_factor_recovery_renew": _("重新生成恢复码"),
                "accounts.two_factor_disable": _("关闭两步验证"),
                "accounts.two_factor_reset": _("管理员重置两步验证"),
            }
        )
