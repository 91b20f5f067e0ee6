"""Demo content of the catalog for 诸往镇 (step 200 of `gongkai demo`).

The 2017 items come from the seed report's columns (工作动态, 新农村建设, 社会事业, 民生工程)
and are the way a township would bring its old site over: through the catalog import, so they keep
their 2017 dates. Current items walk the real workflow with the demo accounts and are left
in every state: draft, returned, awaiting each review, scheduled, published (with attachments),
withdrawn, withheld and 涉密. Each item is looked up by title first, so running twice adds
nothing."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from gongkai.catalog import actions, importer
from gongkai.catalog.models import Disclosure, ItemVersion, Validity
from gongkai.core.demo import DemoContext, step
from gongkai.lib.tabular import Row, Table

ORGAN = "zhuwang"

LEGACY = [
    # title, category, genre, topic, formed, published, document number, summary, body
    (
        "诸往镇2017年财政预算公开",
        "art20-07",
        "report",
        "finance",
        "2017-02-10",
        "2017-02-20",
        "诸政发〔2017〕3号",
        "2017年全镇一般公共预算收支安排及“三公”经费预算。",
        "<h2>一、一般公共预算收入</h2><p>2017年全镇一般公共预算收入安排3200万元，比上年增长6.5%。</p>"
        "<h2>二、一般公共预算支出</h2><p>全镇一般公共预算支出安排4150万元，重点保障农业农村、社会保障和"
        "民生工程支出。</p><h2>三、“三公”经费</h2><p>“三公”经费预算18.6万元，比上年下降5%。</p>",
    ),
    (
        "诸往镇2016年财政决算公开",
        "art20-07",
        "report",
        "finance",
        "2017-08-01",
        "2017-08-15",
        "",
        "2016年全镇财政收支决算情况。",
        "<p>2016年全镇一般公共预算收入完成3005万元，完成预算的101.2%；一般公共预算支出3920万元。</p>",
    ),
    (
        "诸往镇2017年新农村建设工作实施方案",
        "site-countryside",
        "programme",
        "agriculture",
        "2017-03-06",
        "2017-03-10",
        "诸政发〔2017〕8号",
        "全镇美丽乡村建设、环境整治和致富产业发展的目标与措施。",
        "<p>为推进全镇新农村建设，改善农村人居环境，结合我镇实际，制定本方案。</p><h2>一、工作目标</h2>"
        "<p>2017年完成10个村庄环境综合整治，新建村级文化广场4处。</p><h2>二、主要措施</h2>"
        "<ol><li>实施农村道路硬化工程；</li><li>推进垃圾分类和污水处理；</li><li>扶持特色果品产业。</li></ol>",
    ),
    (
        "诸往镇2017年农村低保、特困人员救助资金发放情况",
        "art21-08",
        "publicity",
        "civil-affairs",
        "2017-06-28",
        "2017-07-05",
        "",
        "2017年上半年社会救助资金发放总体情况。",
        "<p>2017年上半年，全镇发放农村低保金86.4万元、特困人员供养金31.2万元，惠及群众1126人次。</p>",
    ),
    (
        "诸往镇人民政府机构职能及联系方式",
        "art20-02",
        "other",
        "government",
        "2017-01-03",
        "2017-01-05",
        "",
        "镇政府职能、内设机构、办公地址、办公时间和联系方式。",
        "<p>办公地址：乳山市诸往镇驻地。办公时间：工作日上午8:30-12:00，下午13:30-17:30。</p>"
        "<p>联系电话：0631-6366000。</p>",
    ),
    (
        "诸往镇2017年第一季度工作动态",
        "site-news",
        "news",
        "general",
        "2017-04-01",
        "2017-04-06",
        "",
        "第一季度全镇重点工作进展。",
        "<p>一季度，我镇召开全镇经济工作会议，部署春季农业生产、森林防火和安全生产工作。</p>",
    ),
    (
        "诸往镇农村饮水安全民生工程建设情况",
        "site-livelihood",
        "report",
        "construction",
        "2017-09-05",
        "2017-09-12",
        "",
        "农村饮水安全巩固提升工程的建设进展。",
        "<p>2017年全镇实施农村饮水安全巩固提升工程6处，解决2300余名群众的饮水问题。</p>",
    ),
    (
        "诸往镇突发公共事件总体应急预案",
        "art20-12",
        "programme",
        "security",
        "2017-05-15",
        "2017-05-20",
        "诸政发〔2017〕12号",
        "突发公共事件的预防、预警、处置和保障。",
        "<p>本预案适用于本镇行政区域内发生的自然灾害、事故灾难、公共卫生事件和社会安全事件。</p>",
    ),
    (
        "诸往镇农村土地承包经营权流转管理办法（2015年）",
        "art21-03",
        "normative",
        "agriculture",
        "2015-04-10",
        "2015-04-20",
        "诸政发〔2015〕6号",
        "规范农村土地承包经营权流转（已废止）。",
        "<p>第一条 为规范农村土地承包经营权流转，根据有关法律法规，制定本办法。</p>",
    ),
    (
        "诸往镇农村土地承包经营权流转管理办法",
        "art21-03",
        "normative",
        "agriculture",
        "2017-10-09",
        "2017-10-16",
        "诸政发〔2017〕21号",
        "规范流转程序、合同管理和纠纷调处。",
        "<p>第一条 为规范农村土地承包经营权流转，保护流转双方合法权益，制定本办法。</p>"
        "<p>第二条 流转应当遵循依法、自愿、有偿的原则。</p>",
    ),
    (
        "《诸往镇农村土地承包经营权流转管理办法》政策解读",
        "art21-03",
        "interpretation",
        "agriculture",
        "2017-10-09",
        "2017-10-16",
        "",
        "办法出台的背景、主要内容和群众关心的问题。",
        "<h2>一、出台背景</h2><p>2015年办法施行以来，土地流转规模扩大，需要进一步规范合同和程序。</p>"
        "<h2>二、主要变化</h2><p>新办法统一使用流转合同示范文本，明确镇农业站的备案职责。</p>",
    ),
]

CURRENT = [
    # key, title, category, genre, days since formed, body
    (
        "published",
        "诸往镇2026年财政预算公开",
        "art20-07",
        "report",
        6,
        "<p>2026年全镇一般公共预算收入安排4860万元，支出安排5920万元，详见附件。</p>",
    ),
    (
        "withdrawn",
        "诸往镇2026年公益性岗位招聘公告",
        "art20-11",
        "announcement",
        12,
        "<p>因岗位数量调整，本公告撤回，调整后重新发布。</p>",
    ),
    (
        "draft",
        "关于开展2026年冬季农田水利基本建设的通知",
        "art21-02",
        "notice",
        2,
        "<p>各村：为做好今冬明春农田水利基本建设，现将有关事项通知如下。</p>",
    ),
    (
        "returned",
        "诸往镇2026年秋季征兵公告",
        "art20-14",
        "announcement",
        4,
        "<p>根据上级征兵命令，现将2026年秋季征兵有关事项公告如下。</p>",
    ),
    (
        "secrecy_review",
        "诸往镇2026年社会救助资金发放情况公示",
        "art21-08",
        "publicity",
        35,
        "<p>2026年前三季度，全镇发放城乡低保金、特困供养金共计152.6万元。</p>",
    ),
    (
        "office_review",
        "诸往镇宅基地使用审核情况（2026年第三季度）",
        "art21-04",
        "publicity",
        8,
        "<p>第三季度共受理农村宅基地申请14件，审核通过12件。</p>",
    ),
    (
        "sign_off",
        "诸往镇2026年农田水利工程建设运营情况",
        "art21-02",
        "report",
        5,
        "<p>全年新建塘坝3座，维修灌溉渠道12.5公里。</p>",
    ),
    (
        "scheduled",
        "诸往镇2026年度政府信息公开工作要点",
        "platform-business",
        "programme",
        3,
        "<p>2026年，我镇将围绕重点领域信息公开、政策解读和平台建设开展工作。</p>",
    ),
    (
        "withheld",
        "诸往镇党政联席会议纪要（2026年第9次）",
        "art20-15",
        "minutes",
        10,
        "<p>会议研究了机关内部管理事项。</p>",
    ),
    (
        "secret",
        "关于专项工作部署情况的请示",
        "art20-15",
        "other",
        9,
        "<p>（正文已按保密规定清除）</p>",
    ),
]


def _legacy(ctx: DemoContext) -> None:
    existing = set(
        ItemVersion.objects.filter(item__organ__code=ORGAN).values_list("title", flat=True)
    )
    rows = []
    for line, (
        title,
        category,
        genre,
        topic,
        formed,
        published,
        number,
        summary,
        body,
    ) in enumerate(LEGACY, start=2):
        if title in existing:
            continue
        rows.append(
            Row(
                line,
                {
                    "unit": ORGAN,
                    "title": title,
                    "category": category,
                    "genre": genre,
                    "topic": topic,
                    "formed_date": formed,
                    "published_date": published,
                    "document_number": number,
                    "summary": summary,
                    "body": body,
                },
            )
        )
    if not rows:
        return
    result = importer.import_rows(Table("demo", [], [], rows), source="demo")
    ctx.count("已公开信息（2017年导入）", len(result.imported))
    by_title = {i.current_version().title: i for i in result.imported}  # type: ignore[union-attr]
    old = by_title.get(LEGACY[8][0])
    new = by_title.get(LEGACY[9][0])
    reading = by_title.get(LEGACY[10][0])
    if old and new:
        actions.item_set_validity(
            actor=None,
            item=old,
            validity=Validity.REPEALED,
            effective_date=datetime.date(2017, 10, 16),
            replaced_by=new,
            note="被诸政发〔2017〕21号废止",
        )
    if new and reading and new.published_version:
        new.published_version.interpretations.add(reading)


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算表"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _current(ctx: DemoContext) -> None:
    from gongkai.catalog.models import Genre
    from gongkai.catalog.queries import find_category, find_named

    drafter, secrecy = ctx.user("drafter"), ctx.user("secrecy")
    reviewer, leader = ctx.user("reviewer"), ctx.user("leader")
    organ = ctx.unit(ORGAN)
    existing = set(ItemVersion.objects.filter(item__organ=organ).values_list("title", flat=True))
    today = timezone.localdate()
    for key, title, category, genre, days, body in CURRENT:
        if title in existing:
            continue
        item = actions.item_create(
            actor=drafter,
            unit=organ,
            title=title,
            body=body,
            formed_date=today - datetime.timedelta(days=days),
            category=find_category(category),
            genre=find_named(Genre, genre),
            summary=title.replace("诸往镇", "全镇", 1),
        )
        ctx.count("信息（各流程状态）")
        if key == "published":
            actions.attachment_add(
                actor=drafter,
                item=item,
                name="2026年预算收支表.xlsx",
                data=_xlsx(
                    [
                        ["项目", "预算数（万元）"],
                        ["一般公共预算收入", 4860],
                        ["一般公共预算支出", 5920],
                    ]
                ),
            )
            actions.attachment_add(
                actor=drafter,
                item=item,
                name="2026年预算说明.docx",
                data=_docx(["诸往镇2026年财政预算说明", "一、收入预算情况", "二、支出预算情况"]),
            )
        if key == "draft":
            continue
        actions.item_submit(actor=drafter, item=item)
        if key == "secrecy_review":
            continue
        if key == "secret":
            actions.item_secrecy_verdict(
                actor=secrecy,
                item=item,
                secret=True,
                note="含有需要保密的工作部署，按涉密件线下处理",
            )
            continue
        if key == "withheld":
            actions.item_secrecy_verdict(
                actor=secrecy,
                item=item,
                secret=False,
                disclosure=Disclosure.WITHHELD,
                reason="属于行政机关内部事务信息",
                basis="条例第十六条第一款",
            )
            continue
        actions.item_secrecy_verdict(actor=secrecy, item=item, secret=False)
        if key == "office_review":
            continue
        if key == "returned":
            actions.item_reject(
                actor=reviewer, item=item, reason="请补充发文字号，并核对报名时间。"
            )
            continue
        actions.item_office_approve(actor=reviewer, item=item)
        if key == "sign_off":
            continue
        go_live = timezone.now() + datetime.timedelta(days=3) if key == "scheduled" else None
        actions.item_sign_off(actor=leader, item=item, go_live_at=go_live)
        if key == "withdrawn":
            actions.item_withdraw(actor=leader, item=item, reason="岗位数量调整，调整后重新发布")


@step(200, name="catalog.items")
def catalog_items(ctx: DemoContext) -> None:
    """诸往镇's published 2017 items and current items in every workflow state."""
    _legacy(ctx)
    _current(ctx)
