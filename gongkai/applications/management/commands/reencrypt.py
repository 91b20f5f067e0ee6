"""`gongkai reencrypt`: encrypt every stored identity number (and two-step secret) again under the
current key and recompute the numbers' keyed hashes (the second step of a key rotation,
docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.accounts import two_factor
from gongkai.applications import actions
from gongkai.lib.crypto import DecryptionError


class Command(BaseCommand):
    help = (
        "Re-encrypts every stored identity number with the first key of FIELD_ENCRYPTION_KEYS "
        "and recomputes its hash with FIELD_HASH_KEY. Run after adding a new key in front; "
        "then the old keys may be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = actions.identities_reencrypt()
            devices = two_factor.secrets_reencrypt()
        except DecryptionError as exc:
            raise CommandError(
                "有身份证件号码无法用现有密钥解密："
                "请把原来的密钥留在 FIELD_ENCRYPTION_KEYS 中再运行",
                returncode=2,
            ) from exc
        self.stdout.write(f"已用当前密钥重新加密 {count} 个身份证件号码、{devices} 个两步验证密钥")
