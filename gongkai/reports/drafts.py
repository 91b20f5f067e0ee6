"""Drafts of the prose sections 一 (总体情况) and 六 (其他需要报告的事项) with the year's figures
filled in. The office edits them; they are a starting point, never the final word.

The text is part of the report, so it is Chinese whatever the interface language. Where only the
office can know the answer, the draft holds a prompt in 〔请填写：…〕 brackets; finalising refuses
a report that still contains one (`has_prompt`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.apps import apps
from django.utils import translation

from gongkai.accounts.models import Unit
from gongkai.reports import compute, formats

logger = logging.getLogger(__name__)

PROMPT_MARK = "〔请填写"
ASSESSMENT_PROMPT = (
    "〔请填写：本年度政府信息公开工作考核结果、社会评议情况和责任追究结果；没有的请写明“无”。〕"
)


def has_prompt(text: str) -> bool:
    return PROMPT_MARK in (text or "")


def _sum(table: dict[str, dict[str, int]], prefix: str) -> int:
    return sum(values["total"] for code, values in table.items() if code.startswith(prefix))


def interaction_sentence(unit: Unit, year: int) -> str:
    """The mailbox, hotline and reading-point figures, when the interaction app is there."""
    if not apps.is_installed("gongkai.interaction"):
        return ""
    try:
        from gongkai.interaction import queries as interaction_queries

        with translation.override("zh-hans"):
            return interaction_queries.interaction_summary(unit, year).sentence()
    except (ImportError, AttributeError) as exc:  # an older interaction app without it
        logger.info("interaction figures unavailable for the report draft: %s", exc)
        return ""


PROMPTS = {
    "management": (
        "〔请填写：政府信息公开保密审查、公开属性认定、规范性文件清理等政府信息管理工作情况。〕"
    ),
    "platform": "〔请填写：政府网站信息公开专栏、政务新媒体等平台建设情况。〕",
    "training": "〔请填写：本年度政府信息公开教育培训情况；没有的请写明“无”。〕",
}
PROMPT_RE = re.compile(r"〔请填写[^〕]*〕")
PARTS = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）平台建设",
    "（五）监督保障",
)


def prompts_in(text: str) -> list[str]:
    """What the office still has to write: each prompt's request, without its brackets."""
    return [
        m.group(0)[1:-1].removeprefix("请填写：").rstrip("。") for m in PROMPT_RE.finditer(text)
    ]


def without_prompts(text: str) -> str:
    """The text with its prompts taken out (a draft export lists them instead)."""
    lines = [" ".join(PROMPT_RE.sub("", line).split()) for line in (text or "").split("\n")]
    return "\n".join(line for line in lines if line.strip() or not line)


def _entries(unit: Unit, year: int) -> dict[str, list[str]]:
    from gongkai.reports.models import WorkEntry

    found: dict[str, list[str]] = {}
    for kind, text in WorkEntry.objects.filter(unit=unit, year=year).values_list("kind", "text"):
        found.setdefault(kind, []).append(text.strip().rstrip("。；;，,"))
    return found


def _listed(items: list[str]) -> str:
    return "；".join(items) + "。"


def reply_workdays(unit: Unit, year: int) -> tuple[int, float | None]:
    """Replies delivered in `year` by applications the system handled, and their average
    working days from the day after receipt to the reply (条例33 counts from the day after;
    the ledger's imported rows were not handled here and are left out)."""
    from gongkai.applications.models import Application
    from gongkai.workdays.calendar import MissingCalendarData, workdays_between

    rows = Application.objects.filter(
        organ=unit, reply_date__year=year, imported=False, received_date__isnull=False
    ).values_list("received_date", "reply_date")
    spans = []
    for start, replied in rows:
        try:
            spans.append(workdays_between(start, replied))
        except MissingCalendarData:
            continue
    if not spans:
        return 0, None
    return len(spans), sum(spans) / len(spans)


def _site_columns(unit: Unit) -> tuple[int, int]:
    """The columns of the organ's disclosure site: those of the 法定主动公开内容 (条例第二十条,
    and 第二十一条 for a township) and the others (the shared ones and the organ's own)."""
    from django.db.models import Q

    from gongkai.accounts.models import UnitKind
    from gongkai.catalog.models import Category, CategoryKind

    leaves = Category.objects.filter(is_active=True, parent__isnull=False)
    statutory = leaves.filter(kind=CategoryKind.STATUTORY)
    if unit.kind != UnitKind.TOWNSHIP:
        statutory = statutory.exclude(parent__code="art21")  # 乡（镇）人民政府 only
    columns = leaves.filter(kind=CategoryKind.COLUMN).filter(Q(unit=unit) | Q(unit__isnull=True))
    return statutory.count(), columns.count()


def ratings_sentence(unit: Unit, year: int) -> str:
    """What applicants and letter writers said of the answers they rated in `year` (empty
    when nobody rated one)."""
    from collections import Counter

    from gongkai.applications.models import Application

    counts: Counter[str] = Counter()
    sources = [Application.objects.filter(organ=unit)]
    if apps.is_installed("gongkai.interaction"):
        sources.append(apps.get_model("interaction", "Letter").objects.filter(unit=unit))
    for qs in sources:
        counts.update(
            qs.filter(rated_at__year=year).exclude(rating="").values_list("rating", flat=True)
        )
    total = sum(counts.values())
    if not total:
        return ""
    return (
        f"申请人和来信人在网上对答复作出评价{total}件，其中满意{counts['satisfied']}件、"
        f"基本满意{counts['mostly']}件、不满意{counts['dissatisfied']}件。"
    )


def section_1(unit: Unit, year: int, doc: dict[str, Any]) -> str:
    """一、总体情况 in the five parts the 2021 format names, in its order
    (国办公开办函〔2021〕30号): 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障
    (工作考核、社会评议和责任追究结果 belong under 监督保障). Figures come from the records
    and the tables of the same document; what only the office knows is a prompt."""
    fmt = doc["format"]
    proactive, table, remedies = doc["proactive"], doc["applications"], doc["remedies"]
    entries = _entries(unit, year)
    paragraphs = [
        f"{year}年，{unit.name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
        "不公开为例外，依法依规做好政府信息公开工作。现将本年度政府信息公开工作有关情况报告如下。"
    ]
    late = compute.late_items(unit, year)
    text = f"{PARTS[0]}。全年主动公开政府信息{late['published']}条"
    if late["published"]:
        if late["late"]:
            text += f"，其中超过规定期限公开{late['late']}条"
        elif not late["due_unknown"]:
            text += "，均在信息形成或者变更之日起20个工作日内公开"
        if late["due_unknown"]:
            text += f"，{late['due_unknown']}条因缺少工作日历数据未能核对公开期限"
    text += "。"
    normative = proactive["normative_document"]
    label = "行政规范性文件" if fmt == formats.F2021 else "规范性文件"
    if fmt == formats.F2021:
        text += (
            f"本年制发{label}{normative['issued']}件、废止{normative['repealed']}件，"
            f"截至年底现行有效{normative['in_force']}件。"
        )
    else:
        text += (
            f"本年新制作{label}{normative['made']}件、新公开{normative['published']}件，"
            f"对外公开总数{normative['total_public']}件。"
        )
    paragraphs.append(text)
    new, carried = table["1"]["total"], table["2"]["total"]
    if new + carried == 0:
        text = f"{PARTS[1]}。全年未收到政府信息公开申请，无上年结转申请。"
    else:
        text = (
            f"{PARTS[1]}。全年新收政府信息公开申请{new}件，上年结转{carried}件；"
            f"办结{table['3.7']['total']}件，其中予以公开{table['3.1']['total']}件、"
            f"部分公开{table['3.2']['total']}件、不予公开{_sum(table, '3.3')}件、"
            f"无法提供{_sum(table, '3.4')}件、不予处理{_sum(table, '3.5')}件、"
            f"其他处理{_sum(table, '3.6')}件；结转下年度继续办理{table['4']['total']}件。"
        )
        replied, average = reply_workdays(unit, year)
        if average is not None:
            text += f"本系统办理并答复的{replied}件申请，平均用时{average:.1f}个工作日。"
    reconsideration = remedies["reconsideration"]["total"]
    litigation = (
        remedies["litigation_direct"]["total"]
        + remedies["litigation_after_reconsideration"]["total"]
    )
    if reconsideration or litigation:
        text += f"因政府信息公开引发行政复议{reconsideration}件、行政诉讼{litigation}件。"
    else:
        text += "未发生因政府信息公开引发的行政复议和行政诉讼。"
    text += ratings_sentence(unit, year)
    paragraphs.append(text)
    text = f"{PARTS[2]}。"
    if fmt == formats.F2021:
        regulation = proactive["regulation"]
        repealed = int(normative["repealed"]) + int(regulation["repealed"])
        if repealed:
            text += f"本年对规章和行政规范性文件实行动态管理，清理后废止的共计{repealed}件。"
    text += _listed(entries["management"]) if entries.get("management") else PROMPTS["management"]
    paragraphs.append(text)
    statutory, columns = _site_columns(unit)
    text = f"{PARTS[3]}。"
    if statutory or columns:
        text += f"政府信息公开专栏设置法定主动公开内容栏目{statutory}个"
        text += f"、其他栏目{columns}个。" if columns else "。"
    interaction = interaction_sentence(unit, year)
    if interaction:
        text += interaction if interaction.endswith("。") else interaction + "。"
    text += _listed(entries["platform"]) if entries.get("platform") else PROMPTS["platform"]
    paragraphs.append(text)
    text = f"{PARTS[4]}。"
    training = entries.get("training", [])
    if training:
        text += f"全年开展政府信息公开教育培训{len(training)}次：" + _listed(training)
    else:
        text += PROMPTS["training"]
    results = [
        f"{label}方面，{_listed(entries[kind])}"
        for kind, label in (
            ("assessment", "工作考核"),
            ("evaluation", "社会评议"),
            ("accountability", "责任追究"),
        )
        if entries.get(kind)
    ]
    # 条例第五十条: a government's report also covers 工作考核、社会评议和责任追究结果.
    if results:
        text += "".join(results)
    else:
        text += ASSESSMENT_PROMPT
    paragraphs.append(text)
    return "\n\n".join(paragraphs)


def section_6(unit: Unit, year: int, doc: dict[str, Any]) -> str:
    amount, count = compute.fees(unit, year)
    if amount:
        fee = (
            f"{year}年，本机关依据《政府信息公开信息处理费管理办法》"
            f"（国办函〔2020〕109号）对{count}件政府信息公开申请收取信息处理费，"
            f"共计{amount:.2f}元。"
        )
    else:
        fee = f"{year}年，本机关未收取政府信息公开信息处理费。"
    return fee


DRAFTERS = {"1": section_1, "6": section_6}
