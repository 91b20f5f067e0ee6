"""API tokens: expiry, scope (read or write areas), self-service issue, listing and revoking by
the user and the administrator, and the end of every token when the password changes."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.accounts import actions
from gongkai.accounts.models import WRITE_AREAS, ApiToken
from gongkai.api.auth import SAFE_METHODS, area_of
from gongkai.api.main import api
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

ME = "/api/v1/me"
T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "Another-long-password-7"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_expires_after_its_days(client, cast, settings):
    settings.API_TOKEN_DAYS = 30
    with time_machine.travel(T0, tick=False):
        token, raw = actions.token_create(actor=None, user=cast.drafter, days=10)
        assert token.expires_at == T0 + datetime.timedelta(days=10)
        assert client.get(ME, **bearer(raw)).status_code == 200
    with time_machine.travel(T0 + datetime.timedelta(days=10, seconds=1), tick=False):
        assert client.get(ME, **bearer(raw)).status_code == 401


def test_longer_than_the_maximum_is_refused(cast, settings):
    settings.API_TOKEN_DAYS = 30
    with pytest.raises(ValidationError) as info:
        actions.token_create(actor=None, user=cast.drafter, days=31)
    assert "1 至 30 天" in info.value.message_dict["days"][0]
    assert not ApiToken.objects.exists()


def test_unknown_scope_is_refused(cast):
    with pytest.raises(ValidationError):
        actions.token_create(actor=None, user=cast.drafter, scope=["everything"])


def test_read_token_reads_but_cannot_write(client, cast):
    _token, raw = actions.token_create(actor=None, user=cast.drafter, scope=["read"])
    assert client.get(ME, **bearer(raw)).status_code == 200
    response = client.post(
        "/api/v1/staff/catalog/items", {}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403
    assert "权限范围" in response.json()["detail"]


def test_write_area_token_writes_only_in_its_area(client, cast):
    _token, raw = actions.token_create(actor=None, user=cast.drafter, scope=["applications"])
    catalog = client.post(
        "/api/v1/staff/catalog/items", {}, content_type="application/json", **bearer(raw)
    )
    assert catalog.status_code == 403
    applications = client.post(
        "/api/v1/applications", {}, content_type="application/json", **bearer(raw)
    )
    # Past the scope check: the body is what is wrong now.
    assert applications.status_code in {400, 422}


def test_command_gives_every_area_by_default_and_takes_scope_and_days(cast):
    out = StringIO()
    call_command("token", "drafter", stdout=out)
    full = ApiToken.objects.get(digest=ApiToken.digest_of(out.getvalue().strip()))
    assert full.areas == set(WRITE_AREAS)
    out = StringIO()
    call_command("token", "drafter", "--scope", "read", "--days", "7", stdout=out)
    narrow = ApiToken.objects.get(digest=ApiToken.digest_of(out.getvalue().strip()))
    assert narrow.scope == "read"
    assert narrow.expires_at - narrow.created_at < datetime.timedelta(days=7, minutes=1)


def test_every_write_endpoint_belongs_to_an_area(db):
    """A new write endpoint must be placed in a scope area in gongkai/api/auth.py."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    missing, checked = [], 0
    for path_view in api._routers:
        router = path_view[1]
        for path, operations in router.path_operations.items():
            for op in operations.operations:
                writes = set(op.methods) - SAFE_METHODS
                if writes:
                    checked += 1
                    if area_of("/api/v1" + path) is None:
                        missing.append(path)
    assert checked > 40
    assert not missing, missing
    assert list(walk(get_resolver().url_patterns))  # the resolver loads


def test_user_issues_a_token_on_their_page_and_sees_it_once(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "办公系统对接", "scope": ["catalog"], "days": "30"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.drafter)
    html = response.content.decode()
    assert 'data-testid="new-token"' in html
    assert token.name == "办公系统对接"
    assert token.scope == "catalog"
    again = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="new-token"' not in again
    assert token.prefix in again and "办公系统对接" in again


def test_token_form_refuses_too_many_days(client, cast, settings):
    settings.API_TOKEN_DAYS = 30
    client.force_login(cast.drafter)
    response = client.post(reverse("accounts:profile"), {"days": "365"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_administrator_lists_and_revokes_a_users_token(client, cast):
    token, raw = actions.token_create(actor=None, user=cast.drafter)
    client.force_login(cast.admin)
    page = client.get(reverse("accounts:user_detail", args=[cast.drafter.pk])).content.decode()
    assert token.prefix in page
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get(ME, **bearer(raw)).status_code == 401


def test_changing_the_password_ends_every_token(client, cast):
    _token, raw = actions.token_create(actor=None, user=cast.drafter)
    assert client.get(ME, **bearer(raw)).status_code == 200
    actions.password_change(actor=cast.drafter, old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert client.get(ME, **bearer(raw)).status_code == 401
    row = ApiToken.objects.get(user=cast.drafter)
    assert row.revoked_reason == "password"
    entry = AuditEntry.objects.filter(action="accounts.password_change").get()
    assert "1 API tokens ended" in entry.note


def test_an_administrator_setting_the_password_ends_every_token(client, cast):
    _token, raw = actions.token_create(actor=None, user=cast.drafter)
    actions.user_set_password(actor=cast.admin, user=cast.drafter, password=NEW_PASSWORD)
    assert client.get(ME, **bearer(raw)).status_code == 401
