"""Encryption of personal data at rest, and the keyed hash that still lets rows be matched.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package)
under settings.FIELD_ENCRYPTION_KEYS: the first key encrypts, every key decrypts (MultiFernet), so
a key is rotated by putting a new one first and running `gongkai reencrypt`. Beside each value a
`blind_index` (HMAC-SHA256 under settings.FIELD_HASH_KEY of the normalised value) is stored: equal
values have equal hashes, so the same applicant is recognised without decrypting anything.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with the version byte 0x80, "gAAAAA" in URL-safe base64; plain text
# left by an older version never does (identity numbers are digits and letters).
TOKEN_START = "gAAAAA"  # noqa: S105 - a format marker, not a secret


class DecryptionError(Exception):
    """A stored value that none of the configured keys opens."""


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be 32-byte keys in URL-safe base64 (44 characters each)"
        ) from exc


def _keys() -> tuple[str, ...]:
    keys = tuple(k for k in settings.FIELD_ENCRYPTION_KEYS if k)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return keys


def is_encrypted(value: str) -> bool:
    return value.startswith(TOKEN_START)


def encrypt(value: str) -> str:
    """The Fernet token of `value` under the current key; "" stays ""."""
    if not value:
        return ""
    return _fernet(_keys()).encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """The plain text of a stored value. Plain text from before encryption passes through."""
    if not value or not is_encrypted(value):
        return value
    try:
        return _fernet(_keys()).decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("no configured key decrypts this value") from exc


def rotate(value: str) -> str:
    """`value` (a token or legacy plain text) encrypted under the current key."""
    if not value:
        return ""
    if not is_encrypted(value):
        return encrypt(value)
    try:
        return _fernet(_keys()).rotate(value.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("no configured key decrypts this value") from exc


def normalise(value: str) -> str:
    """What counts as the same number: case, spaces and hyphens do not matter."""
    return "".join(value.split()).replace("-", "").upper()


def blind_index(value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value; "" for an empty value."""
    value = normalise(value or "")
    if not value:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask(value: str) -> str:
    """An identity number as staff pages show it: the first 3 and last 2 characters."""
    value = value or ""
    if len(value) <= 4:
        return "*" * len(value)
    keep_start = 3 if len(value) > 8 else 1
    return value[:keep_start] + "*" * (len(value) - keep_start - 2) + value[-2:]
