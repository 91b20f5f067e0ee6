"""Who is told about a catalog item, and the e-mail that tells them. Every step of the workflow
leaves a task in somebody's workbench queue (derived from state, see queries.queue_for); these
helpers add the e-mail for users who have an address."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from gongkai.accounts.models import RoleAssignment, Unit, User
from gongkai.accounts.permissions import PERMISSIONS
from gongkai.core.mail import enqueue_email


def users_with(perm: str, unit: Unit) -> QuerySet[User]:
    """Active users holding `perm` on `unit` (through a role on it or on a unit above it)."""
    ancestor_ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    user_ids = RoleAssignment.objects.filter(
        role__in=PERMISSIONS[perm], unit_id__in=ancestor_ids, unit__is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


# The staff page of one item. The pages live in the catalog's URL namespace under this name;
# until they are installed, links are simply left out.
STAFF_ITEM_URL_NAME = "catalog:item_detail"


def staff_item_url(item_pk: int) -> str:
    try:
        return reverse(STAFF_ITEM_URL_NAME, kwargs={"pk": item_pk})
    except NoReverseMatch:
        return ""


def item_link(item_pk: int) -> str:
    """Absolute address of an item's staff page for e-mails ("" when the page does not exist)."""
    url = staff_item_url(item_pk)
    return f"{settings.SITE_URL}{url}" if url else ""


def email_users(users: Iterable[User], *, subject: str, body: str) -> None:
    enqueue_email(to=[u.email for u in users if u.email], subject=subject, body=body)


def email_perm(perm: str, unit: Unit, *, subject: str, body: str) -> None:
    """E-mail everyone holding `perm` on `unit`."""
    email_users(users_with(perm, unit), subject=subject, body=body)
