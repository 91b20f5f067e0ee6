"""The single-item vetoes (单项否决) of 国办秘函〔2019〕19号: any one failing fails the site."""

from __future__ import annotations

import datetime

from django.db.models import F, Max, Q
from django.utils import timezone

from gongkai.inspection import wording
from gongkai.inspection.base import (
    MAX_ITEMS,
    Context,
    Outcome,
    guide_contacts,
    item_row,
    url_for,
    wording_hits,
)
from gongkai.inspection.models import (
    ColumnKind,
    ColumnType,
    LinkCheck,
    LinkKind,
    ProbeReport,
    Status,
)
from gongkai.inspection.rules import Thresholds

# --------------------------------------------------------------------------- vetoes


def security(ctx: Context) -> Outcome:
    items: list[dict[str, str]] = []
    marks = (
        ctx.live_findings(["classification_mark"])
        .values_list("version__item_id", "version__title", "text")
        .distinct()[:MAX_ITEMS]
    )
    mark_count = 0
    for pk, title, text in marks:
        mark_count += 1
        items.append(item_row(pk, title, f"密级标志“{text}”"))
    serious = [h for h in wording_hits(ctx) if h.kind == wording.SERIOUS]
    for hit in serious[:MAX_ITEMS]:
        items.append(item_row(hit.item_id, hit.title, hit.message))
    # 伪造发稿日期: an item written in this system whose 发布日期 lies before it existed.
    forged_qs = ctx.public_items().filter(
        is_imported=False, first_published_at__lt=F("created_at") - datetime.timedelta(days=1)
    )
    forged = list(forged_qs.values_list("pk", "published_version__title")[:MAX_ITEMS])
    for pk, title in forged:
        items.append(item_row(pk, title, "发布日期早于录入日期"))
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
        items=[{"label": "新建信息", "url": url_for("catalog:item_create")}]
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
        url = url_for("catalog:category_edit", column.category_id)
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
    fix = url_for("interaction:mailbox_settings")
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
            "url": url_for("interaction:staff_letter", letter.pk),
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
    apply_url = url_for("applications_public:apply", ctx.unit.code)
    # Where, when and how to apply: the key elements of this service's guide.
    missing = [label for label, value in guide_contacts(ctx.unit)[:3] if not value]
    broken = LinkCheck.objects.filter(unit=ctx.unit, kind=LinkKind.FORM, ok=False)
    items = (
        [
            {
                "label": f"指南缺少：{'、'.join(missing)}",
                "url": url_for("accounts:unit_edit", ctx.unit.pk),
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
