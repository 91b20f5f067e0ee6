import datetime

import time_machine
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
PROFILE = reverse("accounts:profile")


def _sign_in(client):
    response = client.post(reverse("accounts:login"), {"username": "drafter", "password": PASSWORD})
    assert response.status_code == 302


def test_activity_within_the_idle_limit_keeps_the_session(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(T0, tick=False) as clock:
        _sign_in(client)
        for _ in range(4):
            clock.shift(datetime.timedelta(minutes=25))
            assert client.get(PROFILE).status_code == 200
    assert not AuditEntry.objects.filter(action="accounts.session_expired").exists()


def test_session_ends_after_the_idle_limit_and_says_why(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(T0, tick=False) as clock:
        _sign_in(client)
        assert client.get(PROFILE).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(PROFILE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "30 分钟未操作" in page
        # The notice shows once.
        assert "30 分钟未操作" not in client.get(reverse("accounts:login")).content.decode()
    entry = AuditEntry.objects.get(action="accounts.session_expired")
    assert entry.actor_id == cast.drafter.pk


def test_idle_limit_counts_from_the_sign_in_itself(client, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    with time_machine.travel(T0, tick=False) as clock:
        _sign_in(client)
        clock.shift(datetime.timedelta(minutes=45))
        assert client.get(PROFILE).status_code == 302
