"""Demo of the self-inspection (step 900 of `gongkai demo`): a city where one township passes
(冯家镇, added here with a complete site), one has warnings (诸往镇, as the other demo steps leave
it) and one has a veto (夏村镇: a serious wrong wording, a stale home page and a site that often
fails to open). Probe visits stand for a probe on another host; the link check really crawls the
demo portal, in-process. Idempotent: what exists is left alone, today's results are recomputed."""

from __future__ import annotations

import datetime
import random

from django.test import Client
from django.utils import timezone

from gongkai.accounts import actions as accounts
from gongkai.accounts.models import Unit, UnitKind
from gongkai.catalog import importer
from gongkai.catalog.models import Category
from gongkai.core.demo import OPENING_HOURS, DemoContext, step
from gongkai.inspection import actions, crawler, sites
from gongkai.inspection.models import ColumnType, ExactName, ProbeReport, WrongForm
from gongkai.lib.tabular import Row, Table
from gongkai.portal import actions as portal

FENGJIA = {
    "code": "fengjia",
    "name": "乳山市冯家镇人民政府",
    "short_name": "冯家镇",
    "kind": UnitKind.TOWNSHIP,
    "is_organ": True,
    "org_code": "004362543",
    "address": "乳山市冯家镇驻地",
    "postcode": "264500",
    "phone": "0631-6600000",
    "fax": "0631-6600001",
    "email": "fengjia-gongkai@example.com",
    "opening_hours": OPENING_HOURS,
    "sort_order": 30,
}

COLUMN_TYPES = {
    "site-news": "news",
    "platform-policies": "policy",
    "platform-functions": "static",
    "platform-annual-report": "static",
}


def _ensure_fengjia(ctx: DemoContext) -> Unit:
    unit = Unit.objects.filter(code=FENGJIA["code"]).first()
    if unit is not None:
        return unit
    ctx.count("单位（网站自查演示）")
    return accounts.unit_create(actor=None, parent=ctx.unit("rushan"), **FENGJIA)


def _import(unit: Unit, rows: list[dict[str, str]], ctx: DemoContext) -> None:
    from gongkai.catalog.models import ItemVersion

    existing = set(ItemVersion.objects.filter(item__organ=unit).values_list("title", flat=True))
    fresh = [
        Row(n, {"unit": unit.code, **row})
        for n, row in enumerate(rows, start=2)
        if row["title"] not in existing
    ]
    if fresh:
        result = importer.import_rows(Table("demo", [], [], fresh), source="demo")
        ctx.count("已公开信息（网站自查演示）", len(result.imported))


def _probes(unit: Unit, url: str, fail_every: int, today: datetime.date) -> int:
    """A week of visits every hour (24 a day); every `fail_every`-th one times out."""
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=6), datetime.time.min)
    )
    if ProbeReport.objects.filter(unit=unit, visited_at__gte=since).exists():
        return 0
    rng = random.Random(unit.code)
    rows = []
    for hour in range(7 * 24):
        at = since + datetime.timedelta(hours=hour, minutes=rng.randint(0, 50))
        if at > timezone.now():
            break
        down = fail_every and hour % fail_every == 0
        rows.append(
            ProbeReport(
                unit=unit,
                url=url,
                visited_at=at,
                ok=not down,
                seconds=15.0 if down else round(rng.uniform(0.3, 2.5), 2),
                status_code=None if down else 200,
                error="15秒内未打开" if down else "",
                reporter="demo-probe",
            )
        )
    ProbeReport.objects.bulk_create(rows)
    return len(rows)


def _client_get(client: Client):
    """The crawler's fetch, answered by the demo site itself (no server needs to run)."""

    def get(url: str, want_body: bool) -> crawler.Response:
        path = url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        return crawler.Response(response.status_code, response.get("Content-Type", ""), body)

    return get


@step(900, name="inspection.self_inspection")
def self_inspection(ctx: DemoContext) -> None:
    today = timezone.localdate()
    fengjia = _ensure_fengjia(ctx)
    for code, kind in COLUMN_TYPES.items():
        category = Category.objects.filter(code=code).first()
        if category is not None:
            ColumnType.objects.get_or_create(category=category, defaults={"kind": kind})
    ExactName.objects.get_or_create(name="张志强", defaults={"titles": "镇党委副书记、镇长"})
    WrongForm.objects.get_or_create(wrong="书计", defaults={"correct": "书记"})
    WrongForm.objects.get_or_create(
        wrong="中华人名共和国", defaults={"correct": "中华人民共和国", "serious": True}
    )

    # 冯家镇: every column current, the four parts complete, last year's report on time.
    if not fengjia.portal_pages.exists():
        portal.guide_update(
            actor=None,
            unit=fengjia,
            office_name="乳山市冯家镇人民政府党政办公室",
            introduction="<p>本指南根据《中华人民共和国政府信息公开条例》编制，每年复核。</p>",
        )
        portal.page_create(
            actor=None,
            unit=fengjia,
            title="政府信息公开保密审查制度",
            body="<p>信息公开前由保密审查员审查，涉密信息不上网。</p>",
        )
    report_day = min(datetime.date(today.year, 1, 20), today - datetime.timedelta(days=1))
    _import(
        fengjia,
        [
            {
                "title": "冯家镇召开秋冬季农田水利建设推进会",
                "category": "site-news",
                "genre": "news",
                "formed_date": str(today - datetime.timedelta(days=3)),
                "published_date": str(today - datetime.timedelta(days=2)),
                "body": "<p>会议部署了全镇秋冬季农田水利建设任务。</p>",
            },
            {
                "title": "冯家镇关于做好冬季安全生产工作的通知",
                "category": "platform-policies",
                "genre": "notice",
                "formed_date": str(today - datetime.timedelta(days=40)),
                "published_date": str(today - datetime.timedelta(days=38)),
                "body": "<p>各村、各单位要落实安全生产责任。</p>",
            },
            {
                "title": "冯家镇人民政府机构职能",
                "category": "platform-functions",
                "genre": "other",
                "formed_date": str(today - datetime.timedelta(days=300)),
                "published_date": str(today - datetime.timedelta(days=299)),
                "body": "<p>冯家镇人民政府负责全镇经济社会发展和公共服务。</p>",
            },
            {
                "title": f"冯家镇{today.year - 1}年政府信息公开工作年度报告",
                "category": "platform-annual-report",
                "genre": "annual-report",
                "formed_date": str(report_day - datetime.timedelta(days=5)),
                "published_date": str(report_day),
                "body": "<p>本报告根据条例第五十条编制。</p>",
            },
            {
                "title": "冯家镇财政预算公开",
                "category": "art20-07",
                "genre": "report",
                "formed_date": str(today - datetime.timedelta(days=200)),
                "published_date": str(today - datetime.timedelta(days=198)),
                "body": "<p>全镇一般公共预算收支安排。</p>",
            },
        ],
        ctx,
    )
    # 夏村镇: a serious wrong wording on a public page (a veto), and nothing new for months.
    xiacun = ctx.unit("xiacun")
    _import(
        xiacun,
        [
            {
                "title": "夏村镇开展宪法宣传周活动",
                "category": "site-news",
                "genre": "news",
                "formed_date": str(today - datetime.timedelta(days=161)),
                "published_date": str(today - datetime.timedelta(days=160)),
                "body": "<p>活动向群众宣传《中华人名共和国宪法》。</p>",
            }
        ],
        ctx,
    )
    zhuwang = ctx.unit("zhuwang")
    for unit, fail_every in ((fengjia, 0), (zhuwang, 50), (xiacun, 8)):
        added = _probes(unit, sites.home_url(unit), fail_every, today)
        if added:
            ctx.count("可用性监测记录", added)
    client = Client()
    for unit in (fengjia, zhuwang, xiacun):
        result = crawler.crawl(
            sites.home_url(unit),
            own_hosts=sites.own_hosts(unit),
            form_urls=sites.form_urls(unit),
            max_pages=25,
            max_depth=2,
            delay_seconds=0,
            get=_client_get(client),
        )
        actions.crawl_store(unit=unit, result=result)
    # Today's results are recomputed on every run (not counted: nothing new is created).
    actions.inspection_run(day=today, notify=False)
