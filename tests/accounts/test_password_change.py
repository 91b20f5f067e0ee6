from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.audit.models import AuditEntry
from tests.factories import PASSWORD

URL = reverse("accounts:password_change")
NEW = "Rice-paddy-autumn-7"


def test_user_changes_their_password_and_stays_signed_in(client, cast):
    client.force_login(cast.drafter)
    response = client.post(URL, {"old_password": PASSWORD, "password1": NEW, "password2": NEW})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.drafter.pk).check_password(NEW)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.password_change").count() == 1


def test_other_sessions_end_when_the_password_changes(client, cast):
    other = client.__class__()
    other.force_login(cast.drafter)
    client.force_login(cast.drafter)
    client.post(URL, {"old_password": PASSWORD, "password1": NEW, "password2": NEW})
    response = other.get(reverse("accounts:profile"))
    assert response.status_code == 302


def test_wrong_old_password_is_refused(client, cast):
    client.force_login(cast.drafter)
    response = client.post(URL, {"old_password": "guess-guess", "password1": NEW, "password2": NEW})
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert User.objects.get(pk=cast.drafter.pk).check_password(PASSWORD)


def test_new_password_must_meet_the_rules(client, cast):
    client.force_login(cast.drafter)
    for weak in ["short1", "1234567890", "password1234", "drafter2025x"]:
        response = client.post(
            URL, {"old_password": PASSWORD, "password1": weak, "password2": weak}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["password1"], weak
    assert User.objects.get(pk=cast.drafter.pk).check_password(PASSWORD)


def test_mismatched_new_passwords_are_refused(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        URL, {"old_password": PASSWORD, "password1": NEW, "password2": NEW + "x"}
    )
    assert response.context["form"].errors["password2"]
    assert not AuditEntry.objects.filter(action="accounts.password_change").exists()
