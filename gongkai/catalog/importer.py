"""`gongkai import-catalog`: already-public items from a legacy site (INTERFACES.md "Catalog
import columns").

Each row becomes an item marked imported, published through the publishing guard
(`publishing.publish(via="import")`) with the file's 发布日期, so it is never 涉密 and never
carries a classification mark, an identity or a bank card number. A given 索引号 is kept (it must
be unique); otherwise one is generated continuing after the highest serial of that organ and
year, numbers in the same file included (rows with numbers are taken first for that reason).

All or nothing: any bad row rolls the whole file back, unless `skip_bad`, which imports the good
rows and reports the others. Every error names the physical line (header = line 1) and why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.log import record
from gongkai.catalog import actions, indexnum, names, publishing, queries, taxonomy, timeliness
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import AliasKind, CategoryKind, Item, ItemVersion, Secrecy, Validity
from gongkai.catalog.richtext import sanitize
from gongkai.lib import tabular

# Header spellings of the common Chinese CMS exports; `--map 旧列名=列` covers the rest.
COLUMNS: dict[str, list[str]] = {
    "unit": ["发布机构", "发文机关", "发文单位", "来源", "发布单位"],
    "title": ["名称", "标题", "信息名称", "文件名称"],
    "index_number": ["索引号"],
    "summary": ["内容概述", "摘要"],
    "formed_date": ["成文日期", "生成日期", "印发日期"],
    "published_date": ["发布日期", "公开日期", "发文日期"],
    "document_number": ["发文字号", "文号"],
    "category": ["目录分类", "栏目", "所属栏目"],
    "topic": ["主题分类", "分类"],
    "genre": ["体裁分类", "体裁", "文种"],
    "validity": ["有效性", "时效"],
    "body": ["正文", "内容"],
}
REQUIRED = {"unit", "title", "formed_date", "published_date"}
LABELS = {
    "unit": "发布机构（unit）",
    "title": "名称（title）",
    "formed_date": "成文日期（formed_date）",
    "published_date": "发布日期（published_date）",
}


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


@dataclass
class ImportResult:
    imported: list[Item] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    # Names that matched otherwise than by code or exact name: (kind, name) → match.
    mapped: dict[tuple[str, str], names.Match] = field(default_factory=dict)
    # Columns made by --create-columns: (organ name, column name).
    created: list[tuple[str, str]] = field(default_factory=list)
    # Header cells read through a synonym or --map: (header text, canonical column).
    headers: list[tuple[str, str]] = field(default_factory=list)
    # What each imported row became: (line, 索引号, 名称, 发布日期); kept after a dry run.
    rows: list[tuple[int, str, str, datetime.date]] = field(default_factory=list)


class ImportFailed(Exception):
    """Bad rows and no `skip_bad`: nothing was imported; `result.rejected` says why."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(f"{len(result.rejected)} 行有错误，未导入任何数据")


class _RowProblem(Exception):
    pass


class _DryRun(Exception):
    pass


class _Names:
    """Category, genre and topic names of one file: matched once, remembered, reported."""

    def __init__(self, result: ImportResult, mapping: dict[str, str], create_columns: bool):
        self.result = result
        self.mapping = mapping
        self.create_columns = create_columns
        self.cache: dict[tuple[str, str, int | None], Any] = {}

    def resolve(self, kind: str, value: str, unit) -> Any:
        organ = unit.organ() if kind == AliasKind.CATEGORY else None
        key = (kind, value, organ.pk if organ else None)
        if key in self.cache:
            return self.cache[key]
        label = names.LABELS[kind]
        if value in self.mapping:
            target = self.mapping[value]
            match = names.find(kind, target, unit=unit)
            if match is None or match.how not in ("code", "name"):
                raise _RowProblem(
                    f"映射“{value}={target}”：{label}“{target}”不存在（应填代码或名称）"
                )
            match = names.Match(match.target, "map")
        else:
            match = names.find(kind, value, unit=unit)
        if match is None and kind == AliasKind.CATEGORY and self.create_columns:
            column = taxonomy.category_create(
                actor=None, name=value, kind=CategoryKind.COLUMN, unit=organ
            )
            match = names.Match(column, "created")
            self.result.created.append((organ.name, column.name))
        if match is None:
            raise _RowProblem(names.not_found_message(kind, value, unit=unit))
        if match.how not in ("code", "name"):
            self.result.mapped[(kind, value)] = match
        self.cache[key] = match.target
        return match.target


def _date(values: dict[str, Any], name: str, label: str) -> datetime.date:
    try:
        return tabular.parse_date(values.get(name))
    except ValueError as exc:
        raise _RowProblem(f"{label}：{exc}") from exc


def _check_length(name: str, value: str) -> None:
    """The same maximum as the web form (ItemForm), so an import cannot store more."""
    field = ItemForm.base_fields[name]
    if field.max_length and len(value) > field.max_length:
        raise _RowProblem(f"{field.label}超过 {field.max_length} 字（{len(value)} 字）")


def _import_row(values: dict[str, Any], *, line: int, source: str, lookup: _Names) -> Item:
    text = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    unit = queries.find_unit(str(text.get("unit") or ""))
    if unit is None:
        raise _RowProblem(f"发布机构“{text.get('unit')}”不存在（应填单位代码或全称）")
    organ = unit.organ()
    if organ is None:
        raise _RowProblem(f"“{unit.name}”不属于任何信息公开主体（行政机关）")
    title = " ".join(str(text.get("title") or "").split())
    if not title:
        raise _RowProblem("名称为空")
    _check_length("title", title)
    formed = _date(text, "formed_date", "成文日期")
    published = _date(text, "published_date", "发布日期")
    if published < formed:
        raise _RowProblem("发布日期早于成文日期")
    if published > timezone.localdate():
        raise _RowProblem("发布日期晚于今天（导入的应是已经公开的信息）")
    summary = str(text.get("summary") or "")
    _check_length("summary", summary)
    _check_length("document_number", str(text.get("document_number") or ""))
    _check_length("body", str(text.get("body") or ""))
    validity: str | None = Validity.VALID
    if text.get("validity"):
        validity = queries.find_validity(str(text["validity"]))
        if validity is None:
            raise _RowProblem(f"有效性“{text['validity']}”无效，应为 有效、失效、废止 或 已修改")
    fields: dict[str, Any] = {}
    for kind in (AliasKind.CATEGORY, AliasKind.TOPIC, AliasKind.GENRE):
        if text.get(kind):
            fields[kind] = lookup.resolve(kind, " ".join(str(text[kind]).split()), unit)
    number = str(text.get("index_number") or "").strip()
    if number:
        if len(number) > 80:
            raise _RowProblem("索引号超过 80 个字符")
        existing = Item.objects.filter(index_number=number).first()
        if existing is not None:
            if existing.secrecy == Secrecy.SECRET:
                raise _RowProblem(f"索引号“{number}”属于一条已定为涉密的信息，不得导入公开")
            raise _RowProblem(f"索引号“{number}”已被使用")

    item = Item.objects.create(
        organ=organ,
        unit=unit,
        is_imported=True,
        validity=validity or Validity.VALID,
        index_number=number or None,
    )
    version = ItemVersion(
        item=item,
        number=1,
        title=title,
        summary=summary,
        formed_date=formed,
        document_number=actions.normalise_document_number(str(text.get("document_number") or "")),
        body=sanitize(str(text.get("body") or "")),
        **fields,
    )
    timeliness.compute_due(version)
    version.save()
    if number:
        indexnum.note_existing_number(organ, number)
    # Legacy sites give a date only: noon local time keeps it the same date in any zone.
    when = timezone.make_aware(datetime.datetime.combine(published, datetime.time(12, 0)))
    try:
        publishing.publish(version, actor=None, via=publishing.VIA_IMPORT, now=when)
    except publishing.PublishBlocked as blocked:
        raise _RowProblem("；".join(p.message for p in blocked.problems)) from blocked
    item.refresh_from_db()
    record(
        actor=None,
        actor_name="import",
        action="catalog.item_import",
        obj=item,
        unit=item.organ,
        object_repr=f"{item.index_number} {title}",
        after={
            "file": source,
            "line": line,
            "index_number": item.index_number,
            "index_number_given": bool(number),
            "published_date": published,
        },
    )
    return item


def import_rows(
    table: tabular.Table,
    *,
    skip_bad: bool = False,
    source: str = "",
    mapping: dict[str, str] | None = None,
    create_columns: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import the rows of a read table. Raises ImportFailed (nothing written) on a bad row
    unless `skip_bad`. A dry run does everything, reports it and rolls it back."""
    result = ImportResult(dry_run=dry_run, headers=list(table.renamed))
    lookup = _Names(result, mapping or {}, create_columns)
    # Rows that bring their own 索引号 first: generated serials then continue after them.
    ordered = sorted(table.rows, key=lambda r: (not r.values.get("index_number"), r.line))
    try:
        with transaction.atomic():
            for row in ordered:
                if row.error:
                    result.rejected.append(RowError(row.line, row.error))
                    continue
                try:
                    with transaction.atomic():
                        item = _import_row(row.values, line=row.line, source=source, lookup=lookup)
                    result.imported.append(item)
                    version = item.published_version
                    result.rows.append(
                        (
                            row.line,
                            item.index_number or "",
                            version.title if version else "",
                            timezone.localdate(item.first_published_at),
                        )
                    )
                except _RowProblem as problem:
                    result.rejected.append(RowError(row.line, str(problem)))
                except ValidationError as exc:
                    result.rejected.append(RowError(row.line, "；".join(exc.messages)))
            result.rejected.sort(key=lambda e: e.line)
            result.imported.sort(key=lambda i: i.pk)
            result.rows.sort()
            if result.rejected and not skip_bad:
                raise ImportFailed(result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return result
    result.committed = True
    return result


def split_mapping(mapping: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """`--map` entries that name a column (“信息标题=title”, “撰稿日期=成文日期”) extend the
    header synonyms; the others map category, genre and topic names."""
    columns = {name: list(spellings) for name, spellings in COLUMNS.items()}
    known = tabular.alias_map(COLUMNS)
    values: dict[str, str] = {}
    for old, target in mapping.items():
        canonical = known.get(tabular.normalise_header(target))
        if canonical is not None:
            # The file's own header named explicitly wins over a built-in synonym.
            key = tabular.normalise_header(old)
            for name, spellings in columns.items():
                columns[name] = [s for s in spellings if tabular.normalise_header(s) != key]
            columns[canonical].append(old)
        else:
            values[old] = target
    return columns, values


def read_mapping(data: bytes) -> dict[str, str]:
    """A mapping file: one `旧名=代码` (or `旧名,代码`) a line; blank lines and # comments
    ignored. Raises TabularError naming the line."""
    mapping: dict[str, str] = {}
    for line, raw in enumerate(tabular.decode(data).splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        old, sep, new = text.partition("=")
        if not sep:
            old, sep, new = text.partition(",")
        if not sep or not old.strip() or not new.strip():
            raise tabular.TabularError("映射应写作“旧名=代码”", line)
        mapping[" ".join(old.split())] = new.strip()
    return mapping


def import_file(
    data: bytes,
    *,
    skip_bad: bool = False,
    source: str = "",
    mapping: dict[str, str] | None = None,
    create_columns: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Read and import a whole file. Raises tabular.TabularError for an unreadable file and
    ImportFailed for bad rows without `skip_bad`; in both cases nothing is written."""
    columns, values = split_mapping(mapping or {})
    table = tabular.read_table(data, columns=columns, required=REQUIRED, labels=LABELS)
    if not table.rows:
        raise tabular.TabularError("文件中没有数据行")
    return import_rows(
        table,
        skip_bad=skip_bad,
        source=source,
        mapping=values,
        create_columns=create_columns,
        dry_run=dry_run,
    )
