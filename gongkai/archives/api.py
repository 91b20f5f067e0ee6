"""Staff API of archive transfers: the same as the archivist's page (`archives.transfer`)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.accounts import permissions
from gongkai.api.auth import token_auth
from gongkai.archives import actions, queries
from gongkai.archives.models import ArchiveTransfer
from gongkai.catalog.api_staff_base import ERRORS, MAX_ID, Input, run_action

router = Router(tags=["archives (staff)"], auth=token_auth)
P = "/staff/archives"


class TransferOut(Schema):
    id: int
    unit: str
    unit_name: str
    year: int
    fonds: str
    items: int
    applications: int
    has_report: bool
    files: int
    sha256: str
    size: int
    created_at: str
    download: str


class TransferIn(Input):
    unit: str
    year: int
    fonds: str = ""


def _out(t: ArchiveTransfer) -> dict[str, Any]:
    return {
        "id": t.pk,
        "unit": t.unit.code,
        "unit_name": t.unit.name,
        "year": t.year,
        "fonds": t.fonds,
        "items": t.items,
        "applications": t.applications,
        "has_report": t.has_report,
        "files": t.files,
        "sha256": t.sha256,
        "size": t.size,
        "created_at": t.created_at.isoformat(),
        "download": f"/api/v1{P}/{t.pk}/package",
    }


@router.get(P, response={200: list[TransferOut], **ERRORS}, summary="档案移交记录")
def transfer_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(t) for t in queries.transfers_for(request.user)[:200]]


@router.post(P, response={201: TransferOut, **ERRORS}, summary="生成档案移交包")
def transfer_create(request: HttpRequest, body: TransferIn) -> Status:
    if not permissions.has_any(request.user, "archives.transfer"):
        raise HttpError(403, _("没有权限进行这项操作。"))
    unit = queries.organs_for(request.user).filter(code=body.unit.strip()[:40]).first()
    if unit is None:
        raise HttpError(400, _("没有这个机关，或您不能为它移交档案：%(u)s") % {"u": body.unit[:40]})
    transfer = run_action(
        actions.archive_transfer,
        actor=request.user,
        unit=unit,
        year=body.year,
        fonds=body.fonds,
    )
    return Status(201, _out(transfer))


@router.get(f"{P}/{{transfer_id}}/package", response={**ERRORS}, summary="下载档案移交包")
def transfer_package(request: HttpRequest, transfer_id: int) -> FileResponse:
    found = queries.transfers_for(request.user)
    transfer = found.filter(pk=transfer_id).first() if 0 < transfer_id <= MAX_ID else None
    if transfer is None:
        raise HttpError(404, _("没有这个移交记录。"))
    return FileResponse(
        transfer.file.open("rb"),
        as_attachment=True,
        filename=transfer.filename,
        content_type="application/zip",
    )
