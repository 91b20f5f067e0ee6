"""`gongkai import-ledger`: an application ledger (台账) kept on paper or in Excel before the
system (INTERFACES.md "Application ledger columns"). Files are read by `gongkai.lib.tabular`
(CSV in UTF-8 / GB18030, XLSX; English or Chinese headers).

Each row becomes an application marked `imported`. With an outcome it is concluded on its
办结日期 (replied, or closed for 3.6.x); without one it is an open case whose reply clock runs from
the received date like any other. A given number is kept (it must be unique; the organ's serials
continue after it); otherwise one is generated, so rows with numbers are taken first. A fee
becomes a paid fee, paid on the concluded date (or the received date): of the method and quantity
given in the optional `fee_method` and `fee_quantity` columns (the amount must then match the
schedule of 国办函〔2020〕109号), else of the 台账 method, with a warning when no schedule yields
the amount.

All or nothing: any bad row rolls the whole file back, unless `skip_bad`, which imports the good
rows and reports the others. Every error names the physical line (header = line 1) and why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.applications import deadlines, fees
from gongkai.applications.actions import intake
from gongkai.applications.codes import (
    ApplicantType,
    Channel,
    Decision,
    choice_from_text,
    decision_from_text,
)
from gongkai.applications.forms import ApplicantForm
from gongkai.applications.models import Application, CaseEvent, Fee, State
from gongkai.audit.log import record
from gongkai.lib import tabular

COLUMNS: dict[str, list[str]] = {
    "number": ["申请编号", "编号"],
    "unit": ["受理机关"],
    "received_date": ["收到申请日期", "收到日期", "申请日期"],
    "channel": ["申请方式"],
    "applicant_type": ["申请人类型"],
    "applicant_name": ["申请人", "申请人姓名"],
    "description": ["申请内容"],
    "outcome": ["办理结果", "答复类型"],
    "concluded_date": ["办结日期", "答复日期"],
    "fee_yuan": ["收费金额（元）", "收费金额(元)", "收费金额"],
    "fee_method": ["计收方式", "收费方式"],
    "fee_quantity": ["计费数量", "收费数量"],
}
FEE_METHODS = {
    "per_item": Fee.Method.PER_ITEM,
    "按件": Fee.Method.PER_ITEM,
    "按件计收": Fee.Method.PER_ITEM,
    "per_page": Fee.Method.PER_PAGE,
    "按量": Fee.Method.PER_PAGE,
    "按量计收": Fee.Method.PER_PAGE,
    "按页": Fee.Method.PER_PAGE,
}
REQUIRED = {"unit", "received_date", "channel", "applicant_type", "applicant_name", "description"}
LABELS = {
    "unit": "受理机关（unit）",
    "received_date": "收到申请日期（received_date）",
    "channel": "申请方式（channel）",
    "applicant_type": "申请人类型（applicant_type）",
    "applicant_name": "申请人（applicant_name）",
    "description": "申请内容（description）",
}
# Spellings seen in real ledgers besides the codes and the labels of codes.Channel.
CHANNEL_ALIASES = {
    "当面提交": Channel.IN_PERSON,
    "现场": Channel.IN_PERSON,
    "现场申请": Channel.IN_PERSON,
    "信函": Channel.REGISTERED_MAIL,
    "挂号信": Channel.REGISTERED_MAIL,
    "邮政寄送": Channel.REGISTERED_MAIL,
    "普通信件": Channel.LETTER,
    "网络": Channel.ONLINE,
    "网上申请": Channel.ONLINE,
    "互联网": Channel.ONLINE,
    "在线": Channel.ONLINE,
    "电子邮件": Channel.ONLINE,
    "口头申请": Channel.ORAL,
}
TYPE_ALIASES = {
    "公民": ApplicantType.NATURAL_PERSON,
    "个人": ApplicantType.NATURAL_PERSON,
    "企业": ApplicantType.COMMERCIAL,
    "公司": ApplicantType.COMMERCIAL,
    "其他组织": ApplicantType.OTHER_ORG,
}


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


@dataclass
class ImportResult:
    imported: list[Application] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    # Imported rows an office should look at again (an amount no fee schedule yields).
    warnings: list[RowError] = field(default_factory=list)
    committed: bool = False


class ImportFailed(Exception):
    """Bad rows and no `skip_bad`: nothing was imported; `result.rejected` says why."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(f"{len(result.rejected)} 行有错误，未导入任何数据")


class _RowProblem(Exception):
    pass


def find_unit(value: str) -> Unit | None:
    value = value.strip()
    if not value:
        return None
    return Unit.objects.filter(Q(code=value) | Q(name=value)).first()


def _date(values: dict[str, Any], name: str, label: str) -> datetime.date:
    try:
        day = tabular.parse_date(values.get(name))
    except ValueError as exc:
        raise _RowProblem(f"{label}：{exc}") from exc
    if day > timezone.localdate():
        raise _RowProblem(f"{label}晚于今天")
    return day


def reachable_fee(amount: Decimal) -> bool:
    """Whether `amount` is what the 109号 schedules charge for some 按件 ordinal or 按量 page
    count (both grow with the quantity, so the search stops once past the amount)."""
    for compute in (fees.per_item_fee, fees.per_page_fee):
        quantity = 1
        while quantity < 100_000:
            value = compute(quantity)
            if value == amount:
                return True
            if value > amount:
                break
            quantity += 1
    return False


def _fee_of_row(text: dict[str, str]) -> tuple[Decimal | None, str, int, str]:
    """The fee of a row: (amount, method, quantity, warning). The method and the quantity are
    optional, together; given, the schedule decides the amount and a contradicting amount is
    refused. An amount alone that no schedule yields is kept with a warning."""
    fee: Decimal | None = None
    if text.get("fee_yuan"):
        try:
            fee = Decimal(text["fee_yuan"].replace(",", "").replace("元", ""))
        except InvalidOperation as exc:
            raise _RowProblem(f"收费金额“{text['fee_yuan']}”不是数字") from exc
        if fee < 0 or fee >= Decimal("100000000"):
            raise _RowProblem("收费金额应为不小于 0 的数字")
    raw_method, raw_quantity = text.get("fee_method", ""), text.get("fee_quantity", "")
    if not raw_method and not raw_quantity:
        if fee and not reachable_fee(fee):
            return (
                fee,
                Fee.Method.LEDGER,
                0,
                (f"收费金额 {fee:.2f} 元按件计收和按量计收的标准都算不出来，请核对台账"),
            )
        return fee, Fee.Method.LEDGER, 0, ""
    if not (raw_method and raw_quantity):
        raise _RowProblem("计收方式和计费数量须同时填写")
    method = FEE_METHODS.get(raw_method)
    if method is None:
        raise _RowProblem(f"计收方式“{raw_method}”无效，应为 按件计收 或 按量计收")
    try:
        quantity = int(raw_quantity.replace("件", "").replace("页", "").strip())
    except ValueError as exc:
        raise _RowProblem(f"计费数量“{raw_quantity}”不是整数") from exc
    if quantity < 1:
        raise _RowProblem("计费数量应为正整数")
    computed = fees.compute_fee(method, quantity)
    if fee is not None and fee != computed:
        raise _RowProblem(
            f"收费金额 {fee:.2f} 元与{Fee.Method(method).label}、计费数量 {quantity} "
            f"按标准计算的 {computed:.2f} 元不符"
        )
    return computed, method, quantity, ""


def _import_row(
    values: dict[str, Any], *, line: int, source: str, warnings: list[RowError] | None = None
) -> Application:
    # Date cells become ISO text, so every value is a string from here on.
    text: dict[str, str] = {
        k: v.isoformat() if isinstance(v, datetime.date) else str(v).strip()
        for k, v in values.items()
    }
    unit = find_unit(text.get("unit") or "")
    if unit is None:
        raise _RowProblem(f"受理机关“{text.get('unit')}”不存在（应填单位代码或全称）")
    organ = unit.organ()
    if organ is None:
        raise _RowProblem(f"“{unit.name}”不属于任何行政机关，不能受理申请")
    received = _date(text, "received_date", "收到申请日期")
    channel = choice_from_text(Channel, text.get("channel", "")) or CHANNEL_ALIASES.get(
        text.get("channel", "")
    )
    if channel is None:
        raise _RowProblem(
            f"申请方式“{text.get('channel')}”无效，应为 当面、邮寄、平信、网上、传真、口头 之一"
        )
    applicant_type = choice_from_text(ApplicantType, text.get("applicant_type", "")) or (
        TYPE_ALIASES.get(text.get("applicant_type", ""))
    )
    if applicant_type is None:
        raise _RowProblem(
            f"申请人类型“{text.get('applicant_type')}”无效，应为 自然人、商业企业、"
            "科研机构、社会公益组织、法律服务机构、其他 之一"
        )
    fields = intake.clean_applicant(
        {
            "applicant_type": applicant_type,
            "applicant_name": text.get("applicant_name", ""),
            "description": text.get("description", ""),
        },
        strict=False,
    )
    for name, label in (("applicant_name", "申请人"), ("description", "申请内容")):
        # the same maximum as the web form, so an import cannot store more
        limit = ApplicantForm.base_fields[name].max_length
        if limit and len(fields[name]) > limit:
            raise _RowProblem(f"{label}超过 {limit} 字")
    decision: Decision | None = None
    concluded: datetime.date | None = None
    if text.get("outcome"):
        decision = decision_from_text(text["outcome"])
        if decision is None:
            raise _RowProblem(
                f"办理结果“{text['outcome']}”无效，应为 3.1 至 3.6.3 的代码或"
                "年报中的名称（如 予以公开、部分公开、属于国家秘密）"
            )
        if not text.get("concluded_date"):
            raise _RowProblem("填写了办理结果，必须填写办结日期")
        concluded = _date(text, "concluded_date", "办结日期")
        if concluded < received:
            raise _RowProblem("办结日期早于收到申请日期")
    elif text.get("concluded_date"):
        raise _RowProblem("填写了办结日期但没有办理结果")
    fee, fee_method, fee_quantity, fee_warning = _fee_of_row(text)
    number = (text.get("number") or "").strip().upper()
    if number:
        if len(number) > 40:
            raise _RowProblem("申请编号超过 40 个字符")
        if Application.objects.filter(number=number).exists():
            raise _RowProblem(f"申请编号“{number}”已存在")
    else:
        number = intake.allocate_number(organ, received.year)

    closed = decision is not None and decision.value.startswith("3.6.")
    app = Application(
        number=number,
        organ=organ,
        channel=channel,
        received_date=received,
        submitted_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(12))),
        department=unit if unit != organ else None,
        imported=True,
        state=(State.CLOSED if closed else State.REPLIED) if decision else State.REGISTERED,
        decision=decision.value if decision else "",
        concluded_date=concluded,
        reply_date=concluded if decision and not closed else None,
        **fields,
    )
    app.set_query_code(Application.new_query_code())
    app.save()
    if text.get("number"):
        intake.note_imported_number(organ, number)
    if fee:
        Fee.objects.create(
            application=app,
            method=fee_method,
            quantity=fee_quantity,
            amount=fee,
            computed_amount=fee if fee_method != Fee.Method.LEDGER else None,
            paid_date=concluded or received,
        )
    if fee_warning and warnings is not None:
        warnings.append(RowError(line, fee_warning))
    deadlines.refresh_due(app)
    CaseEvent.objects.create(
        application=app,
        date=received,
        kind="imported",
        actor_name="import",
        summary=f"从台账导入（{source} 第 {line} 行）",
    )
    record(
        actor=None,
        actor_name="import",
        action="applications.import",
        obj=app,
        unit=organ,
        after={
            "file": source,
            "line": line,
            "number": app.number,
            "received_date": received,
            "decision": app.decision,
            "concluded_date": concluded,
        },
    )
    return app


def import_rows(table: tabular.Table, *, skip_bad: bool = False, source: str = "") -> ImportResult:
    """Import the rows of a read table. Raises ImportFailed (nothing written) on a bad row
    unless `skip_bad`."""
    result = ImportResult()
    # Rows with their own number first: generated serials then continue after them.
    ordered = sorted(table.rows, key=lambda r: (not r.values.get("number"), r.line))
    with transaction.atomic():
        for row in ordered:
            if row.error:
                result.rejected.append(RowError(row.line, row.error))
                continue
            try:
                with transaction.atomic():
                    result.imported.append(
                        _import_row(
                            row.values, line=row.line, source=source, warnings=result.warnings
                        )
                    )
            except _RowProblem as problem:
                result.rejected.append(RowError(row.line, str(problem)))
            except ValidationError as exc:
                result.rejected.append(RowError(row.line, "；".join(exc.messages)))
        result.rejected.sort(key=lambda e: e.line)
        result.imported.sort(key=lambda a: a.pk)
        if result.rejected and not skip_bad:
            raise ImportFailed(result)
    result.committed = True
    return result


def import_file(data: bytes, *, skip_bad: bool = False, source: str = "") -> ImportResult:
    """Read and import a whole file. Raises tabular.TabularError for an unreadable file and
    ImportFailed for bad rows without `skip_bad`; in both cases nothing is written."""
    table = tabular.read_table(data, columns=COLUMNS, required=REQUIRED, labels=LABELS)
    if not table.rows:
        raise tabular.TabularError("文件中没有数据行")
    return import_rows(table, skip_bad=skip_bad, source=source)
