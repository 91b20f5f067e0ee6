"""Handing a unit's year over to the archive: build the package, keep it, record what went."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Unit
from gongkai.accounts.permissions import require
from gongkai.archives import package
from gongkai.archives.models import ArchiveTransfer, EntryKind, TransferEntry
from gongkai.audit.log import record

FIRST_YEAR = 2008  # the first year of the 2008 条例


def check_year(year: Any) -> int:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("年度应在 %(a)s 至 %(b)s 之间。") % {"a": FIRST_YEAR, "b": this_year}}
        )
    return year


@transaction.atomic
def archive_transfer(*, actor: Any, unit: Unit, year: int, fonds: str = "") -> ArchiveTransfer:
    """Build the package of `unit` (an organ) for `year`, keep it for download, and record each
    件 it holds, which marks the items, applications and report as transferred. `actor` None
    is the server operator (`gongkai archive-export`)."""
    if actor is not None:
        require(actor, "archives.transfer", unit)
    if not unit.is_organ:
        raise ValidationError({"unit": _("只有信息公开主体（行政机关）才移交档案。")})
    check_year(year)
    fonds = fonds.strip()
    if len(fonds) > 20:
        raise ValidationError({"fonds": _("全宗号不超过 20 个字符。")})
    now = timezone.now()
    built = package.build(unit, year, fonds=fonds, now=now)
    if not built.entries:
        raise ValidationError(
            {
                "year": _("%(year)s 年度没有已公开的信息、办结的申请或年度报告可以移交。")
                % {"year": year}
            }
        )
    transfer = ArchiveTransfer(
        unit=unit,
        year=year,
        fonds=fonds,
        sha256=built.sha256,
        size=len(built.data),
        items=sum(e.kind == EntryKind.ITEM for e in built.entries),
        applications=sum(e.kind == EntryKind.APPLICATION for e in built.entries),
        has_report=any(e.kind == EntryKind.REPORT for e in built.entries),
        files=len(built.files),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
    )
    stamp = timezone.localtime(now).strftime("%Y%m%d%H%M%S")
    transfer.file.save(f"{built.name}-{stamp}.zip", ContentFile(built.data), save=False)
    transfer.save()
    TransferEntry.objects.bulk_create(
        TransferEntry(
            transfer=transfer,
            kind=entry.kind,
            **{entry.kind: entry.obj},
            piece=entry.piece,
            retention=entry.retention,
            title=entry.title[:300],
            path=entry.path,
        )
        for entry in built.entries
    )
    record(
        actor=actor,
        actor_name="" if actor is not None else "archive-export",
        action="archives.transfer",
        obj=transfer,
        unit=unit,
        after={
            "year": year,
            "items": transfer.items,
            "applications": transfer.applications,
            "report": transfer.has_report,
            "files": transfer.files,
            "sha256": transfer.sha256,
        },
    )
    return transfer


def package_bytes(transfer: ArchiveTransfer) -> bytes:
    with transfer.file.open("rb") as handle:
        return handle.read()
