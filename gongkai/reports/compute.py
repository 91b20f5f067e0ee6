"""The figures of a report computed from the records (REPORT_FORMAT.md counting rules).

- Section 二, 第二十条第（一）项, from the catalog: items of the organ of genre
  规章 or 行政规范性文件 that were published (withdrawn and 涉密 items do not
  count). 2021 format: `issued` = 成文日期 in the year; `repealed` = marked 废止
  or 失效 with its effective date in the year; `in_force` = 成文日期 on or before
  31 December and still 有效 that day (a later 废止, 失效 or 已修改 does not count
  against the year). 2019 format: `made` = 成文日期 in the year, `published` =
  first published in the year, `total_public` = published by the end of the year.
- Section 三 from the applications (gongkai.applications.queries.report_counts); the 2019
  format has one row 3.6 where 2021 has 3.6.1–3.6.3.
- Section 四 from the remedies (gongkai.applications.queries.remedy_counts).

Everything else in section 二 is entered by the office (see `entered_proactive`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.applications import queries as app_queries
from gongkai.reports import formats

# Genre codes of catalog migration 0002 for the two rows of 第二十条第（一）项.
GENRE_CODES = {"regulation": "regulation", "normative_document": "normative"}


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class CatalogFigures:
    """The computed rows of 第二十条第（一）项, and how many items could not be placed in time
    (marked 废止/失效/已修改 without a date)."""

    rows: dict[str, dict[str, int]]
    undated: int


def catalog_figures(unit: Unit, year: int, fmt: str) -> CatalogFigures:
    from gongkai.catalog.models import Genre, ItemVersion, Secrecy, Validity, VersionState

    genre_ids = dict(Genre.objects.filter(code__in=GENRE_CODES.values()).values_list("code", "pk"))
    first, last = _year_bounds(year)
    columns = [col for _r, col, _k in formats.proactive_fields(fmt, computed=True)]
    rows: dict[str, dict[str, int]] = {row: dict.fromkeys(columns, 0) for row in GENRE_CODES}
    if not genre_ids:
        return CatalogFigures(rows, 0)
    # Driven from the published versions (one per item): with the covering indexes of
    # migration 0002 neither table is read, only its indexes.
    versions = ItemVersion.objects.filter(
        state=VersionState.PUBLISHED,
        genre_id__in=list(genre_ids.values()),
        item__organ=unit,
    ).exclude(item__secrecy=Secrecy.SECRET)
    stopped = [Validity.EXPIRED, Validity.REPEALED]
    undated = ~Q(item__validity=Validity.VALID) & Q(item__validity_date__isnull=True)
    if fmt == formats.F2021:
        measures = {
            "issued": Count("pk", filter=Q(formed_date__range=(first, last))),
            "repealed": Count(
                "pk",
                filter=Q(item__validity__in=stopped, item__validity_date__range=(first, last)),
            ),
            "in_force": Count(
                "pk",
                filter=Q(formed_date__lte=last)
                & (Q(item__validity=Validity.VALID) | Q(item__validity_date__gt=last)),
            ),
        }
    else:
        end = _moment(last + datetime.timedelta(days=1))
        measures = {
            "made": Count("pk", filter=Q(formed_date__range=(first, last))),
            "published": Count(
                "pk",
                filter=Q(
                    item__first_published_at__gte=_moment(first), item__first_published_at__lt=end
                ),
            ),
            "total_public": Count("pk", filter=Q(item__first_published_at__lt=end)),
        }
    measures["undated"] = Count("pk", filter=undated & Q(formed_date__lte=last))
    by_genre = {row["genre_id"]: row for row in versions.values("genre_id").annotate(**measures)}
    total_undated = 0
    for row_key, genre_code in GENRE_CODES.items():
        found = by_genre.get(genre_ids.get(genre_code))
        if found:
            rows[row_key] = {col: found[col] for col in columns}
            total_undated += found["undated"]
    return CatalogFigures(rows, total_undated)


def entered_proactive(fmt: str, entered: dict[str, Any]) -> dict[str, dict[str, int | str]]:
    """The office-entered section 二 figures of `fmt`, zeros where nothing was entered."""
    result: dict[str, dict[str, int | str]] = {}
    for row, col, kind in formats.proactive_fields(fmt, computed=False):
        value = (entered.get(row) or {}).get(col)
        if value in (None, ""):
            value = formats.empty_value(kind)
        elif kind == formats.AMOUNT:
            value = formats.format_amount(value)
        elif kind == formats.TEXT:
            value = str(value)
        else:
            value = int(value)
        result.setdefault(row, {})[col] = value
    return result


def proactive(
    unit: Unit, year: int, fmt: str, entered: dict[str, Any]
) -> tuple[dict[str, dict[str, int | str]], int]:
    """The whole section 二 table in `fmt` order, and the count of undated validity marks."""
    figures = catalog_figures(unit, year, fmt)
    table = formats.empty_proactive(fmt)
    for row, values in figures.rows.items():
        table[row].update(values)
    for row, typed in entered_proactive(fmt, entered).items():
        table[row].update(typed)
    return table, figures.undated


def applications(unit: Unit, year: int, fmt: str) -> dict[str, dict[str, int]]:
    """The section 三 table in `fmt`: every row and column, zeros included."""
    counts = app_queries.report_counts(unit, year)
    table = formats.empty_applications(fmt)
    for row in table:
        if row == "3.6" and fmt == formats.F2019:
            for col in formats.COLUMNS:
                table[row][col] = sum(counts[code][col] for code in ("3.6.1", "3.6.2", "3.6.3"))
        else:
            table[row].update({col: counts[row][col] for col in formats.COLUMNS})
    return table


def remedies(unit: Unit, year: int) -> dict[str, dict[str, int]]:
    counts = app_queries.remedy_counts(unit, year)
    table = formats.empty_remedies()
    for kind in formats.REMEDY_KINDS:
        table[kind].update({res: counts[kind][res] for res in formats.REMEDY_RESULTS})
    return table


def fees(unit: Unit, year: int) -> tuple[Decimal, int]:
    """Information-processing fees paid to `unit` in `year` (元) and how many applications."""
    from gongkai.applications.models import Fee

    amount = Decimal(app_queries.fees_collected(unit, year) or 0)
    count = Fee.objects.filter(application__organ=unit, paid_date__year=year).count()
    return amount, count


def late_items(unit: Unit, year: int) -> dict[str, int]:
    from gongkai.catalog import queries as catalog_queries

    return catalog_queries.late_publications(unit, year)


def amended(unit: Unit, year: int) -> dict[str, int]:
    """规章 and 行政规范性文件 of `unit` marked 已修改 with the date in `year`: they leave 现行有效
    without counting as 废止 (the continuity check says so)."""
    from gongkai.catalog.models import Genre, ItemVersion, Secrecy, Validity, VersionState

    genre_ids = dict(Genre.objects.filter(code__in=GENRE_CODES.values()).values_list("code", "pk"))
    first, last = _year_bounds(year)
    result = dict.fromkeys(GENRE_CODES, 0)
    for row, code in GENRE_CODES.items():
        if code not in genre_ids:
            continue
        result[row] = (
            ItemVersion.objects.filter(
                state=VersionState.PUBLISHED,
                genre_id=genre_ids[code],
                item__organ=unit,
                item__validity=Validity.AMENDED,
                item__validity_date__range=(first, last),
            )
            .exclude(item__secrecy=Secrecy.SECRET)
            .count()
        )
    return result


@dataclass
class FeeFigures:
    """Fee notices issued in the year and what became of them, and the amount paid in the year
    (what section 六 states)."""

    notices: int
    paid: int
    unpaid_closed: int
    pending: int
    amount_paid: Decimal


def fee_figures(unit: Unit, year: int) -> FeeFigures:
    from gongkai.applications.models import Fee

    issued = Fee.objects.filter(application__organ=unit, notice_date__year=year)
    amount, _count = fees(unit, year)
    return FeeFigures(
        notices=issued.count(),
        paid=issued.filter(paid_date__isnull=False).count(),
        unpaid_closed=issued.filter(paid_date__isnull=True, expired=True).count(),
        pending=issued.filter(paid_date__isnull=True, expired=False).count(),
        amount_paid=amount,
    )
