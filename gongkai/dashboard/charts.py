"""The dashboard's charts: for each, an ECharts option (built here, rendered by
static/js/dashboard.js), the same figures as a table (for screen readers and for checking) and
as CSV. A chart without data carries a message instead of an option."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications.codes import Decision
from gongkai.dashboard import queries
from gongkai.dashboard.scope import Scope
from gongkai.dashboard.spans import mean, median
from gongkai.workdays.calendar import WorkCalendar

BOM = "\ufeff"
REPLY_LIMIT = 20  # 条例33: reply within 20 working days
# Colours that stay apart for colour-blind readers (Okabe–Ito); dashboard.js swaps in a
# black-and-blue palette with patterns when the high-contrast mode is on.
PALETTE = ["#0072B2", "#56B4E9", "#D55E00", "#E69F00", "#CC79A7", "#7F7F7F", "#009E73"]
# Working-day bands of the reply-time histogram: (lowest, highest or None for "and above").
BANDS: list[tuple[int, int | None]] = [
    (0, 5),
    (6, 10),
    (11, 15),
    (16, 20),
    (21, 30),
    (31, 40),
    (41, None),
]
CHART_KEYS = ("decisions", "on-time", "reply-days", "publications", "late", "mailbox")


def _group_label(group: str) -> str:
    labels = {
        "3.1": Decision.DISCLOSED.label,
        "3.2": Decision.PARTLY.label,
        "3.3": _("不予公开"),
        "3.4": _("无法提供"),
        "3.5": _("不予处理"),
        "3.6": _("其他处理"),
    }
    return str(labels[group])


def month_label(month: int) -> str:
    return _("%(month)s月") % {"month": month}


def _number(value: float | None, digits: int = 1) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass
class Chart:
    key: str
    title: str
    intro: str
    headers: list[str]
    rows: list[list[Any]]  # the first cell labels the row
    total: list[Any] | None = None
    option: dict[str, Any] | None = None  # None: nothing to draw, show `empty_message`
    empty_message: str = ""
    summary: str = ""  # one sentence of the main figures, read out with the chart
    headline: tuple[str, str] = ("", "—")  # (label, value) of the key figure card
    notes: list[str] = field(default_factory=list)
    percent_columns: frozenset[int] = frozenset()
    value_suffix: str = ""

    @property
    def is_empty(self) -> bool:
        return self.option is None

    @property
    def has_data(self) -> bool:
        """Is any figure of the table other than zero (else the table is not worth showing)?"""
        return any(isinstance(v, int | float) and v for row in self.rows for v in row[1:])

    def display_rows(self) -> list[list[str]]:
        """Rows as the HTML table shows them (blank for no value, % where it is a share)."""
        shown = []
        for row in [*self.rows, *([self.total] if self.total else [])]:
            cells = []
            for i, value in enumerate(row):
                if value is None:
                    cells.append("—")
                elif i in self.percent_columns:
                    cells.append(f"{value}%")
                else:
                    cells.append(str(value))
            shown.append(cells)
        return shown

    def csv_text(self) -> str:
        """The table as CSV in UTF-8 with a BOM (Excel and WPS then read Chinese)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        headers = [
            f"{h}（%）" if i in self.percent_columns else h for i, h in enumerate(self.headers)
        ]
        writer.writerow(headers)
        for row in [*self.rows, *([self.total] if self.total else [])]:
            writer.writerow(["" if v is None else v for v in row])
        return BOM + buffer.getvalue()


def _axis_option(
    categories: list[str], series: list[dict[str, Any]], y_name: str, **extra: Any
) -> dict[str, Any]:
    option: dict[str, Any] = {
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "top": 48, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "axisTick": {"alignWithLabel": True}},
        "yAxis": {"type": "value", "name": y_name, "minInterval": 1},
        "series": series,
    }
    option.update(extra)
    return option


def _bar(name: str, data: list[Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "bar", "data": data, "barMaxWidth": 36, **extra}


# ------------------------------------------------------------------ applications


def decisions_chart(
    scope: Scope, year: int, data: dict[int, dict[str, int]] | None = None
) -> Chart:
    if data is None:
        data = queries.decisions_by_month(scope, year)
    groups = list(queries.DECISION_GROUPS)
    labels = [_group_label(g) for g in groups]
    rows = [[month_label(m), *(data[m][g] for g in groups), sum(data[m].values())] for m in data]
    totals = [sum(data[m][g] for m in data) for g in groups]
    grand = sum(totals)
    chart = Chart(
        key="decisions",
        title=_("每月办结的依申请公开申请（按办理结果）"),
        intro=_("按办结日期所在月份统计；办理结果按年度报告第三部分的（一）至（六）项归类。"),
        headers=[_("月份"), *labels, _("合计")],
        rows=rows,
        total=[_("全年"), *totals, grand],
        headline=(_("办结申请"), _("%(n)s 件") % {"n": grand}),
    )
    if not grand:
        chart.empty_message = _("本年度暂无数据")
        return chart
    series = [
        _bar(label, [data[m][g] for m in data], stack="total", emphasis={"focus": "series"})
        for g, label in zip(groups, labels, strict=True)
    ]
    chart.option = _axis_option([month_label(m) for m in data], series, _("件"))
    parts = "，".join(f"{label} {n} 件" for label, n in zip(labels, totals, strict=True) if n)
    chart.summary = _("全年办结 %(n)s 件：%(parts)s。") % {"n": grand, "parts": parts}
    return chart


def on_time_chart(scope: Scope, year: int, data: dict[int, queries.OnTime] | None = None) -> Chart:
    if data is None:
        data = queries.on_time_by_month(scope, year)
    rows = [
        [month_label(m), d.replied, d.on_time, d.late, d.unknown, _number(d.rate)]
        for m, d in data.items()
    ]
    year_total = queries.OnTime(
        on_time=sum(d.on_time for d in data.values()),
        late=sum(d.late for d in data.values()),
        unknown=sum(d.unknown for d in data.values()),
        provisional=sum(d.provisional for d in data.values()),
    )
    chart = Chart(
        key="on-time",
        title=_("每月按期答复率"),
        intro=_(
            "答复日期不晚于答复期限的申请占当月答复申请的比例。答复期限已计入依法延期和"
            "不计入期限的征求意见、缴费时间；未作答复即终止的申请（逾期不补正、逾期不缴费、"
            "撤回）不计入。"
        ),
        headers=[_("月份"), _("答复件数"), _("按期"), _("逾期"), _("期限未知"), _("按期率")],
        rows=rows,
        total=[
            _("全年"),
            year_total.replied,
            year_total.on_time,
            year_total.late,
            year_total.unknown,
            _number(year_total.rate),
        ],
        percent_columns=frozenset({5}),
        value_suffix="%",
        headline=(
            _("按期答复率"),
            (f"{_number(year_total.rate)}%" if year_total.rate is not None else "—")
            + (_("（暂定）") if year_total.provisional and year_total.rate is not None else ""),
        ),
    )
    if year_total.unknown:
        chart.notes.append(
            _("%(n)s 件没有记录答复期限，不计入按期率。") % {"n": year_total.unknown}
        )
    if year_total.provisional:
        chart.notes.append(
            _(
                "暂定：%(n)s 件按暂定的答复期限计入（所在年份的节假日安排尚未导入，"
                "按法定节假日推算）；导入后自动更正。"
            )
            % {"n": year_total.provisional}
        )
    if year_total.rate is None:
        chart.empty_message = _("本年度暂无数据")
        return chart
    series = [
        {
            "name": _("按期率"),
            "type": "line",
            "data": [_number(d.rate) for d in data.values()],
            "connectNulls": False,
            "symbolSize": 8,
            "label": {"show": True, "formatter": "{c}%", "fontSize": 11},
        }
    ]
    chart.option = _axis_option(
        [month_label(m) for m in data],
        series,
        "",
        yAxis={"type": "value", "min": 0, "max": 100},
    )
    chart.option["tooltip"] = {"trigger": "axis"}
    chart.option["legend"] = {"show": False}
    chart.option["grid"]["top"] = 32
    chart.summary = _("全年按期答复率 %(rate)s%%（%(on_time)s / %(judged)s 件）。") % {
        "rate": _number(year_total.rate),
        "on_time": year_total.on_time,
        "judged": year_total.on_time + year_total.late,
    }
    return chart


def _band_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"≥{low}"


def _band_counts(counts: Counter[int]) -> list[int]:
    result = []
    for low, high in BANDS:
        result.append(sum(n for d, n in counts.items() if d >= low and (high is None or d <= high)))
    return result


def _missing_note(durations: queries.Durations) -> list[str]:
    if not durations.provisional:
        return []
    years = "、".join(str(y) for y in sorted(durations.provisional_years))
    return [
        _(
            "暂定：%(n)s 件的工作日数经过 %(years)s 年，该年节假日安排尚未导入，"
            "按法定节假日推算；导入后自动更正。"
        )
        % {"n": durations.provisional, "years": years}
    ]


def reply_days_chart(scope: Scope, year: int, calendar: WorkCalendar) -> Chart:
    durations = queries.reply_workdays(scope, year, calendar)
    counts = durations.all
    bands = _band_counts(counts)
    total = sum(bands)
    labels = [_band_label(low, high) for low, high in BANDS]
    rows = [
        [label, n, _number(100 * n / total) if total else None]
        for label, n in zip(labels, bands, strict=True)
    ]
    chart = Chart(
        key="reply-days",
        title=_("答复用时分布（工作日）"),
        intro=_(
            "从收到申请之日到答复之日的工作日数（收到当日不计，节假日和调休按工作日历计算）。"
            "法定答复期限为 20 个工作日，依法延期、征求意见和缴费时间可使用时超过 20 个工作日。"
        ),
        headers=[_("工作日数"), _("件数"), _("占比")],
        rows=rows,
        total=[_("合计"), total, 100 if total else None],
        percent_columns=frozenset({2}),
        notes=_missing_note(durations),
        headline=(_("答复用时中位数"), "—"),
    )
    if not total:
        chart.empty_message = _("本年度暂无数据")
        return chart
    within = [
        n if high is not None and high <= REPLY_LIMIT else 0
        for n, (_low, high) in zip(bands, BANDS, strict=True)
    ]
    beyond = [n - w for n, w in zip(bands, within, strict=True)]
    series = [
        _bar(_("20 个工作日以内"), within, stack="days"),
        _bar(_("超过 20 个工作日"), beyond, stack="days"),
    ]
    option = _axis_option(labels, series, _("件"))
    option["color"] = [PALETTE[0], PALETTE[2]]
    option["xAxis"]["axisLabel"] = {"interval": 0}  # seven bands: every one is labelled
    option["xAxis"]["name"] = _("工作日")
    option["xAxis"]["nameLocation"] = "middle"
    option["xAxis"]["nameGap"] = 28
    option["grid"]["bottom"] = 28
    chart.option = option
    chart.headline = (
        _("答复用时中位数"),
        _("%(n)s 个工作日") % {"n": _number(median(counts))},
    )
    chart.summary = _(
        "共 %(n)s 件；中位数 %(median)s 个工作日，平均 %(mean)s 个工作日，最长 %(max)s 个工作日。"
    ) % {
        "n": total,
        "median": _number(median(counts)),
        "mean": _number(mean(counts)),
        "max": max(counts),
    }
    return chart


# ------------------------------------------------------------------ proactive disclosure


def publication_charts(scope: Scope, year: int) -> tuple[Chart, Chart]:
    data = queries.publications_by_month(scope, year)
    months = [month_label(m) for m in data]
    published_total = sum(d.published for d in data.values())
    late_total = sum(d.late for d in data.values())
    unknown_total = sum(d.unknown for d in data.values())
    year_share = queries.Publications(published_total, late_total, unknown_total).late_share

    published = Chart(
        key="publications",
        title=_("每月主动公开信息数"),
        intro=_("按发布日期所在月份统计已发布的信息；修订后重新发布的版本另计一条。"),
        headers=[_("月份"), _("发布条数")],
        rows=[[month_label(m), d.published] for m, d in data.items()],
        total=[_("全年"), published_total],
        headline=(_("主动公开"), _("%(n)s 条") % {"n": published_total}),
    )
    late = Chart(
        key="late",
        title=_("每月逾期发布的信息"),
        intro=_(
            "发布日期晚于应公开日期（成文或变更之日起 20 个工作日，法律另有规定的从其规定）"
            "的信息，按发布月份统计。"
        ),
        headers=[_("月份"), _("发布条数"), _("逾期发布"), _("期限未知"), _("逾期占比")],
        rows=[
            [month_label(m), d.published, d.late, d.unknown, _number(d.late_share)]
            for m, d in data.items()
        ],
        total=[_("全年"), published_total, late_total, unknown_total, _number(year_share)],
        percent_columns=frozenset({4}),
        headline=(_("逾期发布"), _("%(n)s 条") % {"n": late_total} if published_total else "—"),
    )
    if unknown_total:
        late.notes.append(
            _("%(n)s 条信息没有记录应公开日期，不计入逾期统计。") % {"n": unknown_total}
        )
    provisional_total = sum(d.provisional for d in data.values())
    if provisional_total:
        late.notes.append(
            _(
                "暂定：%(n)s 条信息的应公开日期所在年份的节假日安排尚未导入，按法定节假日推算；"
                "导入后自动更正。"
            )
            % {"n": provisional_total}
        )
    if not published_total:
        published.empty_message = late.empty_message = _("本年度暂无数据")
        return published, late
    published.option = _axis_option(
        months, [_bar(_("发布条数"), [d.published for d in data.values()])], _("条")
    )
    published.option["legend"] = {"show": False}
    published.option["grid"]["top"] = 32
    published.summary = _("全年发布 %(n)s 条。") % {"n": published_total}
    if not late_total:
        late.empty_message = _("本年度发布的信息均未逾期（共 %(n)s 条）。") % {
            "n": published_total - unknown_total
        }
        return published, late
    late.option = _axis_option(
        months, [_bar(_("逾期发布"), [d.late for d in data.values()])], _("条")
    )
    late.option["color"] = [PALETTE[2]]
    late.option["legend"] = {"show": False}
    late.option["grid"]["top"] = 32
    late.summary = _("全年逾期发布 %(late)s 条，占 %(share)s%%。") % {
        "late": late_total,
        "share": _number(year_share),
    }
    return published, late


# ------------------------------------------------------------------ the mailbox


def mailbox_chart(scope: Scope, year: int, calendar: WorkCalendar) -> Chart | None:
    durations = queries.letter_workdays(scope, year, calendar)
    if durations is None:
        return None
    rows: list[list[Any]] = []
    for m, counts in durations.by_month.items():
        rows.append(
            [
                month_label(m),
                sum(counts.values()),
                _number(median(counts)),
                _number(mean(counts)),
                max(counts) if counts else None,
            ]
        )
    counts = durations.all
    answered = sum(counts.values())
    chart = Chart(
        key="mailbox",
        title=_("信箱来信答复用时（工作日中位数）"),
        intro=_(
            "领导信箱来信从来信之日到答复之日的工作日数（来信当日不计），按答复月份统计中位数。"
        ),
        headers=[_("月份"), _("答复件数"), _("中位数"), _("平均"), _("最长")],
        rows=rows,
        total=[
            _("全年"),
            answered,
            _number(median(counts)),
            _number(mean(counts)),
            max(counts) if counts else None,
        ],
        notes=_missing_note(durations),
        headline=(
            _("信箱答复用时中位数"),
            _("%(n)s 个工作日") % {"n": _number(median(counts))} if answered else "—",
        ),
    )
    if not answered:
        chart.empty_message = _("本年度暂无数据")
        return chart
    series = [_bar(_("中位数（工作日）"), [row[2] for row in rows])]
    chart.option = _axis_option([row[0] for row in rows], series, _("工作日"))
    chart.option["color"] = [PALETTE[6]]
    chart.option["legend"] = {"show": False}
    chart.option["grid"]["top"] = 32
    chart.option["yAxis"]["minInterval"] = 0
    chart.summary = _("全年答复来信 %(n)s 件，用时中位数 %(median)s 个工作日。") % {
        "n": answered,
        "median": _number(median(counts)),
    }
    return chart


def ratings_chart(scope: Scope, year: int) -> Chart:
    """满意度: how citizens rated the replies to applications and mailbox letters."""
    from gongkai.core.ratings import Rating

    data = queries.ratings_by_month(scope, year)
    kinds = list(Rating)
    rows = [
        [month_label(m), *(data[m][r.value] for r in kinds), sum(data[m].values())] for m in data
    ]
    totals = [sum(data[m][r.value] for m in data) for r in kinds]
    grand = sum(totals)
    satisfied = totals[0] + totals[1]
    share = round(100 * satisfied / grand, 1) if grand else None
    chart = Chart(
        key="ratings",
        title=_("申请人和来信人对答复的评价"),
        intro=_(
            "依申请公开答复和领导信箱答复作出后，申请人或来信人在查询页面作出的评价，按评价月份统计。"
        ),
        headers=[_("月份"), *(str(r.label) for r in kinds), _("合计")],
        rows=rows,
        total=[_("全年"), *totals, grand],
        headline=(_("满意和基本满意"), f"{share}%" if share is not None else "—"),
    )
    if not grand:
        chart.empty_message = _("本年度暂无评价")
        return chart
    series = [_bar(str(r.label), [data[m][r.value] for m in data], stack="total") for r in kinds]
    chart.option = _axis_option([month_label(m) for m in data], series, _("件"))
    chart.summary = _("全年收到评价 %(n)s 件，满意和基本满意 %(share)s%%。") % {
        "n": grand,
        "share": share,
    }
    return chart


# ------------------------------------------------------------------ the page


@dataclass
class Dashboard:
    scope: Scope
    year: int
    charts: list[Chart]

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def build(scope: Scope, year: int) -> Dashboard:
    """Every chart of `scope` for `year` (about a dozen queries, whatever the number of rows)."""
    calendar = WorkCalendar()
    months = queries.application_months(scope, year)
    published, late = publication_charts(scope, year)
    charts = [
        decisions_chart(scope, year, months.decisions),
        on_time_chart(scope, year, months.on_time),
        reply_days_chart(scope, year, calendar),
        published,
        late,
    ]
    mailbox = mailbox_chart(scope, year, calendar)
    if mailbox is not None:
        charts.append(mailbox)
    charts.append(ratings_chart(scope, year))
    return Dashboard(scope=scope, year=year, charts=charts)


def build_one(scope: Scope, year: int, key: str) -> Chart | None:
    """One chart by key (for its CSV), or None for an unknown key."""
    calendar = WorkCalendar()
    if key == "decisions":
        return decisions_chart(scope, year)
    if key == "on-time":
        return on_time_chart(scope, year)
    if key == "reply-days":
        return reply_days_chart(scope, year, calendar)
    if key in ("publications", "late"):
        published, late = publication_charts(scope, year)
        return published if key == "publications" else late
    if key == "mailbox":
        return mailbox_chart(scope, year, calendar)
    if key == "ratings":
        return ratings_chart(scope, year)
    return None
