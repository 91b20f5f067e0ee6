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

from gongkai.accounts.models import Unit
from gongkai.inspection.base import Context, Indicator, Outcome, RunData
from gongkai.inspection.rules import Thresholds
from gongkai.inspection.scored import (
    annual_report,
    attachments,
    forms,
    four_part,
    guide,
    interpretation,
    links,
    personal_data,
    personal_data_findings,
    timeliness,
    validity,
    wording_check,
)
from gongkai.inspection.vetoes import (
    availability,
    column_update,
    home_update,
    interaction,
    security,
    services,
)

__all__ = [
    "BY_CODE",
    "INDICATORS",
    "Context",
    "Indicator",
    "Outcome",
    "RunData",
    "compute_all",
    "compute_one",
    "personal_data_findings",
]

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
