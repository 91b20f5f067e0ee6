import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts import actions
from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditEntry

ME = "/api/v1/me"
T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def issue(username):
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_token_command_prints_a_token_stores_only_its_digest_and_audits(cast):
    token = issue("drafter")
    assert token.startswith("gk_") and len(token) > 40
    row = ApiToken.objects.get(user=cast.drafter)
    assert row.digest == ApiToken.digest_of(token)
    assert row.prefix == token[:8]
    assert token not in {row.digest, row.prefix}
    entry = AuditEntry.objects.get(action="accounts.token_create")
    assert entry.object_id == str(cast.drafter.pk)
    assert token not in str(entry.after)


def test_each_run_of_the_command_issues_a_different_token(cast):
    assert issue("drafter") != issue("drafter")
    assert ApiToken.objects.filter(user=cast.drafter).count() == 2


def test_token_command_for_an_unknown_username_exits_2_with_a_message(cast):
    with pytest.raises(CommandError) as info:
        call_command("token", "ghost")
    assert info.value.returncode == 2
    assert "ghost" in str(info.value) and "没有" in str(info.value)
    assert not ApiToken.objects.exists()


def test_token_command_refuses_a_deactivated_account(cast):
    actions.user_deactivate(actor=None, user=cast.leader)
    with pytest.raises(CommandError) as info:
        call_command("token", "leader")
    assert info.value.returncode == 2


def test_valid_token_gets_me_with_roles_and_units(client, cast):
    token = issue("drafter")
    response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "drafter"
    assert body["full_name"] == "drafter"
    assert body["roles"] == [
        {
            "role": "drafter",
            "role_name": "信息员",
            "unit_code": "zhuwang",
            "unit_name": "乳山市诸往镇人民政府",
        }
    ]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer " + "x" * 5000,
        "Basic ZHJhZnRlcjpwYXNzd29yZA==",
        "Bearer gk_\u4e2d\u6587",
        "Token gk_abc",
    ],
)
def test_missing_or_garbage_token_is_401_never_500(client, cast, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(ME, headers=headers)
    assert response.status_code == 401


def test_revoked_token_is_401(client, cast):
    token = issue("drafter")
    row = ApiToken.objects.get(user=cast.drafter)
    actions.token_revoke(actor=cast.drafter, token=row)
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_token_of_a_deactivated_user_is_401(client, cast):
    token = issue("drafter")
    actions.user_deactivate(actor=None, user=cast.drafter)
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert ApiToken.objects.get(user=cast.drafter).revoked_at is not None


def test_last_used_is_written_at_most_once_a_minute(client, cast):
    token = issue("drafter")
    headers = {"Authorization": f"Bearer {token}"}
    with time_machine.travel(T0, tick=False) as clock:
        client.get(ME, headers=headers)
        assert ApiToken.objects.get().last_used_at == T0
        clock.shift(datetime.timedelta(seconds=30))
        client.get(ME, headers=headers)
        assert ApiToken.objects.get().last_used_at == T0
        clock.shift(datetime.timedelta(seconds=31))
        client.get(ME, headers=headers)
        assert ApiToken.objects.get().last_used_at == T0 + datetime.timedelta(seconds=61)


def test_a_session_cookie_alone_does_not_authenticate_the_api(client, cast):
    client.force_login(cast.drafter)
    assert client.get(ME).status_code == 401
