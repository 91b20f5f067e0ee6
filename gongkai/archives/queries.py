"""Reads of transfers: which units and years a member of staff may hand over, and the history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.archives.models import ArchiveTransfer


def organs_for(user: Any) -> QuerySet[Unit]:
    return (
        permissions.units_for(user, "archives.transfer")
        .filter(is_organ=True, is_active=True)
        .order_by("path")
    )


def transfers_for(user: Any) -> QuerySet[ArchiveTransfer]:
    return ArchiveTransfer.objects.filter(unit__in=organs_for(user)).select_related(
        "unit", "created_by"
    )
