"""Demo content of the portal (step 300 of `gongkai demo`, after the catalog's step 200):

- the seed 2017 annual report of 诸往镇 as a published catalog item (genre 报告, category
  年度工作报告), so the 年报 column has the real report;
- published items of 2018-2025 for 诸往镇, 夏村镇 and the city on the seed report's themes
  (财政预决算, 新农村建设, 社会救助, 民生工程, 应急管理, 重要会议…), brought in the way a legacy
  site is, through the catalog import, so they keep their dates;
- 诸往镇's 政府信息公开指南 text and its 政府信息公开制度 pages, from the report's 制度建设 section.

Everything is looked up first, so running the demo twice adds nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path

from gongkai.accounts.models import Unit
from gongkai.catalog import importer
from gongkai.catalog.models import ItemVersion
from gongkai.core.demo import DemoContext, step
from gongkai.lib.tabular import Row, Table
from gongkai.portal import actions
from gongkai.portal.models import GuideText, Page

REPORT_FILE = Path(__file__).parent / "demo_data" / "zhuwang-2017-annual-report.txt"
REPORT_TITLE = "乳山市诸往镇2017年政府信息公开工作年度报告"

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SUBHEADING = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")


def report_html(text: str) -> str:
    """The plain-text report as HTML: 一、 lines become headings, （一） lines sub-headings."""
    parts = []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        escaped = html.escape(block)
        if _HEADING.match(block) and len(block) < 40:
            parts.append(f"<h2>{escaped}</h2>")
        elif _SUBHEADING.match(block) and len(block) < 40:
            parts.append(f"<h3>{escaped}</h3>")
        else:
            parts.append(f"<p>{escaped}</p>")
    return "".join(parts)


# unit, title, category, genre, topic, formed, published, 发文字号, summary, body
ITEMS: list[tuple[str, ...]] = [
    (
        "zhuwang",
        REPORT_TITLE,
        "platform-annual-report",
        "report",
        "general",
        "2018-01-26",
        "2018-01-29",
        "",
        "诸往镇2017年政府信息公开工作的概述、制度建设、主动公开、"
        "依申请公开、收费、复议诉讼、保密审查及存在的问题和改进措施。",
        "",
    ),
    (
        "zhuwang",
        "诸往镇2018年财政预算公开",
        "art20-07",
        "report",
        "finance",
        "2018-02-08",
        "2018-02-22",
        "诸政发〔2018〕2号",
        "2018年全镇一般公共预算收支和“三公”经费预算。",
        "<p>2018年全镇一般公共预算收入安排3380万元，比上年增长5.6%；支出安排4310万元。</p>"
        "<p>“三公”经费预算17.9万元，其中公务接待费3.2万元、公务用车运行维护费14.7万元。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2018年美丽乡村建设工作方案",
        "site-countryside",
        "programme",
        "agriculture",
        "2018-03-12",
        "2018-03-20",
        "诸政发〔2018〕5号",
        "全镇美丽乡村示范村创建、农村人居环境整治的任务和分工。",
        "<p>2018年全镇创建美丽乡村示范村3个，完成12个村庄的垃圾、污水和厕所改造。</p>"
        "<h2>一、重点任务</h2><ol><li>农村生活垃圾分类减量；</li><li>改厕和污水治理；</li>"
        "<li>村庄绿化美化。</li></ol>",
    ),
    (
        "zhuwang",
        "诸往镇2018年第二季度工作动态",
        "site-news",
        "news",
        "general",
        "2018-07-02",
        "2018-07-05",
        "",
        "第二季度全镇经济运行、重点项目和民生工作进展。",
        "<p>二季度，全镇完成固定资产投资1.2亿元，樱桃采摘节接待游客3.6万人次。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2018年农村低保和特困供养资金发放情况公示",
        "art21-08",
        "publicity",
        "civil-affairs",
        "2018-12-20",
        "2018-12-25",
        "",
        "2018年全年社会救助资金发放情况。",
        "<p>2018年全镇发放农村低保金178.6万元、特困人员供养金64.3万元，惠及群众2310人次。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2019年政府工作报告",
        "platform-meetings",
        "report",
        "general",
        "2019-02-15",
        "2019-02-20",
        "",
        "2018年工作回顾和2019年主要任务。",
        "<h2>一、2018年工作回顾</h2><p>全镇地区生产总值增长6.8%，新建农村公路18公里。</p>"
        "<h2>二、2019年主要任务</h2><p>推进乡村振兴，发展樱桃、苹果特色产业，改善农村人居环境。</p>",
    ),
    (
        "zhuwang",
        "诸往镇农田水利工程建设运营情况（2019年）",
        "art21-02",
        "report",
        "agriculture",
        "2019-11-10",
        "2019-11-18",
        "",
        "2019年塘坝、灌溉渠道和机井建设维护情况。",
        "<p>2019年全镇新建塘坝2座、维修灌溉渠道9.6公里、新打机井15眼，新增有效灌溉面积1200亩。</p>",
    ),
    (
        "zhuwang",
        "诸往镇农村土地承包经营权流转情况（2019年）",
        "art21-03",
        "publicity",
        "agriculture",
        "2019-12-05",
        "2019-12-12",
        "",
        "2019年全镇土地流转面积、合同备案情况。",
        "<p>2019年全镇新增土地流转面积3260亩，签订规范流转合同186份，均已在镇农业站备案。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2020年新冠肺炎疫情防控工作方案",
        "art20-12",
        "programme",
        "health",
        "2020-01-27",
        "2020-01-28",
        "诸政发〔2020〕1号",
        "疫情防控的组织领导、排查、物资保障和宣传。",
        "<p>为切实做好新冠肺炎疫情防控工作，保障人民群众生命安全和身体健康，制定本方案。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2020年宅基地使用审核情况公示",
        "art21-04",
        "publicity",
        "land",
        "2020-09-25",
        "2020-09-30",
        "",
        "2020年前三季度农村宅基地申请和审核结果。",
        "<p>2020年前三季度共受理农村宅基地申请21件，审核同意18件，不予同意3件。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2021年财政预算公开",
        "art20-07",
        "report",
        "finance",
        "2021-02-05",
        "2021-02-18",
        "诸政发〔2021〕3号",
        "2021年全镇一般公共预算收支和“三公”经费预算。",
        "<p>2021年全镇一般公共预算收入安排3950万元，支出安排4880万元，“三公”经费预算15.2万元。</p>",
    ),
    (
        "zhuwang",
        "诸往镇防汛抗旱应急预案（2022年修订）",
        "art20-12",
        "programme",
        "security",
        "2022-05-10",
        "2022-05-16",
        "诸政发〔2022〕9号",
        "汛期和旱情的监测预警、应急响应和保障措施。",
        "<p>本预案适用于本镇行政区域内洪涝、干旱灾害的预防和应急处置。</p>"
        "<h2>应急响应</h2><p>根据灾情分为四级响应，由镇防汛抗旱指挥部统一指挥。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2023年筹资筹劳情况公示",
        "art21-07",
        "publicity",
        "agriculture",
        "2023-10-12",
        "2023-10-18",
        "",
        "2023年村级公益事业一事一议筹资筹劳情况。",
        "<p>2023年全镇8个村实施一事一议项目，筹资42.6万元、筹劳1850个工日，用于村内道路和路灯建设。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2024年财政决算公开",
        "art20-07",
        "report",
        "finance",
        "2025-07-20",
        "2025-08-05",
        "",
        "2024年全镇一般公共预算收支决算情况。",
        "<p>2024年全镇一般公共预算收入完成4520万元，完成预算的102.3%；一般公共预算支出5610万元。</p>",
    ),
    (
        "zhuwang",
        "诸往镇2025年公益性岗位招聘公告",
        "art20-11",
        "announcement",
        "labour",
        "2025-03-03",
        "2025-03-06",
        "",
        "招聘乡村公益性岗位人员的岗位、条件和报名方式。",
        "<p>根据乳山市公益性岗位开发管理办法，诸往镇招聘乡村公益性岗位人员30名，报名时间为3月10日至14日。</p>",
    ),
    (
        "zhuwang",
        "关于做好2025年秋冬季森林防火工作的通知",
        "art20-12",
        "notice",
        "security",
        "2025-10-20",
        "2025-10-22",
        "诸政字〔2025〕31号",
        "秋冬季森林防火责任落实、巡查和火源管控。",
        "<p>各村、各有关单位：进入秋冬季森林防火期，现就做好森林防火工作通知如下。</p>"
        "<ol><li>落实包山头、包地块责任；</li><li>严禁野外用火；</li><li>加强巡查值守。</li></ol>",
    ),
    (
        "xiacun",
        "夏村镇2024年财政预算公开",
        "art20-07",
        "report",
        "finance",
        "2024-02-06",
        "2024-02-20",
        "夏政发〔2024〕2号",
        "2024年夏村镇一般公共预算收支安排。",
        "<p>2024年全镇一般公共预算收入安排5210万元，支出安排6340万元。</p>",
    ),
    (
        "xiacun",
        "夏村镇2024年社会救助资金发放情况",
        "art21-08",
        "publicity",
        "civil-affairs",
        "2024-12-18",
        "2024-12-24",
        "",
        "2024年城乡低保、特困供养和临时救助资金发放。",
        "<p>2024年全镇发放城乡低保金236.4万元、特困供养金88.1万元、临时救助金12.6万元。</p>",
    ),
    (
        "xiacun",
        "关于开展2025年春季农田水利基本建设的通知",
        "art21-02",
        "notice",
        "agriculture",
        "2025-02-24",
        "2025-02-26",
        "夏政字〔2025〕6号",
        "春季塘坝清淤、渠道维修和节水灌溉任务。",
        "<p>各村：为做好春季农田水利基本建设，确保春灌用水，现将有关事项通知如下。</p>",
    ),
    (
        "rushan",
        "乳山市2024年国民经济和社会发展统计公报",
        "art20-04",
        "statistics",
        "economy",
        "2025-03-20",
        "2025-03-28",
        "",
        "2024年全市经济运行、农业、工业、民生等主要统计数据。",
        "<p>2024年全市实现地区生产总值增长5.9%，农村居民人均可支配收入增长6.8%。</p>",
    ),
    (
        "rushan",
        "乳山市政府信息公开工作年度报告（2024年）",
        "platform-annual-report",
        "annual-report",
        "general",
        "2025-01-20",
        "2025-01-24",
        "",
        "2024年乳山市人民政府政府信息公开工作情况。",
        "<p>2024年，乳山市认真贯彻《中华人民共和国政府信息公开条例》，全年主动公开政府信息2860条，"
        "受理政府信息公开申请46件，均在法定期限内答复。</p>",
    ),
    (
        "rushan",
        "乳山市关于进一步规范政府信息公开申请办理工作的通知",
        "art20-01",
        "normative",
        "general",
        "2024-06-10",
        "2024-06-17",
        "乳政办发〔2024〕8号",
        "依申请公开的登记、审核、办理、答复、归档程序。",
        "<p>各镇人民政府、街道办事处，市政府各部门：为进一步规范政府信息公开申请办理工作，"
        "按照登记、审核、办理、答复、归档的程序，现就有关事项通知如下。</p>",
    ),
]

GUIDE = {
    "office_name": "乳山市诸往镇人民政府党政办公室（政府信息公开办公室）",
    "arrangement": "<p>本镇政府信息同时按网站栏目“工作动态、新农村建设、社会事业、民生工程”编排，"
    "并公开到乳山市政府信息公开平台“区办镇信息目录”下。</p>",
    "proactive": "<p>除本网站外，本镇还通过镇政务公开栏、村务公开栏和政府热线（0631-6366000）"
    "公开和解答政府信息。</p>",
    "on_request": "<p>申请表可在镇党政办公室领取，也可在本网站下载。一事一申请，一事一答复。</p>",
    "supervision": "<p>对本镇政府信息公开工作的意见和建议，可通过镇长信箱或热线电话反映。</p>",
}

PAGES = [
    (
        "诸往镇政府信息公开工作制度",
        "<p>为了规范诸往镇人民政府政府信息公开工作，保障公民、法人和其他组织的知情权，根据《中华人民共和国"
        "政府信息公开条例》，结合我镇实际，制定本制度。</p><p>镇政府信息公开工作领导小组负责研究、协调和处理"
        "政府信息公开过程中的重要事项。领导小组办公室设在党政办公室，负责信息审核、信息编目和依申请公开处理，"
        "做好对各站所送交信息的检查和核实。</p><p>公开政府信息，应以原文、原条款、原词句公开，不得加入个人理解性、"
        "判断性的内容。</p>",
    ),
    (
        "政府信息发布保密审查制度",
        "<p>根据“业务谁主管，保密谁负责”和“未经审核的信息不准上网”的原则，各科在形成政府信息的过程中，"
        "要严格界定政府信息的密与非密，区分主动公开政府信息和不予公开的政府信息。</p>"
        "<p>所有政府信息必须经镇领导审签后才能按要求公开，确保“上网信息不涉密，涉密信息不上网”。</p>",
    ),
    (
        "依申请公开政府信息工作规程",
        "<p>对于受理的政府信息公开申请，按照登记、审核、办理、答复、归档的程序办理，"
        "及时向镇领导汇报，并协调相关站所在法定期限内做好答复工作。</p>"
        "<p>依申请公开政府信息应按照一事一申请、一事一答复的要求进行。</p>",
    ),
    (
        "政府信息公开工作考核和责任追究制度",
        "<p>镇政府信息公开工作领导小组定期组织开展政府信息公开工作的检查评议，重点检查制度和职责的落实情况。</p>"
        "<p>未按照《条例》和本镇制度履行政府信息公开工作职责的，视情追究相关责任人的责任。</p>",
    ),
]


def _items(ctx: DemoContext) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in={row[0] for row in ITEMS})}
    existing = set(ItemVersion.objects.values_list("title", flat=True))
    rows = []
    for line, values in enumerate(ITEMS, start=2):
        unit, title, category, genre, topic, formed, published, number, summary, body = values
        if unit not in units or title in existing:
            continue
        if title == REPORT_TITLE:
            body = report_html(REPORT_FILE.read_text(encoding="utf-8"))
        fields = {
            "unit": unit,
            "title": title,
            "category": category,
            "genre": genre,
            "topic": topic,
            "formed_date": formed,
            "published_date": published,
            "document_number": number,
            "summary": summary,
            "body": body,
        }
        rows.append(Row(line, fields))
    if rows:
        result = importer.import_rows(Table("demo", [], [], rows), source="portal-demo")
        ctx.count("已公开信息（门户演示）", len(result.imported))


def _texts(ctx: DemoContext) -> None:
    zhuwang = Unit.objects.filter(code="zhuwang").first()
    if zhuwang is None:
        return
    if not GuideText.objects.filter(unit=zhuwang).exists():
        actions.guide_update(actor=None, unit=zhuwang, **GUIDE)
        ctx.count("政府信息公开指南")
    for n, (title, body) in enumerate(PAGES, start=1):
        if not Page.objects.filter(unit=zhuwang, title=title).exists():
            actions.page_create(actor=None, unit=zhuwang, title=title, body=body, sort_order=n * 10)
            ctx.count("制度页面")


@step(300, name="portal.content")
def portal_content(ctx: DemoContext) -> None:
    """The 2017 annual report, published items of 2018-2025 and 诸往镇's 指南 and 制度 pages."""
    _items(ctx)
    _texts(ctx)
