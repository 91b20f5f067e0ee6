"""The scored indicators and the disclosure-specific checks inspectors add."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from gongkai.catalog.models import Item, ItemVersion, Validity
from gongkai.inspection import wording
from gongkai.inspection.base import (
    INTERPRETED_GENRES,
    MAX_ITEMS,
    NORMATIVE_GENRES,
    PERSONAL_KINDS,
    Context,
    Outcome,
    guide_contacts,
    item_row,
    url_for,
    wording_hits,
)
from gongkai.inspection.models import (
    CrawlRun,
    LinkCheck,
    LinkKind,
    Status,
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
                items.append(item_row(pk, title, f"解读晚于 {deadline:%Y-%m-%d}"))
        elif ctx.today > deadline:
            late += 1
            items.append(item_row(pk, title, "没有关联的政策解读"))
        else:
            soon += 1
            items.append(item_row(pk, title, f"解读应于 {deadline:%Y-%m-%d} 前发布"))
    status = Status.FAIL if late else Status.WARNING if soon else Status.PASS
    return Outcome(
        status,
        f"{len(policies)} 份政策文件，{late} 份解读缺失或超期，{soon} 份待解读",
        threshold,
        items=items[:MAX_ITEMS],
    )


def personal_data_findings(ctx: Context):
    """The findings on live public versions of the unit's items, from the checks at publication and
    from the privacy rescan (catalog.rescan writes the same Finding rows); a finding a reviewer has
    cleared as not personal data no longer counts."""
    return ctx.live_findings(PERSONAL_KINDS).filter(cleared_at__isnull=True)


def personal_data(ctx: Context) -> Outcome:
    findings = personal_data_findings(ctx)
    rows = list(
        findings.values("version__item_id", "version__title")
        .annotate(n=Count("pk"), high=Count("pk", filter=Q(severity="high")))
        .order_by("-high", "version__item_id")
    )
    high = sum(1 for r in rows if r["high"])
    items = [
        item_row(r["version__item_id"], r["version__title"], f"{r['n']} 处个人信息")
        for r in rows[:MAX_ITEMS]
    ]
    status = Status.FAIL if high else Status.WARNING if rows else Status.PASS
    return Outcome(
        status,
        f"{len(rows)} 条公开信息含个人信息（{high} 条为高风险：身份证号、银行卡号等）",
        "含身份证号、银行卡号不合格；手机号、电子邮箱预警",
        items=items,
    )


def wording_check(ctx: Context) -> Outcome:
    t = ctx.t
    hits = [h for h in wording_hits(ctx) if h.kind != wording.SERIOUS]
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
        items=[item_row(h.item_id, h.title, h.message) for h in (names + forms_)[:MAX_ITEMS]],
    )


def four_part(ctx: Context) -> Outcome:
    from gongkai.portal import queries as portal

    parts = {
        "政府信息公开指南": bool(guide_contacts(ctx.unit)[0][1] or portal.guide(ctx.unit).pk),
        "政府信息公开制度": portal.pages(ctx.unit).exists(),
        "法定主动公开内容": ctx.public_items()
        .filter(published_version__category__kind="statutory")
        .exists(),
        "政府信息公开年报": bool(portal.annual_reports(ctx.unit)),
    }
    fixes = {
        "政府信息公开指南": url_for("portal:staff_guide", ctx.unit.code),
        "政府信息公开制度": url_for("portal:staff_page_new", ctx.unit.code),
        "法定主动公开内容": url_for("catalog:item_create"),
        "政府信息公开年报": url_for("reports:index"),
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
    missing = [label for label, value in guide_contacts(ctx.unit) if not value]
    text = portal.guide(ctx.unit)
    threshold = f"条例第十二条要素齐全，{t.guide_review_days}天内复核"
    if missing:
        return Outcome(
            Status.FAIL,
            f"缺少：{'、'.join(missing)}",
            threshold,
            items=[
                {"label": "补充单位联系信息", "url": url_for("accounts:unit_edit", ctx.unit.pk)}
            ],
        )
    age = ctx.days_since(text.updated_at) if text.pk else None
    if age is None or age >= t.guide_review_days:
        return Outcome(
            Status.WARNING,
            "要素齐全，但指南文字从未编写" if age is None else f"要素齐全，{age}天未复核",
            threshold,
            items=[{"label": "复核指南", "url": url_for("portal:staff_guide", ctx.unit.code)}],
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
    fix = [{"label": f"{year}年度报告", "url": url_for("reports:report", ctx.unit.code, year)}]
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
    items = [item_row(pk, title, "已被替代但仍标注有效") for pk, title in replaced]
    items += [
        item_row(pk, title, f"超过{t.normative_valid_years}年仍标注有效") for pk, title in expired
    ]
    items += [item_row(pk, title, "即将满有效期") for pk, title in soon]
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
    items = [item_row(pk, title, f"应于 {due:%Y-%m-%d} 前公开") for pk, title, due in overdue]
    items += [item_row(pk, title, f"{due:%Y-%m-%d} 到期") for pk, title, due in soon]
    status = Status.FAIL if overdue else Status.WARNING if soon or late_recent else Status.PASS
    return Outcome(
        status,
        f"超期未公开 {len(overdue)}，即将到期 {len(soon)}，"
        f"近{t.late_window_days}天逾期发布 {late_recent}",
        "形成或变更之日起20个工作日内公开（条例第二十六条）",
        items=items,
    )
