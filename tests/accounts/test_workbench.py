import pytest
from django.urls import reverse

from tests.factories import make_user

CAST = [
    "drafter",
    "secrecy_reviewer",
    "office_reviewer",
    "leader",
    "office_head",
    "admin",
    "station_drafter",
    "other_drafter",
]


@pytest.mark.parametrize("member", CAST)
def test_workbench_renders_for_every_role_with_their_roles(client, cast, member):
    user = getattr(cast, member)
    client.force_login(user)
    response = client.get(reverse("core:workbench"))
    assert response.status_code == 200
    html = response.content.decode()
    role = user.roles.get()
    assert role.get_role_display() in html and role.unit.short_name in html
    assert reverse("accounts:profile") in html  # every member of staff reaches their account


def test_workbench_renders_for_someone_without_any_role(client, db):
    client.force_login(make_user("newcomer"))
    assert client.get(reverse("core:workbench")).status_code == 200


def test_only_administrators_get_the_unit_and_people_menu(client, cast):
    client.force_login(cast.admin)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("accounts:unit_list") in html and reverse("accounts:user_list") in html
    client.force_login(cast.drafter)
    html = client.get(reverse("core:workbench")).content.decode()
    assert reverse("accounts:unit_list") not in html
