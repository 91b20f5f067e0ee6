"""CSV export of audit rows: UTF-8 with a BOM (Excel and WPS then read Chinese correctly),
streamed in chunks, with cells that a spreadsheet would run as a formula defused."""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext

from gongkai.audit import queries
from gongkai.audit.models import AuditEntry

BOM = "\ufeff"
CHUNK = 2000
# A cell starting with one of these is a formula to Excel/WPS (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _json(value: object) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def header() -> list[str]:
    return [
        gettext("时间"),
        gettext("操作人"),
        gettext("操作"),
        gettext("操作代码"),
        gettext("对象类型"),
        gettext("对象编号"),
        gettext("对象"),
        gettext("单位"),
        gettext("来源地址"),
        gettext("变更的字段"),
        gettext("变更前"),
        gettext("变更后"),
        gettext("说明"),
    ]


def row_of(view: queries.EntryView) -> list[str]:
    e = view.entry
    values = [
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        e.actor_name,
        view.action_label,
        e.action,
        view.object_type_label,
        e.object_id,
        e.object_repr,
        view.unit_name,
        e.ip or "",
        "、".join(view.changed_keys),
        _json(view.before),
        _json(view.after),
        view.note,
    ]
    return [safe_cell(v) for v in values]


def csv_rows(entries: Iterable[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header())
    names = queries.unit_names()
    iterator = entries.iterator(chunk_size=CHUNK) if hasattr(entries, "iterator") else entries
    buffer: list[str] = []
    for entry in iterator:
        buffer.append(writer.writerow(row_of(queries.present_one(entry, names))))
        if len(buffer) >= 200:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def export_filename(now: datetime.datetime) -> str:
    return quote(f"审计日志-{now:%Y%m%d-%H%M}.csv")
