"""Two-step sign-in: a TOTP authenticator app (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps)
with one-time recovery codes.

Required (TWO_FACTOR_REQUIRED, always on in production) for 签发领导, 保密审查员, 公开办负责人,
administrators and superusers; anyone else may enrol. After the password is right, signin.py
hands over here instead of signing in: the account then either gives a code (or a recovery code),
or, when it must use two steps and has not enrolled, enrols before it is signed in. Wrong codes
count as sign-in failures for the account's lockout. Every step is written to the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.actions import _require_account_admin, home_unit, login_key
from gongkai.accounts.models import LoginFailure, RecoveryCode, Role, TwoFactorDevice, User
from gongkai.audit.log import record
from gongkai.lib.request_context import current_client_ip

STEP_SECONDS = 30
DIGITS = 6
# Codes from one step before or after are accepted too (phone clocks drift).
WINDOW = 1
RECOVERY_CODES = 10
# How long the password step stays good while the second step is done, and how many wrong codes.
PENDING_SECONDS = 300
MAX_ATTEMPTS = 5
REQUIRED_ROLES = frozenset({Role.LEADER, Role.SECRECY_REVIEWER, Role.OFFICE_HEAD, Role.ADMIN})

_PENDING = "two_factor_pending"


# RFC 6238 ------------------------------------------------------------------------------------


def new_secret() -> str:
    """A random 160-bit secret in base32 (what authenticator apps take), without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    secret = secret.strip().replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def code_at(secret: str, step: int) -> str:
    """The code of time step `step` (RFC 4226 HOTP with the step as counter)."""
    mac = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code is `code`, within the window around now, or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - WINDOW, step + WINDOW + 1):
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, user: User) -> str:
    """The otpauth:// address authenticator apps read (from a QR code, or a tap on a phone)."""
    issuer = settings.TWO_FACTOR_ISSUER
    label = quote(f"{issuer}:{user.username}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Who needs it --------------------------------------------------------------------------------


def is_required(user: User) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.roles.filter(role__in=REQUIRED_ROLES).exists()


def device_of(user: User) -> TwoFactorDevice | None:
    if not user.is_authenticated:
        return None
    return TwoFactorDevice.objects.filter(user=user).first()


def needs_second_step(user: User) -> bool:
    return device_of(user) is not None or is_required(user)


# Recovery codes ------------------------------------------------------------------------------


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


# Actions -------------------------------------------------------------------------------------


@transaction.atomic
def enrol(*, user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-step sign-in on for `user` with the authenticator that shows `code` for
    `secret`. Returns the new recovery codes (shown once), or None when the code is wrong."""
    step = matching_step(secret, code)
    if step is None:
        return None
    TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step},
    )
    codes = _new_recovery_codes(user)
    record(actor=user, action="accounts.two_factor_enrol", obj=user, unit=home_unit(user))
    return codes


@transaction.atomic
def check(*, user: User, code: str) -> str | None:
    """Is `code` the authenticator's current code, or an unused recovery code, for `user`?
    Returns "totp" or "recovery" and uses the code up; None when it is not good."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return None
    step = matching_step(device.secret, code)
    if step is not None and step > device.last_step:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return "totp"
    used = RecoveryCode.objects.filter(
        user=user, digest=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        record(
            actor=user,
            action="accounts.two_factor_recovery_used",
            obj=user,
            unit=home_unit(user),
            note=f"{left} recovery codes left",
        )
        return "recovery"
    return None


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    record(actor=user, action="accounts.two_factor_recovery_renew", obj=user, unit=home_unit(user))
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def disable(*, actor: User | None, user: User) -> bool:
    """Remove `user`'s authenticator and recovery codes: by the user (when two steps are not
    required of them), or by their administrator after a lost phone (the user enrols again at
    the next sign-in when required). Returns whether there was anything to remove."""
    if actor is not None and actor.pk != user.pk:
        _require_account_admin(actor, user)
    deleted, _rows = TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        action = (
            "accounts.two_factor_disable"
            if actor is not None and actor.pk == user.pk
            else "accounts.two_factor_reset"
        )
        record(actor=actor, action=action, obj=user, unit=home_unit(user))
    return bool(deleted)


# The pending sign-in -------------------------------------------------------------------------


@dataclass
class Pending:
    user: User
    backend: str
    attempts: int
    secret: str  # the secret being enrolled, when enrolling


def begin(request: HttpRequest, user: User) -> None:
    """The password was right: remember who is signing in until the second step is done."""
    request.session.cycle_key()
    request.session[_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "at": int(time.time()),
        "attempts": 0,
        "secret": "" if device_of(user) else new_secret(),
    }
    record(
        actor=None,
        actor_name=user.username,
        action="accounts.login_password_ok",
        obj=user,
        unit=home_unit(user),
        note="second step: " + ("code" if device_of(user) else "enrolment"),
    )


def pending(request: HttpRequest) -> Pending | None:
    data = request.session.get(_PENDING)
    if not isinstance(data, dict):
        return None
    if int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(_PENDING, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(_PENDING, None)
        return None
    return Pending(user, data["backend"], int(data["attempts"]), data.get("secret", ""))


def failed(request: HttpRequest, state: Pending) -> bool:
    """Count a wrong code (for the lockout too). Returns True when the attempts are used up and
    the sign-in starts over."""
    LoginFailure.objects.create(username=login_key(state.user.username), ip=current_client_ip())
    record(
        actor=None,
        actor_name=state.user.username,
        action="accounts.two_factor_failed",
        obj=state.user,
        unit=home_unit(state.user),
    )
    data = request.session.get(_PENDING)
    if not isinstance(data, dict):
        return True
    data["attempts"] = state.attempts + 1
    request.session[_PENDING] = data
    if data["attempts"] >= MAX_ATTEMPTS:
        request.session.pop(_PENDING, None)
        return True
    return False


def finish(request: HttpRequest, state: Pending, method: str) -> None:
    """The second step is done: sign the user in (as signin.signin does after the password)."""
    request.session.pop(_PENDING, None)
    with transaction.atomic():
        login(request, state.user, backend=state.backend)
        request.session["last_seen"] = int(time.time())
        LoginFailure.objects.filter(username=login_key(state.user.username)).delete()
        record(
            actor=state.user,
            action="accounts.login",
            obj=state.user,
            unit=home_unit(state.user),
            note=f"two-step: {method}",
        )


def enrolment_secret(request: HttpRequest) -> str:
    """The secret being enrolled by a signed-in user on their account page (kept in the session
    until they confirm a code)."""
    secret = request.session.get("two_factor_new_secret")
    if not secret:
        secret = new_secret()
        request.session["two_factor_new_secret"] = secret
    return secret


def secrets_reencrypt() -> int:
    """Encrypt every authenticator secret again under the current key (`gongkai reencrypt`)."""
    done = 0
    for pk, secret in TwoFactorDevice.objects.values_list("pk", "secret").iterator():
        with transaction.atomic():
            TwoFactorDevice.objects.filter(pk=pk).update(secret=secret)
        done += 1
    return done
