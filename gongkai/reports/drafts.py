"""Drafts of the prose sections 一 (总体情况) and 六 (其他需要报告的事项) with the year's figures
filled in. The office edits them; they are a starting point, never the final word.

The text is part of the report, so it is Chinese whatever the interface language. Where only the
office can know the answer, the draft holds a prompt in 〔请填写：…〕 brackets; finalising refuses
a report that still contains one (`has_prompt`).
"""

from __future__ import annotations

import logging
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
    fmt = doc["format"]
    proactive, table, remedies = doc["proactive"], doc["applications"], doc["remedies"]
    paragraphs = [
        f"{year}年，{unit.name}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
        "不公开为例外，依法依规做好政府信息公开工作。现将本年度政府信息公开工作有关情况报告如下。"
    ]
    late = compute.late_items(unit, year)
    text = f"（一）主动公开。全年主动公开政府信息{late['published']}条"
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
        text = "（二）依申请公开。全年未收到政府信息公开申请，无上年结转申请。"
    else:
        text = (
            f"（二）依申请公开。全年新收政府信息公开申请{new}件，上年结转{carried}件；"
            f"办结{table['3.7']['total']}件，其中予以公开{table['3.1']['total']}件、"
            f"部分公开{table['3.2']['total']}件、不予公开{_sum(table, '3.3')}件、"
            f"无法提供{_sum(table, '3.4')}件、不予处理{_sum(table, '3.5')}件、"
            f"其他处理{_sum(table, '3.6')}件；结转下年度继续办理{table['4']['total']}件。"
        )
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
    interaction = interaction_sentence(unit, year)
    if interaction:
        paragraphs.append(f"（三）互动交流。{interaction}")
    return "\n\n".join(paragraphs)


def section_6(unit: Unit, year: int, doc: dict[str, Any]) -> str:
    amount, count = compute.fees(unit, year)
    if amount:
        fee = (
            f"（一）信息处理费收取情况。{year}年，本机关依据《政府信息公开信息处理费管理办法》"
            f"（国办函〔2020〕109号）对{count}件政府信息公开申请收取信息处理费，"
            f"共计{amount:.2f}元。"
        )
    else:
        fee = f"（一）信息处理费收取情况。{year}年，本机关未收取政府信息公开信息处理费。"
    # 条例第五十条: a government's report also covers 工作考核、社会评议和责任追究结果.
    assessment = f"（二）工作考核、社会评议和责任追究结果。{ASSESSMENT_PROMPT}"
    return f"{fee}\n\n{assessment}"


DRAFTERS = {"1": section_1, "6": section_6}
