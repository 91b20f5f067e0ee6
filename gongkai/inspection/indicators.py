"""The indicators and how each is computed for one unit on one day.

Each indicator returns an `Outcome`: pass / warning (close to the threshold) / fail, its value
and threshold in words, the items or columns concerned with a link to fix them, and a note.
Vetoes (单项否决) fail the whole site. The texts follow 国办秘函〔2019〕19号; the parts of a veto
that only a person can judge (反动、暴力、色情 content, an unhandled attack, a public-opinion
incident) are named in the rule but not computed.

Reads of other apps go through their models and query modules only. Everything is computed "as of"
`Context.today`, so the job can also ask what tomorrow will bring (notifications) and tests move
the clock with time-machine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.catalog.models import Finding, Item, ItemVersion, Validity
from gongkai.inspection import wording
from gongkai.inspection.models import (
    ColumnKind,
    ColumnType,
    CrawlRun,
    LinkCheck,
    LinkKind,
    ProbeReport,
    Status,
)
from gongkai.inspection.rules import Thresholds

MAX_ITEMS = 20  # items listed per indicator; the value gives the full count
PERSONAL_KINDS = ("id_card", "bank_card", "mobile", "email")
INTERPRETED_GENRES = ("normative", "regulation")
NORMATIVE_GENRES = ("normative",)


@dataclass
class Outcome:
    status: str
    value: str = ""
    threshold: str = ""
    note: str = ""
    items: list[dict[str, str]] = field(default_factory=list)


@dataclass
class RunData:
    """What is computed once per run for all units (the wording scan reads every public text)."""

    wording_hits: dict[int, list[wording.Hit]] | None = None


@dataclass
class Context:
    unit: Unit
    today: datetime.date
    t: Thresholds
    run: RunData = field(default_factory=RunData)

    def start_of(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def days_since(self, moment: datetime.datetime | None) -> int | None:
        if moment is None:
            return None
        return (self.today - timezone.localdate(moment)).days

    def public_items(self):
        # Items published up to the end of the inspected day (a frozen "today" in the past must
        # not see later publications).
        end = self.start_of(self.today + datetime.timedelta(days=1))
        return Item.objects.published().filter(organ=self.unit, first_published_at__lt=end)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    veto: bool
    rule: str
    compute: Callable[[Context], Outcome]


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _item_row(pk: int, title: str, extra: str = "") -> dict[str, str]:
    label = f"{title}（{extra}）" if extra else title
    return {"label": label, "url": _url("catalog:item_detail", pk)}


def _worst(*statuses: str) -> str:
    order = [Status.PASS, Status.UNMONITORED, Status.WARNING, Status.FAIL]
    return max(statuses, key=order.index) if statuses else Status.PASS


# --------------------------------------------------------------------------- vetoes


def security(ctx: Context) -> Outcome:
    items: list[dict[str, str]] = []
    marks = (
        Finding.objects.filter(
            kind="classification_mark",
            version__item__in=ctx.public_items(),
            version__item__published_version=F("version"),
        )
        .values_list("version__item_id", "version__title", "text")
        .distinct()[:MAX_ITEMS]
    )
    mark_count = 0
    for pk, title, text in marks:
        mark_count += 1
        items.append(_item_row(pk, title, f"密级标志“{text}”"))
    serious = [h for h in _wording_hits(ctx) if h.kind == wording.SERIOUS]
    for hit in serious[:MAX_ITEMS]:
        items.append(_item_row(hit.item_id, hit.title, hit.message))
    # 伪造发稿日期: an item written in this system whose 发布日期 lies before it existed.
    forged_qs = ctx.public_items().filter(
        is_imported=False, first_published_at__lt=F("created_at") - datetime.timedelta(days=1)
    )
    forged = list(forged_qs.values_list("pk", "published_version__title")[:MAX_ITEMS])
    for pk, title in forged:
        items.append(_item_row(pk, title, "发布日期早于录入日期"))
    problems = mark_count + len(serious) + len(forged)
    return Outcome(
        status=Status.FAIL if problems else Status.PASS,
        value=f"密级标志 {mark_count}，严重表述错误 {len(serious)}，发布日期异常 {len(forged)}",
        threshold="出现任意一种即否决",
        items=items,
    )


def availability(ctx: Context) -> Outcome:
    t = ctx.t
    since = ctx.start_of(ctx.today - datetime.timedelta(days=t.probe_days - 1))
    until = ctx.start_of(ctx.today + datetime.timedelta(days=1))
    reports = ProbeReport.objects.filter(unit=ctx.unit, visited_at__gte=since, visited_at__lt=until)
    total = reports.count()
    threshold = (
        f"监测{t.probe_days}天、每天≥{t.probe_visits_per_day}次，"
        f"超过{t.probe_timeout_seconds}秒打不开的占比≥{t.probe_fail_percent:g}%否决"
    )
    if total == 0:
        return Outcome(
            status=Status.UNMONITORED,
            value="尚无监测报告",
            threshold=threshold,
            note="可用性须由其他主机上的探针报告（gongkai probe）",
        )
    failed = reports.filter(Q(ok=False) | Q(seconds__gte=t.probe_timeout_seconds)).count()
    per_day: dict[datetime.date, int] = {}
    for moment in reports.values_list("visited_at", flat=True):
        day = timezone.localdate(moment)
        per_day[day] = per_day.get(day, 0) + 1
    full_days = sum(1 for n in per_day.values() if n >= t.probe_visits_per_day)
    percent = 100.0 * failed / total
    if percent >= t.probe_fail_percent:
        status = Status.FAIL
    elif percent >= t.probe_warn_percent:
        status = Status.WARNING
    else:
        status = Status.PASS
    note = ""
    if full_days < t.probe_days:
        note = f"监测不足：{full_days}/{t.probe_days} 天达到每天{t.probe_visits_per_day}次"
    failures = reports.filter(Q(ok=False) | Q(seconds__gte=t.probe_timeout_seconds))
    items = [
        {
            "label": f"{timezone.localtime(r.visited_at):%m-%d %H:%M} "
            f"{r.error or f'{r.seconds:.1f}秒'}",
            "url": "",
        }
        for r in failures.order_by("-visited_at")[:10]
    ]
    return Outcome(
        status=status,
        value=f"{failed}/{total} 次打不开（{percent:.1f}%）",
        threshold=threshold,
        note=note,
        items=items,
    )


def home_update(ctx: Context) -> Outcome:
    t = ctx.t
    newest = ctx.public_items().aggregate(m=Max("first_published_at"))["m"]
    days = ctx.days_since(newest)
    threshold = f"{t.home_stale_days}天无更新否决（{t.home_warn_days}天预警）"
    if days is None:
        return Outcome(Status.FAIL, "首页没有任何信息", threshold)
    status = (
        Status.FAIL
        if days >= t.home_stale_days
        else Status.WARNING
        if days >= t.home_warn_days
        else Status.PASS
    )
    return Outcome(
        status,
        f"最近更新 {timezone.localdate(newest):%Y-%m-%d}（{days}天前）",
        threshold,
        items=[{"label": "新建信息", "url": _url("catalog:item_create")}]
        if status != "pass"
        else [],
    )


def _column_ages(ctx: Context) -> list[tuple[ColumnType, int | None]]:
    """Every typed column the unit shows, with the days since its newest item (None: empty)."""
    types = list(
        ColumnType.objects.select_related("category")
        .filter(category__is_active=True)
        .filter(Q(category__unit__isnull=True) | Q(category__unit=ctx.unit))
    )
    if not types:
        return []
    newest = dict(
        ctx.public_items()
        .filter(published_version__category_id__in=[c.category_id for c in types])
        .order_by()
        .values("published_version__category_id")
        .annotate(m=Max("first_published_at"))
        .values_list("published_version__category_id", "m")
    )
    return [(c, ctx.days_since(newest.get(c.category_id))) for c in types]


def _limits(t: Thresholds, kind: str) -> tuple[int, int] | None:
    return {
        ColumnKind.NEWS: (t.news_stale_days, t.news_warn_days),
        ColumnKind.NOTICE: (t.notice_stale_days, t.notice_warn_days),
        ColumnKind.POLICY: (t.notice_stale_days, t.notice_warn_days),
        ColumnKind.UPDATABLE: (t.updatable_stale_days, t.updatable_warn_days),
    }.get(kind)


def column_update(ctx: Context) -> Outcome:
    t = ctx.t
    stale_key = soon_key = stale_all = soon_all = empty = 0
    items = []
    for column, days in _column_ages(ctx):
        url = _url("catalog:category_edit", column.category_id)
        limits = _limits(t, column.kind)
        if days is None:
            empty += 1
            items.append({"label": f"{column.category.name}：空白栏目", "url": url})
        if limits is None:
            continue
        stale_days, warn_days = limits
        key = column.kind in (ColumnKind.NEWS, ColumnKind.NOTICE, ColumnKind.POLICY)
        if days is None or days >= stale_days:
            stale_all += 1
            stale_key += key
            if days is not None:
                items.append({"label": f"{column.category.name}：{days}天未更新", "url": url})
        elif days >= warn_days:
            soon_all += 1
            soon_key += key
            items.append(
                {
                    "label": f"{column.category.name}：{days}天未更新（{stale_days}天到期）",
                    "url": url,
                }
            )
    failing = (
        stale_key >= t.stale_columns_veto
        or stale_all >= t.should_update_veto
        or empty >= t.empty_columns_veto
    )
    if failing:
        status = Status.FAIL
    elif stale_all or soon_all or empty:
        status = Status.WARNING
    else:
        status = Status.PASS
    return Outcome(
        status,
        f"动态/通知公告/政策文件未更新 {stale_key}，应更新未更新 {stale_all}，空白 {empty}",
        f"分别≥{t.stale_columns_veto}、≥{t.should_update_veto}、≥{t.empty_columns_veto}个否决",
        items=items[: MAX_ITEMS * 2],
    )


def interaction(ctx: Context) -> Outcome:
    from gongkai.interaction.models import OPEN_STATUSES, Letter, MailboxSettings

    t = ctx.t
    settings_row = MailboxSettings.for_unit(ctx.unit)
    threshold = f"无咨询建言渠道，或1年内有效留言超过{t.letter_unanswered_days}天未回应即否决"
    fix = _url("interaction:mailbox_settings")
    if not settings_row.is_open:
        return Outcome(
            Status.FAIL,
            f"{settings_row.title}已关闭",
            threshold,
            items=[{"label": "开放信箱", "url": fix}],
        )
    window = ctx.start_of(ctx.today - datetime.timedelta(days=t.letter_window_days))
    end = ctx.start_of(ctx.today + datetime.timedelta(days=1))
    letters = (
        Letter.objects.not_spam()
        .filter(unit=ctx.unit, received_at__gte=window, received_at__lt=end)
        .filter(Q(status__in=OPEN_STATUSES) | Q(answered_at__gte=end))
    )
    old = letters.filter(
        received_at__lt=ctx.start_of(ctx.today - datetime.timedelta(days=t.letter_unanswered_days))
    )
    aging = letters.filter(
        received_at__lt=ctx.start_of(ctx.today - datetime.timedelta(days=t.letter_warn_days - 1))
    )
    n_old, n_aging = old.count(), aging.count()
    rows = [
        {
            "label": f"{letter.number} {letter.subject}"
            f"（{(ctx.today - timezone.localdate(letter.received_at)).days}天未答复）",
            "url": _url("interaction:staff_letter", letter.pk),
        }
        for letter in aging.order_by("received_at")[:MAX_ITEMS]
    ]
    status = Status.FAIL if n_old else Status.WARNING if n_aging else Status.PASS
    return Outcome(
        status,
        f"超期未答复 {n_old}，{t.letter_warn_days}天以上未答复 {n_aging}",
        threshold,
        items=rows,
    )


def services(ctx: Context) -> Outcome:
    """The online service gongkai offers is 依申请公开: its form must work and the 指南 must give
    where and how to apply (the 办事指南's key elements for this service)."""
    apply_url = _url("applications_public:apply", ctx.unit.code)
    # Where, when and how to apply: the key elements of this service's guide.
    missing = [label for label, value in _guide_contacts(ctx.unit)[:3] if not value]
    broken = LinkCheck.objects.filter(unit=ctx.unit, kind=LinkKind.FORM, ok=False)
    items = (
        [
            {
                "label": f"指南缺少：{'、'.join(missing)}",
                "url": _url("accounts:unit_edit", ctx.unit.pk),
            }
        ]
        if missing
        else []
    )
    items += [{"label": f"表单打不开：{b.url}", "url": b.url} for b in broken[:MAX_ITEMS]]
    failing = not apply_url or bool(missing) or any(apply_url in b.url for b in broken)
    return Outcome(
        Status.FAIL if failing else Status.PASS,
        "在线申请可用" if not failing else "在线申请或办事指南要素不全",
        "未提供办事服务或办事指南缺少重点要素即否决",
        items=items,
    )


# --------------------------------------------------------------------------- scored


def _crawl_outcome(ctx: Context, kind: str) -> tuple[CrawlRun | None, Any]:
    run = CrawlRun.objects.filter(unit=ctx.unit).first()
    return run, LinkCheck.objects.filter(unit=ctx.unit, kind=kind, ok=False)


def links(ctx: Context) -> Outcome:
    t = ctx.t
    run = CrawlRun.objects.filter(unit=ctx.unit).first()
    broken = LinkCheck.objects.filter(
        unit=ctx.unit, kind__in=[LinkKind.PAGE, LinkKind.EXTERNAL], ok=False
    )
    threshold = (
        f"首页不可用链接≥{t.home_broken_links_fail}个或其他页面≥{t.other_broken_links_fail}个不合格"
    )
    if run is None:
        return Outcome(Status.UNMONITORED, "尚未检查链接", threshold)
    home = broken.filter(on_home=True).count()
    other = broken.filter(on_home=False).count()
    status = (
        Status.FAIL
        if home >= t.home_broken_links_fail or other >= t.other_broken_links_fail
        else Status.WARNING
        if home or other
        else Status.PASS
    )
    items = [
        {"label": f"{b.url}（{b.status_code or b.error}，位于 {b.found_on}）", "url": b.found_on}
        for b in broken.order_by("-on_home", "url")[:MAX_ITEMS]
    ]
    return Outcome(
        status,
        f"首页 {home}，其他页面 {other}（共检查 {run.links} 个链接）",
        threshold,
        note=f"检查于 {timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}",
        items=items,
    )


def attachments(ctx: Context) -> Outcome:
    t = ctx.t
    run, broken = _crawl_outcome(ctx, LinkKind.ATTACHMENT)
    threshold = f"无法下载的附件≥{t.broken_attachments_fail}个不合格"
    if run is None:
        return Outcome(Status.UNMONITORED, "尚未检查附件", threshold)
    n = broken.count()
    status = Status.FAIL if n >= t.broken_attachments_fail else Status.WARNING if n else Status.PASS
    items = [
        {"label": f"{b.url}（{b.status_code or b.error}）", "url": b.found_on}
        for b in broken.order_by("url")[:MAX_ITEMS]
    ]
    return Outcome(status, f"{n} 个附件无法下载", threshold, items=items)


def forms(ctx: Context) -> Outcome:
    run, broken = _crawl_outcome(ctx, LinkKind.FORM)
    threshold = "在线表单（写信、依申请公开）打不开即不合格"
    if run is None:
        return Outcome(Status.UNMONITORED, "尚未检查表单", threshold)
    checked = LinkCheck.objects.filter(unit=ctx.unit, kind=LinkKind.FORM).count()
    n = broken.count()
    items = [{"label": f"{b.url}（{b.status_code or b.error}）", "url": b.url} for b in broken]
    return Outcome(
        Status.FAIL if n else Status.PASS, f"{n}/{checked} 个表单不可用", threshold, items=items
    )


def interpretation(ctx: Context) -> Outcome:
    t = ctx.t
    since = ctx.start_of(ctx.today - datetime.timedelta(days=t.interpretation_window_days))
    policies = list(
        ctx.public_items()
        .filter(
            published_version__genre__code__in=INTERPRETED_GENRES, first_published_at__gte=since
        )
        .values_list("pk", "published_version_id", "published_version__title", "first_published_at")
    )
    threshold = f"政策文件发布后{t.interpretation_days}天内发布解读并相互关联"
    if not policies:
        return Outcome(Status.PASS, "近一年没有需要解读的政策文件", threshold)
    links_ = ItemVersion.interpretations.through.objects.filter(
        itemversion_id__in=[p[1] for p in policies]
    ).values_list("itemversion_id", "item_id")
    interp_ids = {item_id for _, item_id in links_}
    published = dict(
        Item.objects.published().filter(pk__in=interp_ids).values_list("pk", "first_published_at")
    )
    by_version: dict[int, list[datetime.datetime]] = {}
    for version_id, item_id in links_:
        if item_id in published:
            by_version.setdefault(version_id, []).append(published[item_id])
    late, soon, items = 0, 0, []
    for pk, version_id, title, at in policies:
        deadline = timezone.localdate(at) + datetime.timedelta(days=t.interpretation_days)
        found = by_version.get(version_id, [])
        if found:
            first = min(timezone.localdate(m) for m in found)
            if first > deadline:
                late += 1
                items.append(_item_row(pk, title, f"解读晚于 {deadline:%Y-%m-%d}"))
        elif ctx.today > deadline:
            late += 1
            items.append(_item_row(pk, title, "没有关联的政策解读"))
        else:
            soon += 1
            items.append(_item_row(pk, title, f"解读应于 {deadline:%Y-%m-%d} 前发布"))
    status = Status.FAIL if late else Status.WARNING if soon else Status.PASS
    return Outcome(
        status,
        f"{len(policies)} 份政策文件，{late} 份解读缺失或超期，{soon} 份待解读",
        threshold,
        items=items[:MAX_ITEMS],
    )


def personal_data_findings(ctx: Context):
    """The findings on live public versions of the unit's items. This is the seam for the privacy
    rescan: a rescan queue that writes its own findings can be read here instead."""
    return Finding.objects.filter(
        kind__in=PERSONAL_KINDS,
        version__item__in=ctx.public_items(),
        version__item__published_version=F("version"),
    )


def personal_data(ctx: Context) -> Outcome:
    findings = personal_data_findings(ctx)
    rows = list(
        findings.values("version__item_id", "version__title")
        .annotate(n=Count("pk"), high=Count("pk", filter=Q(severity="high")))
        .order_by("-high", "version__item_id")
    )
    high = sum(1 for r in rows if r["high"])
    items = [
        _item_row(r["version__item_id"], r["version__title"], f"{r['n']} 处个人信息")
        for r in rows[:MAX_ITEMS]
    ]
    status = Status.FAIL if high else Status.WARNING if rows else Status.PASS
    return Outcome(
        status,
        f"{len(rows)} 条公开信息含个人信息（{high} 条含身份证号或银行卡号）",
        "含身份证号、银行卡号不合格；手机号、电子邮箱预警",
        items=items,
    )


def _wording_hits(ctx: Context) -> list[wording.Hit]:
    if ctx.run.wording_hits is None:
        end = ctx.start_of(ctx.today + datetime.timedelta(days=1))
        ctx.run.wording_hits = wording.scan_public(end)
    return ctx.run.wording_hits.get(ctx.unit.pk, [])


def wording_check(ctx: Context) -> Outcome:
    t = ctx.t
    hits = [h for h in _wording_hits(ctx) if h.kind != wording.SERIOUS]
    names = [h for h in hits if h.kind == wording.NAME]
    forms_ = [h for h in hits if h.kind == wording.FORM]
    status = (
        Status.FAIL
        if names or len(forms_) >= t.wrong_forms_fail
        else Status.WARNING
        if forms_
        else Status.PASS
    )
    return Outcome(
        status,
        f"领导姓名职务错误 {len(names)}，错别字 {len(forms_)}",
        f"姓名职务错误即不合格；错别字≥{t.wrong_forms_fail}处不合格",
        items=[_item_row(h.item_id, h.title, h.message) for h in (names + forms_)[:MAX_ITEMS]],
    )


def _guide_contacts(unit: Unit) -> list[tuple[str, str]]:
    return [
        ("办公地址", unit.address),
        ("办公时间", unit.opening_hours),
        ("联系电话", unit.phone),
        ("传真", unit.fax),
        ("互联网联系方式", unit.email or unit.website),
    ]


def four_part(ctx: Context) -> Outcome:
    from gongkai.portal import queries as portal

    parts = {
        "政府信息公开指南": bool(_guide_contacts(ctx.unit)[0][1] or portal.guide(ctx.unit).pk),
        "政府信息公开制度": portal.pages(ctx.unit).exists(),
        "法定主动公开内容": ctx.public_items()
        .filter(published_version__category__kind="statutory")
        .exists(),
        "政府信息公开年报": bool(portal.annual_reports(ctx.unit)),
    }
    fixes = {
        "政府信息公开指南": _url("portal:staff_guide", ctx.unit.code),
        "政府信息公开制度": _url("portal:staff_page_new", ctx.unit.code),
        "法定主动公开内容": _url("catalog:item_create"),
        "政府信息公开年报": _url("reports:index"),
    }
    missing = [name for name, ok in parts.items() if not ok]
    return Outcome(
        Status.FAIL if missing else Status.PASS,
        "完整" if not missing else f"缺少：{'、'.join(missing)}",
        "政府信息公开专栏四部分（指南、制度、法定主动公开内容、年报）齐全",
        items=[{"label": f"缺少{name}", "url": fixes[name]} for name in missing],
    )


def guide(ctx: Context) -> Outcome:
    from gongkai.portal import queries as portal

    t = ctx.t
    missing = [label for label, value in _guide_contacts(ctx.unit) if not value]
    text = portal.guide(ctx.unit)
    threshold = f"条例第十二条要素齐全，{t.guide_review_days}天内复核"
    if missing:
        return Outcome(
            Status.FAIL,
            f"缺少：{'、'.join(missing)}",
            threshold,
            items=[{"label": "补充单位联系信息", "url": _url("accounts:unit_edit", ctx.unit.pk)}],
        )
    age = ctx.days_since(text.updated_at) if text.pk else None
    if age is None or age >= t.guide_review_days:
        return Outcome(
            Status.WARNING,
            "要素齐全，但指南文字从未编写" if age is None else f"要素齐全，{age}天未复核",
            threshold,
            items=[{"label": "复核指南", "url": _url("portal:staff_guide", ctx.unit.code)}],
        )
    return Outcome(Status.PASS, f"要素齐全，{age}天前复核", threshold)


def annual_report(ctx: Context) -> Outcome:
    from gongkai.portal import queries as portal
    from gongkai.reports.rollup import deadline_for

    t = ctx.t
    year = ctx.today.year - 1
    deadline = deadline_for(ctx.unit, year)
    found = [r for r in portal.annual_reports(ctx.unit) if r.year == year]
    threshold = f"{year}年度报告于 {deadline:%Y-%m-%d} 前发布"
    fix = [{"label": f"{year}年度报告", "url": _url("reports:report", ctx.unit.code, year)}]
    if found:
        at = found[0].published_date
        day = timezone.localdate(at) if isinstance(at, datetime.datetime) else at
        if day is not None and day > deadline:
            return Outcome(Status.WARNING, f"已发布（{day:%Y-%m-%d}，逾期）", threshold)
        return Outcome(Status.PASS, f"已发布{f'（{day:%Y-%m-%d}）' if day else ''}", threshold)
    if ctx.today > deadline:
        return Outcome(Status.FAIL, f"逾期未发布（期限 {deadline:%Y-%m-%d}）", threshold, items=fix)
    left = (deadline - ctx.today).days
    if left < t.annual_report_warn_days:
        return Outcome(Status.WARNING, f"尚未发布，{left}天后到期", threshold, items=fix)
    return Outcome(Status.PASS, f"尚未发布，{left}天后到期", threshold)


def validity(ctx: Context) -> Outcome:
    t = ctx.t
    replaced = list(
        ctx.public_items()
        .filter(validity=Validity.VALID, replaced_by__isnull=False)
        .values_list("pk", "published_version__title")[:MAX_ITEMS]
    )
    limit = ctx.today.replace(year=ctx.today.year - t.normative_valid_years)
    normative = ctx.public_items().filter(
        validity=Validity.VALID, published_version__genre__code__in=NORMATIVE_GENRES
    )
    expired = list(
        normative.filter(published_version__formed_date__lte=limit).values_list(
            "pk", "published_version__title"
        )[:MAX_ITEMS]
    )
    soon = list(
        normative.filter(
            published_version__formed_date__gt=limit,
            published_version__formed_date__lte=limit
            + datetime.timedelta(days=t.normative_warn_days),
        ).values_list("pk", "published_version__title")[:MAX_ITEMS]
    )
    items = [_item_row(pk, title, "已被替代但仍标注有效") for pk, title in replaced]
    items += [
        _item_row(pk, title, f"超过{t.normative_valid_years}年仍标注有效") for pk, title in expired
    ]
    items += [_item_row(pk, title, "即将满有效期") for pk, title in soon]
    status = Status.FAIL if replaced or expired else Status.WARNING if soon else Status.PASS
    return Outcome(
        status,
        f"未标注失效 {len(replaced) + len(expired)}，即将到期 {len(soon)}",
        f"被替代或超过{t.normative_valid_years}年的规范性文件须标注有效性",
        items=items[:MAX_ITEMS],
    )


def timeliness(ctx: Context) -> Outcome:
    from django.conf import settings

    from gongkai.catalog.models import OPEN_STATES

    t = ctx.t
    open_versions = ItemVersion.objects.filter(
        item__organ=ctx.unit, state__in=OPEN_STATES, due_date__isnull=False
    )
    overdue = list(
        open_versions.filter(due_date__lt=ctx.today).values_list("item_id", "title", "due_date")[
            :MAX_ITEMS
        ]
    )
    soon_days = getattr(settings, "DUE_SOON_WORKDAYS", 3)
    soon = list(
        open_versions.filter(
            due_date__gte=ctx.today, due_date__lte=ctx.today + datetime.timedelta(days=soon_days)
        ).values_list("item_id", "title", "due_date")[:MAX_ITEMS]
    )
    window = ctx.start_of(ctx.today - datetime.timedelta(days=t.late_window_days))
    late_recent = (
        ItemVersion.objects.filter(
            item__organ=ctx.unit,
            published_at__gte=window,
            due_date__isnull=False,
            number=1,
        )
        .filter(published_at__gte=F("due_date") + datetime.timedelta(days=1))
        .count()
    )
    items = [_item_row(pk, title, f"应于 {due:%Y-%m-%d} 前公开") for pk, title, due in overdue]
    items += [_item_row(pk, title, f"{due:%Y-%m-%d} 到期") for pk, title, due in soon]
    status = Status.FAIL if overdue else Status.WARNING if soon or late_recent else Status.PASS
    return Outcome(
        status,
        f"超期未公开 {len(overdue)}，即将到期 {len(soon)}，"
        f"近{t.late_window_days}天逾期发布 {late_recent}",
        "形成或变更之日起20个工作日内公开（条例第二十六条）",
        items=items,
    )


INDICATORS: list[Indicator] = [
    Indicator(
        "security",
        "安全、泄密事故等严重问题",
        True,
        "严重表述错误、泄露国家秘密、伪造发稿日期等任意一种即单项否决（反动暴力色情内容、"
        "安全攻击未处置、负面舆情由人工核查）。",
        security,
    ),
    Indicator(
        "availability",
        "站点无法访问",
        True,
        "监测1周、每天访问20次以上，超过15秒仍打不开的次数占比≥5%即单项否决。",
        availability,
    ),
    Indicator(
        "home_update",
        "首页不更新",
        True,
        "监测2周，首页没有新信息即单项否决。",
        home_update,
    ),
    Indicator(
        "column_update",
        "栏目不更新",
        True,
        "2周内动态要闻类、6个月内通知公告和政策文件类栏目累计≥5个未更新，或应更新未更新栏目≥10个，"
        "或空白栏目≥5个，即单项否决。",
        column_update,
    ),
    Indicator(
        "interaction",
        "互动回应差",
        True,
        "未提供网上咨询建言渠道，或1年内政务咨询类栏目有超过3个月未回应的有效留言，即单项否决。",
        interaction,
    ),
    Indicator(
        "services",
        "服务不实用",
        True,
        "未提供办事服务，或办事指南缺少重点要素，即单项否决。",
        services,
    ),
    Indicator("links", "链接可用性", False, "首页及其他页面不能正常访问的链接数量。", links),
    Indicator("attachments", "附件下载", False, "文件附件能否正常下载。", attachments),
    Indicator("forms", "在线表单", False, "在线写信、在线申请等表单能否正常打开。", forms),
    Indicator(
        "interpretation",
        "政策解读",
        False,
        "政策文件与解读同步发布、相互关联，不晚于本市规定的期限。",
        interpretation,
    ),
    Indicator(
        "personal_data",
        "个人信息保护",
        False,
        "公开的信息中不得含有身份证号、银行卡号、手机号等个人信息。",
        personal_data,
    ),
    Indicator(
        "wording",
        "错别字与领导姓名职务",
        False,
        "领导姓名职务须准确，维护的错别字清单中的写法不得出现。",
        wording_check,
    ),
    Indicator(
        "four_part",
        "公开专栏四部分",
        False,
        "政府信息公开专栏须有指南、制度、法定主动公开内容、年报四部分（国办公开办函〔2019〕61号）。",
        four_part,
    ),
    Indicator(
        "guide",
        "政府信息公开指南",
        False,
        "指南须载明条例第十二条的要素：办公地址、时间、电话、传真、互联网联系方式，并及时更新。",
        guide,
    ),
    Indicator(
        "annual_report",
        "年度报告",
        False,
        "上一年度政府信息公开工作年度报告须在规定期限前发布（条例第四十九条）。",
        annual_report,
    ),
    Indicator(
        "validity",
        "有效性标注",
        False,
        "被废止、替代或超过有效期的文件须标注有效性（政府网站发展指引）。",
        validity,
    ),
    Indicator(
        "timeliness",
        "主动公开及时性",
        False,
        "信息形成或变更之日起20个工作日内公开（条例第二十六条）。",
        timeliness,
    ),
]

BY_CODE = {i.code: i for i in INDICATORS}


def compute_all(unit: Unit, today: datetime.date, t: Thresholds, run: RunData | None = None):
    ctx = Context(unit=unit, today=today, t=t, run=run or RunData())
    return {i.code: i.compute(ctx) for i in INDICATORS}


def compute_one(
    code: str, unit: Unit, today: datetime.date, t: Thresholds, run: RunData
) -> Outcome:
    return BY_CODE[code].compute(Context(unit=unit, today=today, t=t, run=run))
