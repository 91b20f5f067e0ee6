"""`gongkai token USERNAME [--scope read|AREA ...] [--days N] [--name TEXT]`: print a new API
token for a member of staff (INTERFACES.md). Without --scope the token may write in every area its
user may; it is valid for API_TOKEN_DAYS days unless --days says fewer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts import actions
from gongkai.accounts.models import TokenScope, User


class Command(BaseCommand):
    help = (
        "Prints a new API token for USERNAME (use it as 'Authorization: Bearer <token>'). "
        "Only its SHA-256 is stored, so it cannot be shown again; the user's own permissions apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            nargs="+",
            choices=TokenScope.values,
            help="read, or the write areas (default: every area)",
        )
        parser.add_argument("--days", type=int, help="days the token is valid (default: maximum)")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(
        self,
        *args: Any,
        username: str,
        scope: list[str] | None = None,
        days: int | None = None,
        name: str = "",
        **options: Any,
    ) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username!r} 的账号", returncode=2)
        if not user.is_active:
            raise CommandError(f"账号 {username!r} 已停用，不能签发令牌", returncode=2)
        try:
            _token, raw = actions.token_create(
                actor=None, user=user, scope=scope, days=days, name=name
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from exc
        self.stdout.write(raw)
