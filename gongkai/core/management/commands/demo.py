"""`gongkai demo`: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from gongkai.core import demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins: list[demo.Login]) -> str:
    """The logins as a table whose columns line up in a terminal, Chinese included."""
    header = ("用户名", "角色", "单位", "密码")
    rows = [header] + [(x.username, x.role, x.unit, x.password) for x in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，已有的数据不会重复创建）并列出演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="在生产模式（GONGKAI_PRODUCTION=true）下也载入演示数据和演示账号",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "生产模式下不载入演示数据：演示账号的密码是公开的。"
                "确需载入（如测试环境）请加 --allow-production。",
                returncode=2,
            )
        try:
            ctx = demo.build()
        except demo.DemoStepError as exc:
            raise CommandError(f"载入演示数据失败（步骤 {exc}）。", returncode=1) from exc
        if ctx.created:
            made = "，".join(f"{what} {n} 个" for what, n in ctx.created.items())
            self.stdout.write(f"演示数据已载入：新建{made}。")
        else:
            self.stdout.write("演示数据已是最新，没有改动。")
        if ctx.logins:
            self.stdout.write(f"\n演示账号（工作人员登录页 {reverse('accounts:login')}）：\n")
            self.stdout.write(format_logins(ctx.logins))
            if settings.TWO_FACTOR_REQUIRED:
                self.stdout.write(
                    "签发领导、保密审查员、公开办负责人和管理员登录时须绑定手机身份验证器"
                    "（两步验证，页面会给出密钥）。"
                )
            else:
                self.stdout.write(
                    "两步验证：演示环境未强制（TWO_FACTOR_REQUIRED 未开启），"
                    "可在“我的账号”中自行启用试用。"
                )
            self.stdout.write("")
