"""Staff sign-in and sign-out, with the lockout after repeated failures.

Failures are counted per account name and per client address over the last
LOGIN_LOCKOUT_MINUTES. Reaching LOGIN_MAX_FAILURES_PER_ACCOUNT (or ..._PER_ADDRESS) locks that
name (or address) until enough failures age out of the window; attempts while locked are refused
without checking the password and are not counted, so hammering a locked account does not keep it
locked for ever, and a guesser gets at most that many tries per window. Names that belong to no
account are counted and locked exactly like real ones: the answer never tells whether an account
exists. Every sign-in, failure, lockout and sign-out is written to the audit log.

Parallel attempts cannot slip past the count: each attempt is recorded as a failure *before* its
password is checked and goes on only if the failures then on record, its own included, are within
the limit; a right password deletes them again. Recording and counting happen in one short
transaction serialised per account name and per address (a PostgreSQL advisory lock; SQLite
serialises every writing transaction anyway), so of any number of simultaneous attempts exactly
the first ones up to the limit get their password checked and the account is locked after them.
"""

from __future__ import annotations

import datetime
import enum
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts import two_factor
from gongkai.accounts.actions import home_unit, login_key
from gongkai.accounts.models import LoginFailure, User
from gongkai.audit.log import record
from gongkai.lib.request_context import current_client_ip


class Outcome(enum.Enum):
    SIGNED_IN = "signed_in"
    INVALID = "invalid"
    LOCKED = "locked"
    # The password was right; a second step (two_factor.py) signs the user in.
    SECOND_STEP = "second_step"


@dataclass(frozen=True)
class SignInResult:
    outcome: Outcome
    user: User | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SIGNED_IN


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockout_reason(username: str, ip: str | None) -> str | None:
    """ "account" or "address" when sign-in from here with this name is locked now, else None."""
    recent = LoginFailure.objects.filter(at__gt=_window_start())
    if (
        recent.filter(username=login_key(username)).count()
        >= settings.LOGIN_MAX_FAILURES_PER_ACCOUNT
    ):
        return "account"
    if ip and recent.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
        return "address"
    return None


def is_locked(username: str) -> bool:
    """Is this account name locked now (for the administrators' user page)?"""
    return lockout_reason(username, None) is not None


def _known_user(key: str) -> User | None:
    # Only for filing the audit row under the right unit; never shown to the person signing in.
    return User.objects.filter(username__iexact=key).select_related("unit").first()


def _audit_anonymous(action: str, key: str, note: str = "") -> None:
    user = _known_user(key)
    record(
        actor=None,
        actor_name=key or "-",
        action=action,
        obj=user,
        unit=home_unit(user) if user else None,
        note=note,
    )


def _serialise(kind: str, value: str) -> None:
    """Hold a lock on (kind, value) until the transaction ends. Always taken in the same order
    (account, then address), so two attempts never wait on each other in a cycle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", [kind, value]
            )


def _over_limit(key: str, ip: str | None) -> str | None:
    """ "account" or "address" when the failures on record, this attempt's included, exceed a
    limit; else None."""
    recent = LoginFailure.objects.filter(at__gt=_window_start())
    if recent.filter(username=key).count() > settings.LOGIN_MAX_FAILURES_PER_ACCOUNT:
        return "account"
    if ip and recent.filter(ip=ip).count() > settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
        return "address"
    return None


def signin(*, request: HttpRequest, username: str, password: str) -> SignInResult:
    """Count the attempt, check the lockout, then the password; sign the user in on success."""
    key = login_key(username)
    ip = current_client_ip()
    # Counted before the check, one attempt at a time per name and address (module docstring).
    with transaction.atomic():
        _serialise("signin.account", key)
        if ip:
            _serialise("signin.address", ip)
        attempt = LoginFailure.objects.create(username=key, ip=ip)
        reason = _over_limit(key, ip)
        if reason:
            # Refused without checking the password, and not counted.
            attempt.delete()
            _audit_anonymous("accounts.login_blocked", key, note=f"locked by {reason}")
            return SignInResult(Outcome.LOCKED)
    # The password hash is slow on purpose; no transaction is held open meanwhile.
    user = authenticate(request, username=username.strip(), password=password)
    with transaction.atomic():
        if user is None or not user.is_active:
            # The attempt stays on record as a failure.
            _audit_anonymous("accounts.login_failed", key)
            reason = lockout_reason(key, ip)
            if reason:
                limit = (
                    settings.LOGIN_MAX_FAILURES_PER_ACCOUNT
                    if reason == "account"
                    else settings.LOGIN_MAX_FAILURES_PER_ADDRESS
                )
                _audit_anonymous(
                    "accounts.lockout",
                    key,
                    note=f"{reason}: {limit} failures within "
                    f"{settings.LOGIN_LOCKOUT_MINUTES} minutes",
                )
                return SignInResult(Outcome.LOCKED)
            return SignInResult(Outcome.INVALID)
        if two_factor.needs_second_step(user):
            # The password was right: this attempt is no failure (wrong codes at the second
            # step are counted there); earlier ones are forgiven only when the code is right.
            LoginFailure.objects.filter(pk=attempt.pk).delete()
            two_factor.begin(request, user)
            return SignInResult(Outcome.SECOND_STEP, user)
        login(request, user)
        request.session["last_seen"] = int(time.time())
        # Failures up to this attempt are forgiven; attempts made meanwhile stay counted.
        LoginFailure.objects.filter(username=key, pk__lte=attempt.pk).delete()
        record(actor=user, action="accounts.login", obj=user, unit=home_unit(user))
    return SignInResult(Outcome.SIGNED_IN, user)


def signout(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        record(actor=user, action="accounts.logout", obj=user, unit=home_unit(user))  # type: ignore[arg-type]
    logout(request)
