"""Two-step sign-in (TOTP with recovery codes): required for leaders, secrecy reviewers, office
heads and administrators when TWO_FACTOR_REQUIRED is on (always in production), optional for
everyone else; forced enrolment at the next sign-in; wrong codes count towards the lockout."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from gongkai.accounts import two_factor
from gongkai.accounts.models import LoginFailure, RecoveryCode, TwoFactorDevice
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
STEP = reverse("accounts:two_factor")
T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
# RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32), 8 digits cut to 6.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.LOGIN_MAX_FAILURES_PER_ACCOUNT = 5


def code_now(secret: str) -> str:
    return two_factor.code_at(secret, two_factor.current_step())


def enrolled(user) -> str:
    secret = two_factor.new_secret()
    assert two_factor.enrol(user=user, secret=secret, code=code_now(secret)) is not None
    return secret


def password_step(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def signed_in_as(client) -> str | None:
    response = client.get(reverse("accounts:profile"))
    return response.context["account"].username if response.status_code == 200 else None


def test_totp_matches_the_rfc_6238_test_vectors():
    # 59 s -> 94287082, 1111111109 s -> 07081804, 20000000000 s -> 65353130 (last 6 digits).
    assert two_factor.code_at(RFC_SECRET, 59 // 30) == "287082"
    assert two_factor.code_at(RFC_SECRET, 1111111109 // 30) == "081804"
    assert two_factor.code_at(RFC_SECRET, 20000000000 // 30) == "353130"


def test_a_code_from_the_step_before_is_accepted_but_not_two_steps_before():
    secret = two_factor.new_secret()
    now = 1_700_000_000
    step = two_factor.current_step(now)
    assert two_factor.matching_step(secret, two_factor.code_at(secret, step - 1), now) == step - 1
    assert two_factor.matching_step(secret, two_factor.code_at(secret, step - 2), now) is None
    assert two_factor.matching_step(secret, "abc", now) is None


@pytest.mark.parametrize("who", ["leader", "secrecy_reviewer", "office_head", "admin"])
def test_required_roles_must_enrol_before_they_are_signed_in(client, cast, who):
    user = getattr(cast, who)
    response = password_step(client, user.username)
    assert response.status_code == 302
    assert response["Location"].startswith(STEP)
    assert signed_in_as(client) is None
    page = client.get(STEP).content.decode()
    assert "绑定身份验证器" in page
    assert 'inputmode="numeric"' in page
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(STEP, {"code": code_now(secret)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_codes"))
    codes_page = client.get(response["Location"]).content.decode()
    assert codes_page.count("<li><code>") == two_factor.RECOVERY_CODES
    assert signed_in_as(client) == user.username
    assert TwoFactorDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor_enrol", actor=user).exists()


def test_drafter_signs_in_with_password_alone(client, cast):
    response = password_step(client, "drafter")
    assert response["Location"] == reverse("core:workbench")
    assert signed_in_as(client) == "drafter"


def test_enrolled_user_gives_a_code_after_the_password(client, cast):
    secret = enrolled(cast.leader)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)):
        password_step(client, "leader")
        assert signed_in_as(client) is None
        response = client.post(STEP, {"code": code_now(secret)})
    assert response.status_code == 302
    assert signed_in_as(client) == "leader"
    entry = AuditEntry.objects.filter(action="accounts.login", actor=cast.leader).get()
    assert "totp" in entry.note


def test_a_code_is_good_only_once(client, cast):
    secret = enrolled(cast.leader)
    code = code_now(secret)  # the very code enrolment used
    password_step(client, "leader")
    response = client.post(STEP, {"code": code})
    assert response.status_code == 200
    assert "验证码不正确或已使用过" in response.content.decode()
    assert signed_in_as(client) is None


def test_recovery_code_signs_in_once(client, cast):
    secret = two_factor.new_secret()
    codes = two_factor.enrol(user=cast.leader, secret=secret, code=code_now(secret))
    password_step(client, "leader")
    client.post(STEP, {"code": codes[0].upper()})
    assert signed_in_as(client) == "leader"
    client.post(reverse("accounts:logout"))
    password_step(client, "leader")
    client.post(STEP, {"code": codes[0]})
    assert signed_in_as(client) is None
    assert RecoveryCode.objects.filter(user=cast.leader, used_at__isnull=False).count() == 1


def test_wrong_codes_count_as_failures_and_end_the_attempt(client, cast):
    enrolled(cast.leader)
    password_step(client, "leader")
    for _ in range(two_factor.MAX_ATTEMPTS - 1):
        assert client.post(STEP, {"code": "000000"}).status_code == 200
    response = client.post(STEP, {"code": "000000"})
    assert response["Location"] == LOGIN
    assert LoginFailure.objects.filter(username="leader").count() == two_factor.MAX_ATTEMPTS
    assert client.get(STEP)["Location"] == LOGIN
    assert AuditEntry.objects.filter(action="accounts.two_factor_failed").count() == 5


def test_the_password_step_expires(client, cast):
    secret = enrolled(cast.leader)
    password_step(client, "leader")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)
    with time_machine.travel(later):
        response = client.post(STEP, {"code": code_now(secret)})
    assert response["Location"] == LOGIN
    assert signed_in_as(client) is None


def test_the_second_step_page_without_a_password_goes_back_to_sign_in(client, db):
    assert client.get(STEP)["Location"] == LOGIN


def test_next_survives_the_second_step(client, cast):
    secret = enrolled(cast.leader)
    target = reverse("accounts:profile")
    response = client.post(
        LOGIN + f"?next={target}", {"username": "leader", "password": PASSWORD, "next": target}
    )
    assert "next=" in response["Location"]
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)):
        response = client.post(response["Location"], {"code": code_now(secret), "next": target})
    assert response["Location"] == target


def test_demo_setting_off_lets_required_roles_sign_in_with_a_password(client, cast, settings):
    settings.TWO_FACTOR_REQUIRED = False
    password_step(client, "leader")
    assert signed_in_as(client) == "leader"


def test_drafter_may_enrol_and_disable_on_their_page(client, cast):
    client.force_login(cast.drafter)
    url = reverse("accounts:two_factor_manage")
    page = client.get(url).content.decode()
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(url, {"what": "enrol", "code": code_now(secret)})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    assert TwoFactorDevice.objects.filter(user=cast.drafter).exists()
    client.post(url, {"what": "disable"})
    assert not TwoFactorDevice.objects.filter(user=cast.drafter).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor_disable").exists()


def test_required_user_cannot_disable_it(client, cast):
    enrolled(cast.leader)
    client.force_login(cast.leader)
    client.post(reverse("accounts:two_factor_manage"), {"what": "disable"})
    assert TwoFactorDevice.objects.filter(user=cast.leader).exists()


def test_administrator_resets_a_lost_phone_and_the_user_enrols_again(client, cast):
    enrolled(cast.leader)
    client.force_login(cast.admin)
    client.post(reverse("accounts:user_two_factor_reset", args=[cast.leader.pk]))
    assert not TwoFactorDevice.objects.filter(user=cast.leader).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor_reset").exists()
    client.post(reverse("accounts:logout"))
    password_step(client, "leader")
    assert "绑定身份验证器" in client.get(STEP).content.decode()


def test_a_drafter_cannot_reset_someone_elses_two_step(client, cast):
    enrolled(cast.leader)
    client.force_login(cast.drafter)
    response = client.post(reverse("accounts:user_two_factor_reset", args=[cast.leader.pk]))
    assert response.status_code in {403, 404}
    assert TwoFactorDevice.objects.filter(user=cast.leader).exists()


def test_the_secret_is_stored_encrypted(cast):
    from django.db import connection

    secret = enrolled(cast.leader)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactordevice")
        (stored,) = cursor.fetchone()
    assert secret not in stored


def test_production_refuses_two_step_off(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        GONGKAI_PRODUCTION="true",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEYS="a" * 43 + "=",
        FIELD_HASH_KEY="h" * 40,
        TWO_FACTOR_REQUIRED="false",
        GONGKAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    env.pop("CAPTCHA_TEST_MODE", None)
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED" in result.stderr
