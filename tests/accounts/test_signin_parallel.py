"""Simultaneous sign-in attempts on one account, as real HTTP requests in threads against a
running server: no more passwords are checked than the lockout allows."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from gongkai.accounts.models import LoginFailure
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD, make_user
from tests.livedb import LiveServer, SharedDatabase

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 5
ADDRESS_LIMIT = 10
LOCKED_TEXT = "登录失败次数过多"
INVALID_TEXT = "用户名或密码不正确"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _attempt(base: str, username: str, password: str, barrier: threading.Barrier) -> str:
    """One browser: fetch the form (CSRF cookie and token), wait for the others, post."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    url = base + "/staff/accounts/login/"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    barrier.wait(timeout=60)
    try:
        request = urllib.request.Request(url, data=body)  # noqa: S310 - our own server
        html = opener.open(request, timeout=60).read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code == 302:
            return "signed in"
        raise
    if LOCKED_TEXT in html:
        return "locked"
    if INVALID_TEXT in html:
        return "invalid"
    raise AssertionError(html[:2000])


def _together(base: str, tries: list[tuple[str, str]]) -> list[str]:
    barrier = threading.Barrier(len(tries))
    results: list[str | BaseException] = [""] * len(tries)

    def run(i: int, username: str, password: str) -> None:
        try:
            results[i] = _attempt(base, username, password, barrier)
        except BaseException as exc:  # reported below, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *t)) for i, t in enumerate(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


def test_parallel_attempts_check_no_more_passwords_than_the_lockout_allows(tmp_path, settings):
    # The server hashes with Argon2 (slow on purpose), which is what leaves room for a race.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    make_user("guessed")
    shared = SharedDatabase(tmp_path)
    shared.publish()
    server = LiveServer(
        shared,
        LOGIN_MAX_FAILURES_PER_ACCOUNT=str(LIMIT),
        LOGIN_MAX_FAILURES_PER_ADDRESS=str(ADDRESS_LIMIT),
    )
    try:
        server.wait_ready()

        # Eight wrong passwords at once: at most five are checked, the rest refused unchecked.
        results = _together(server.url, [("guessed", f"wrong-guess-{n}") for n in range(8)])
        assert results.count("invalid") + results.count("locked") == 8, results
        # (A checked wrong password may answer "locked" too: the limit is reached meanwhile.)
        assert results.count("invalid") <= LIMIT - 1, results
        checked = shared.query(
            "SELECT COUNT(*) FROM audit_auditentry WHERE action = %s AND actor_name = %s",
            ("accounts.login_failed", "guessed"),
        )[0][0]
        assert checked == LIMIT, results
        failures = shared.query(
            "SELECT COUNT(*) FROM accounts_loginfailure WHERE username = %s", ("guessed",)
        )[0][0]
        assert failures == checked  # refused attempts are not counted
        # ...and the account is now locked, even for the right password.
        assert _together(server.url, [("guessed", PASSWORD)]) == ["locked"]

        # Eight names at once from one address, five failures left before it is locked: five
        # passwords checked, whatever the names.
        results = _together(server.url, [(f"nobody-{n}", "wrong-guess") for n in range(8)])
        checked = shared.query(
            "SELECT COUNT(*) FROM audit_auditentry WHERE action = %s AND actor_name LIKE %s",
            ("accounts.login_failed", "nobody-%"),
        )[0][0]
        assert checked == ADDRESS_LIMIT - LIMIT, results
        assert results.count("locked") >= 8 - checked, results
    finally:
        server.stop()
    if shared.vendor == "postgresql":
        assert LoginFailure.objects.filter(username="guessed").count() == failures
        assert AuditEntry.objects.filter(action="accounts.login_blocked").exists()
