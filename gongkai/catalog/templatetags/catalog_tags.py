"""Template helpers of the catalog's staff pages."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.accounts import permissions

register = template.Library()


@register.inclusion_tag("catalog/_subnav.html", takes_context=True)
def catalog_subnav(context: dict[str, Any]) -> dict[str, Any]:
    """The catalog's own tabs; an entry shows only to those who can use it."""
    user = context["request"].user
    return {
        "section": context.get("section", ""),
        "can_draft": permissions.has_any(user, "catalog.draft"),
        "can_manage": permissions.has_any(user, "catalog.manage_categories"),
    }
