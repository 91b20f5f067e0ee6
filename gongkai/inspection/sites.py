"""Where each unit's site is: its own deployment (Unit.website) or its pages on this portal."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from gongkai.accounts.models import Unit


def base_url(unit: Unit) -> str:
    return (unit.website or settings.SITE_URL).rstrip("/")


def home_url(unit: Unit) -> str:
    if unit.website:
        return unit.website
    if unit.parent_id is None:
        return settings.SITE_URL.rstrip("/") + reverse("portal:home")
    return settings.SITE_URL.rstrip("/") + reverse("portal:unit_home", args=[unit.code])


def form_urls(unit: Unit) -> list[str]:
    """The online forms of the unit: the mailbox and the 依申请公开 application."""
    found = []
    for name in ("interaction:mailbox_write", "applications_public:apply"):
        try:
            found.append(base_url(unit) + reverse(name, args=[unit.code]))
        except NoReverseMatch:
            continue
    return found


def own_hosts(unit: Unit) -> set[str]:
    return {urlsplit(settings.SITE_URL).netloc.lower(), urlsplit(home_url(unit)).netloc.lower()}
