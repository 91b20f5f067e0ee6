from django.urls import reverse

from gongkai.accounts import actions
from gongkai.accounts.models import ApiToken
from gongkai.audit.models import AuditEntry

PROFILE = reverse("accounts:profile")


def test_user_sees_their_tokens_prefix_created_and_last_used(client, cast):
    token, raw = actions.token_create(actor=None, user=cast.drafter)
    actions.token_create(actor=None, user=cast.leader)
    client.force_login(cast.drafter)
    html = client.get(PROFILE).content.decode()
    assert token.prefix in html
    assert raw not in html
    assert "从未使用" in html
    assert html.count("<code>gk_") == 1  # the leader's token is not listed


def test_user_revokes_their_own_token(client, cast):
    token, _raw = actions.token_create(actor=None, user=cast.drafter)
    client.force_login(cast.drafter)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.token_revoke").count() == 1
    assert "已于" in client.get(PROFILE).content.decode()


def test_nobody_revokes_someone_elses_token_they_cannot_manage(client, cast):
    token, _raw = actions.token_create(actor=None, user=cast.drafter)
    client.force_login(cast.other_drafter)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_revoke_needs_a_post(client, cast):
    token, _raw = actions.token_create(actor=None, user=cast.drafter)
    client.force_login(cast.drafter)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
