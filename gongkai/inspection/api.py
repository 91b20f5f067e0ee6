"""API of the inspection: probes on other hosts report each visit here (bearer token of a user
holding inspection.probe on the unit, e.g. the city administrator's)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from gongkai.accounts.models import Unit
from gongkai.api.auth import token_auth
from gongkai.api.schema import Input
from gongkai.inspection import actions

router = Router(tags=["inspection"])


class ProbeIn(Input):
    unit: str = Field(max_length=50)
    url: str = Field(max_length=500)
    ok: bool
    seconds: float = Field(ge=0, le=3600)
    status_code: int | None = Field(None, ge=100, le=599)
    error: str = Field("", max_length=300)
    visited_at: datetime.datetime | None = None
    reporter: str = Field("", max_length=100)


class ProbeOut(Schema):
    id: int
    unit_code: str
    visited_at: datetime.datetime
    ok: bool


@router.post(
    "/inspection/probes",
    auth=token_auth,
    response={201: ProbeOut},
    summary="报告一次可用性监测访问（gongkai probe）",
)
def report_probe(request: HttpRequest, payload: ProbeIn) -> Any:
    unit = (
        Unit.objects.filter(code=payload.unit).first()
        or Unit.objects.filter(name=payload.unit).first()
    )
    if unit is None:
        raise HttpError(404, "没有这个单位")
    if not payload.url.startswith(("http://", "https://")):
        raise HttpError(400, "访问地址应以 http:// 或 https:// 开头")
    try:
        row = actions.probe_record(
            actor=request.auth,  # type: ignore[attr-defined]
            unit=unit,
            url=payload.url,
            ok=payload.ok,
            seconds=payload.seconds,
            status_code=payload.status_code,
            error=payload.error,
            visited_at=payload.visited_at,
            reporter=payload.reporter or "probe",
        )
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "没有报告该单位监测结果的权限") from exc
    return Status(
        201, {"id": row.pk, "unit_code": unit.code, "visited_at": row.visited_at, "ok": row.ok}
    )
