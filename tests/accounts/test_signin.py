import datetime

import pytest
import time_machine
from django.urls import reverse

from gongkai.accounts.models import LoginFailure, User
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
LOCKED_TEXT = "登录失败次数过多，已暂时锁定"
INVALID_TEXT = "用户名或密码不正确"
T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def sign_in(client, username, password=PASSWORD, ip="192.0.2.10", **data):
    return client.post(LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=ip)


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.LOGIN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15


def test_login_page_is_chinese_and_fits_a_phone(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作人员登录" in html
    assert 'name="viewport"' in html
    assert 'autocomplete="current-password"' in html


def test_correct_password_signs_in_lands_on_workbench_and_is_audited(client, cast):
    response = sign_in(client, "drafter")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:workbench")
    assert client.get(reverse("core:workbench")).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.login")
    assert entry.actor_id == cast.drafter.pk
    assert entry.ip == "192.0.2.10"
    assert entry.unit_id == cast.zhuwang.pk


def test_wrong_password_is_refused_counted_and_audited(client, cast):
    response = sign_in(client, "drafter", "wrong-password")
    assert response.status_code == 200
    assert INVALID_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="drafter", ip="192.0.2.10").count() == 1
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.actor_id is None
    assert entry.actor_name == "drafter"
    assert entry.ip == "192.0.2.10"
    assert PASSWORD not in str(entry.note) and "wrong-password" not in str(entry.note)


def test_unknown_and_deactivated_accounts_get_the_same_answer_as_a_wrong_password(client, cast):
    User.objects.filter(pk=cast.leader.pk).update(is_active=False)
    answers = {
        sign_in(client, name, pw).content.decode().count(INVALID_TEXT)
        for name, pw in [("drafter", "nope-nope-1"), ("nobody", PASSWORD), ("leader", PASSWORD)]
    }
    assert answers == {1}


def test_empty_form_shows_field_errors_not_a_crash(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not LoginFailure.objects.exists()


def test_safe_next_is_followed_and_foreign_next_is_ignored(client, cast):
    response = sign_in(client, "drafter", next="/staff/accounts/me/")
    assert response["Location"] == "/staff/accounts/me/"
    client.logout()
    response = sign_in(client, "drafter", next="https://evil.example/steal")
    assert response["Location"] == reverse("core:workbench")
    client.logout()
    response = sign_in(client, "drafter", next="//evil.example/")
    assert response["Location"] == reverse("core:workbench")


def test_next_survives_the_redirect_to_the_login_page(client, cast):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert 'name="next" value="/staff/accounts/me/"' in page.content.decode()


def test_account_is_locked_after_repeated_failures_even_for_the_right_password(client, cast):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(2):
            assert INVALID_TEXT in sign_in(client, "drafter", "bad-guess-1").content.decode()
        third = sign_in(client, "drafter", "bad-guess-1").content.decode()
        assert LOCKED_TEXT in third
        assert AuditEntry.objects.filter(action="accounts.lockout").count() == 1

        clock.shift(datetime.timedelta(minutes=5))
        blocked = sign_in(client, "drafter")
        assert LOCKED_TEXT in blocked.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="accounts.login_blocked").count() == 1
        # Attempts while locked are not counted, so hammering does not extend the lockout.
        assert LoginFailure.objects.filter(username="drafter").count() == 3

        clock.shift(datetime.timedelta(minutes=10, seconds=1))
        response = sign_in(client, "drafter")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(cast.drafter.pk)


def test_lockout_counts_the_name_whatever_its_case_and_spaces(client, cast):
    for name in ["Drafter", " drafter", "DRAFTER"]:
        sign_in(client, name, "bad-guess-1")
    assert LOCKED_TEXT in sign_in(client, "drafter").content.decode()


def test_locked_message_does_not_reveal_whether_the_account_exists(client, cast):
    for _ in range(3):
        sign_in(client, "drafter", "bad-guess-1", ip="192.0.2.1")
        sign_in(client, "no-such-person", "bad-guess-1", ip="192.0.2.2")
    real = sign_in(client, "drafter", ip="192.0.2.1").content.decode()
    fake = sign_in(client, "no-such-person", ip="192.0.2.2").content.decode()
    assert LOCKED_TEXT in real and LOCKED_TEXT in fake

    def message(html):
        return html[html.index('class="form-alert"') :].split("</div>")[0]

    assert message(real) == message(fake)


def test_successful_sign_in_clears_that_accounts_failures_only(client, cast):
    sign_in(client, "drafter", "bad-guess-1")
    sign_in(client, "drafter", "bad-guess-2")
    sign_in(client, "leader", "bad-guess-1")
    assert sign_in(client, "drafter").status_code == 302
    assert not LoginFailure.objects.filter(username="drafter").exists()
    assert LoginFailure.objects.filter(username="leader").count() == 1


def test_one_address_is_locked_after_failures_across_many_names(client, cast):
    with time_machine.travel(T0, tick=False) as clock:
        for name in ["a1", "a2", "a3", "a4", "a5"]:
            sign_in(client, name, "bad-guess-1", ip="198.51.100.7")
        # A real account with the right password is refused from that address...
        assert LOCKED_TEXT in sign_in(client, "drafter", ip="198.51.100.7").content.decode()
        # ...while the same account signs in from another address.
        assert sign_in(client, "drafter", ip="198.51.100.8").status_code == 302
        client.logout()
        clock.shift(datetime.timedelta(minutes=16))
        assert sign_in(client, "leader", ip="198.51.100.7").status_code == 302


def test_signed_in_user_visiting_login_goes_to_workbench(client, cast):
    client.force_login(cast.drafter)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:workbench")


def test_sign_out_is_a_post_audited_and_ends_the_session(client, cast):
    sign_in(client, "drafter")
    confirm = client.get(reverse("accounts:logout"))
    assert confirm.status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="accounts.logout")
    assert entry.actor_id == cast.drafter.pk


def test_passwords_are_hashed_with_argon2(client, cast, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.get(username="drafter")
    user.set_password("a-fresh-Passphrase-7")
    user.save()
    assert user.password.startswith("argon2$argon2id$")
    assert sign_in(client, "drafter", "a-fresh-Passphrase-7").status_code == 302


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, cast, settings):
    # The cast was hashed with MD5 (fast tests); Django rehashes with the first hasher on success.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert sign_in(client, "drafter").status_code == 302
    assert User.objects.get(username="drafter").password.startswith("argon2$")
