"""The staff menu. Each app registers its entries in AppConfig.ready(); an entry shows only to
users who hold its permission somewhere, so nobody sees a menu that leads nowhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from gongkai.accounts import permissions


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    perm: str | None  # None: every signed-in member of staff
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def staff_menu(request: HttpRequest) -> list[dict[str, str | bool]]:
    user = request.user
    if not user.is_authenticated:
        return []
    menu = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if entry.perm is None or permissions.has_any(user, entry.perm):
            url = reverse(entry.url_name)
            menu.append(
                {
                    "label": entry.label,
                    "url": url,
                    # The workbench (/staff/) is current only on itself, not on every page below.
                    "current": request.path == url
                    or (url != "/staff/" and request.path.startswith(url)),
                }
            )
    return menu
