"""`gongkai token USERNAME`: print a new API token for a member of staff (INTERFACES.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.accounts import actions
from gongkai.accounts.models import User


class Command(BaseCommand):
    help = (
        "Prints a new API token for USERNAME (use it as 'Authorization: Bearer <token>'). "
        "Only its SHA-256 is stored, so it cannot be shown again; the user's own permissions apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username!r} 的账号", returncode=2)
        if not user.is_active:
            raise CommandError(f"账号 {username!r} 已停用，不能签发令牌", returncode=2)
        try:
            _token, raw = actions.token_create(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from exc
        self.stdout.write(raw)
