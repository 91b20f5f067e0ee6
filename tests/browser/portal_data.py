"""Published items for the portal's browser tests: a realistic little catalog of 诸往镇, one
item with an attachment, through the real workflow and the catalog import."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from gongkai.catalog import actions, importer
from gongkai.catalog.models import Category, Genre, Item, Topic, Validity
from gongkai.lib.tabular import Row, Table
from gongkai.portal import actions as portal_actions
from tests.catalog.conftest import make_draft, walk
from tests.lib.files import make_docx

ATTACHMENT_NAME = "2026年预算说明.docx"
ATTACHMENT_TEXT = "2026年全镇一般公共预算收支明细"

LEGACY = [
    (
        "诸往镇农村土地承包经营权流转情况（2025年）",
        "art21-03",
        "publicity",
        "2025-12-12",
        "",
        "2025年全镇新增土地流转面积3260亩，签订规范流转合同186份。",
    ),
    (
        "诸往镇突发公共事件总体应急预案",
        "art20-12",
        "programme",
        "2025-05-20",
        "诸政发〔2025〕12号",
        "本预案适用于本镇行政区域内发生的自然灾害和事故灾难。",
    ),
    (
        "诸往镇2025年社会救助资金发放情况公示",
        "art21-08",
        "publicity",
        "2025-07-05",
        "",
        "2025年上半年，全镇发放农村低保金86.4万元，惠及群众1126人次。",
    ),
    (
        "关于做好2025年秋冬季森林防火工作的通知",
        "art20-12",
        "notice",
        "2025-10-22",
        "诸政字〔2025〕31号",
        "各村、各有关单位：进入秋冬季森林防火期，严禁野外用火。",
    ),
    (
        "诸往镇2025年美丽乡村建设工作方案",
        "site-countryside",
        "programme",
        "2025-03-20",
        "诸政发〔2025〕5号",
        "2025年全镇创建美丽乡村示范村3个，完成12个村庄的人居环境整治。",
    ),
    (
        "诸往镇农村土地承包经营权流转管理办法（2015年）",
        "art21-03",
        "normative",
        "2015-04-20",
        "诸政发〔2015〕6号",
        "第一条 为规范农村土地承包经营权流转，制定本办法。",
    ),
]


@dataclass
class PortalData:
    budget: Item
    repealed: Item
    flows: Item


def seed_reference_data() -> None:
    """The categories, genres and topics of catalog migration 0002: a live-server test's flush
    removes them (re-seeding is idempotent)."""
    from django.apps import apps

    migration = importlib.import_module(
        "gongkai.catalog.migrations.0002_seed_categories_genres_topics"
    )
    migration.seed(apps, None)


def build(cast) -> PortalData:
    seed_reference_data()
    rows = [
        Row(
            n,
            {
                "unit": "zhuwang",
                "title": title,
                "category": category,
                "genre": genre,
                "formed_date": date,
                "published_date": date,
                "document_number": number,
                "summary": body[:40],
                "body": body,
            },
        )
        for n, (title, category, genre, date, number, body) in enumerate(LEGACY, start=2)
    ]
    imported = importer.import_rows(Table("test", [], [], rows)).imported
    by_title = {i.published_version.title: i for i in imported}
    item = make_draft(
        cast,
        title="诸往镇2026年财政预算公开",
        summary="2026年全镇一般公共预算收支安排，详见附件。",
        body="<p>2026年全镇一般公共预算收入安排4860万元，支出安排5920万元，详见附件。</p>",
        document_number="诸政发〔2026〕3号",
        category=Category.objects.get(code="art20-07"),
        genre=Genre.objects.get(code="report"),
        topic=Topic.objects.get(code="finance"),
    )
    actions.attachment_add(
        actor=cast.drafter, item=item, data=make_docx([ATTACHMENT_TEXT]), name=ATTACHMENT_NAME
    )
    budget = walk(cast, item, "published")
    repealed = by_title["诸往镇农村土地承包经营权流转管理办法（2015年）"]
    flows = by_title["诸往镇农村土地承包经营权流转情况（2025年）"]
    actions.item_set_validity(
        actor=cast.office_reviewer,
        item=repealed,
        validity=Validity.REPEALED,
        effective_date=repealed.first_published_at.date().replace(year=2017),
        replaced_by=flows,
        note="被诸政发〔2017〕21号废止",
    )
    portal_actions.guide_update(
        actor=None, unit=cast.zhuwang, office_name="乳山市诸往镇人民政府党政办公室"
    )
    portal_actions.page_create(
        actor=None,
        unit=cast.zhuwang,
        title="政府信息发布保密审查制度",
        body="<p>所有政府信息必须经镇领导审签后才能公开，确保“上网信息不涉密，涉密信息不上网”。</p>",
    )
    budget.refresh_from_db()
    return PortalData(budget=budget, repealed=repealed, flows=flows)
