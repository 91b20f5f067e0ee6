"""The built-in wording of every letter of 依申请公开 (DOMAIN.md §3), and the placeholders each
one may use. An organ may replace title and body with its own (LetterTemplate rows, edited on
the staff settings page); these defaults apply until it does.

A body is plain text: one paragraph per line, placeholders in braces such as {申请人}; a literal
brace is written twice ({{ or }}). The first line is the salutation (no indent). The remedy
paragraph {救济途径} is composed by gongkai.applications.letters from the decision and the organ's
settings, so a refusal always points to 行政复议 first (行政复议法 第二十三条第一款第（四）项).
Each reply cites the article the 条例 provides for its case (docs/domain-notes.md): 3.3.8 is a
referral (第三十六条第（七）项), 3.5.2 不予重复处理 (第三十六条第（六）项), 3.5.3 tells where the
publication can be had (第三十九条第二款), 3.5.4 follows the 第三十五条 procedure, and 3.5.5 cites
no article (the organ's reviewed text).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongkai.applications.codes import Decision
from gongkai.applications.models import Letter

BLANK = "＿＿＿＿"


def format_date(day: datetime.date | None) -> str:
    """A date as letters write it: 2026年3月5日 (a blank to fill in by hand when unknown)."""
    if day is None:
        return BLANK
    return f"{day.year}年{day.month}月{day.day}日"


# Placeholder -> what it stands for (shown beside the template editor).
COMMON: dict[str, str] = {
    "机关名称": "受理机关全称",
    "申请人": "申请人姓名或单位名称",
    "申请编号": "申请编号",
    "提交日期": "申请提交日期",
    "收到日期": "收到申请日期",
    "申请内容": "所需信息的内容描述",
    "所需信息文号": "申请人填写的文件名称或文号（未填写时为空）",
    "提供形式": "申请人要求的提供形式",
    "获取方式": "申请人要求的获取方式",
    "答复期限": "当前的答复期限",
    "出具日期": "文书出具日期",
    "联系电话": "本机关联系电话",
    "办公地址": "本机关办公地址",
}
DECISION: dict[str, str] = {
    "答复情形": "办理结果的说明，如“属于国家秘密”",
    "法律依据": "拟定答复时填写的法律依据",
    "理由": "拟定答复时填写的理由",
    "提供的信息": "随答复提供的文件名称",
    "负责机关": "负责公开该信息的机关（非本机关信息）",
    "查询途径": "办理查询的机关、地点和方式（行政查询事项、公开出版物）",
    "救济途径": "行政复议、行政诉讼的告知（按答复类型自动生成）",
    "复议机关": "行政复议机关",
    "人民法院": "管辖人民法院",
}
CORRECTION: dict[str, str] = {"补正事项": "需要补正的事项", "补正期限": "补正期限（含当日）"}
EXTENSION: dict[str, str] = {
    "延长天数": "延长的工作日数",
    "延期理由": "延期理由",
    "原答复期限": "延期前的答复期限",
}
EXCESSIVE: dict[str, str] = {
    "说明理由期限": "申请人说明理由的期限（工作日数）",
    "说明理由截止日": "说明理由的最后一日",
    "延迟答复期限": "依条例第三十五条确定的答复期限",
    "延迟答复理由": "确定延迟答复期限的理由",
}
CONSULTATION: dict[str, str] = {
    "征求对象": "被征求意见的第三方或机关",
    "征求事项": "征求意见的事项",
    "意见期限": "提出意见的最后一日",
}
FEE: dict[str, str] = {
    "收费方式": "按件计收或按量计收",
    "收费标准": "适用的收费标准及分档计算过程",
    "收费数量": "计费数量",
    "收费金额": "收费金额（元）",
    "金额调整": "调整金额的说明（按标准计算时为空）",
    "缴费方式": "本机关设置的缴纳方式",
    "收款账户": "本机关设置的收款单位及账户",
    "救济途径": DECISION["救济途径"],
    "复议机关": DECISION["复议机关"],
    "人民法院": DECISION["人民法院"],
}


@dataclass(frozen=True)
class LetterSpec:
    key: str
    kind: str  # Letter.Kind
    title: str
    body: str
    placeholders: dict[str, str]
    required: frozenset[str]
    to_applicant: bool = True
    label: str = ""  # what the template is for, when the title alone does not say it


_SALUTE = "{申请人}：\n"
_HEAD = (
    "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），"
    "申请获取“{申请内容}”。\n"
)

SPECS: dict[str, LetterSpec] = {}


def _add(spec: LetterSpec) -> None:
    SPECS[spec.key] = spec


_add(
    LetterSpec(
        key="receipt",
        kind=Letter.Kind.RECEIPT,
        title="政府信息公开申请登记回执",
        body=_SALUTE
        + "本机关于{收到日期}收到您提出的政府信息公开申请，已予登记，申请编号为{申请编号}。"
        "您申请获取的政府信息为：“{申请内容}”。\n"
        "根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将自收到申请之日起20个工作日内"
        "作出答复，即在{答复期限}前答复；需要延长答复期限的，将书面告知您。本机关通知您补正申请、"
        "征求第三方或者其他机关意见的，所需时间依法不计算在答复期限内。\n"
        "您可以凭申请编号和申请时取得的查询码在本机关政府信息公开网站查询办理进度。"
        "如有疑问，请拨打{联系电话}。\n",
        placeholders=COMMON,
        required=frozenset({"申请编号", "收到日期"}),
    )
)
_add(
    LetterSpec(
        key="correction",
        kind=Letter.Kind.CORRECTION,
        title="政府信息公开申请补正通知书",
        body=_SALUTE + "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。"
        "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第二十九条、第三十条的规定，"
        "请您对以下内容作出补正：\n"
        "{补正事项}\n"
        "请您于{补正期限}前（含当日）补正。答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
        "您可以凭申请编号和查询码在本机关网站“依申请公开—查询办理进度”在网上补正，"
        "填写补正内容并上传材料；也可以通过以下方式补正。\n"
        "联系电话：{联系电话}；通信地址：{办公地址}。\n",
        placeholders={**COMMON, **CORRECTION},
        required=frozenset({"申请编号", "补正事项", "补正期限"}),
    )
)
_add(
    LetterSpec(
        key="extension",
        kind=Letter.Kind.EXTENSION,
        title="延期答复告知书",
        body=_SALUTE + "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。"
        "因{延期理由}，本机关不能在原答复期限（{原答复期限}）内作出答复。"
        "经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国政府信息公开条例》第三十三条"
        "第二款的规定，答复期限延长{延长天数}个工作日，本机关将在{答复期限}前作出答复。\n"
        "特此告知。\n",
        placeholders={**COMMON, **EXTENSION},
        required=frozenset({"申请编号", "延长天数", "答复期限"}),
    )
)
_add(
    LetterSpec(
        key="consultation",
        kind=Letter.Kind.CONSULTATION,
        title="第三方意见征询函",
        body="{征求对象}：\n"
        "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请公开“{申请内容}”。"
        "经审查，公开该信息可能损害您（单位）的合法权益。根据《中华人民共和国政府信息公开条例》"
        "第三十二条的规定，现书面征求您的意见：\n"
        "{征求事项}\n"
        "请您自收到本函之日起15个工作日内（{意见期限}前）书面提出意见。逾期未提出意见的，由本机关"
        "依照条例的规定决定是否公开。您不同意公开且有合理理由的，本机关不予公开；本机关认为不公开"
        "可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您。\n"
        "联系电话：{联系电话}；通信地址：{办公地址}。\n",
        placeholders={**COMMON, **CONSULTATION},
        required=frozenset({"申请编号", "征求对象", "意见期限"}),
        to_applicant=False,
    )
)
_add(
    LetterSpec(
        key="consultation_organ",
        kind=Letter.Kind.CONSULTATION,
        title="政府信息公开征求意见函",
        body="{征求对象}：\n"
        "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请公开“{申请内容}”。"
        "该信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，"
        "现征求贵机关意见：\n"
        "{征求事项}\n"
        "请贵机关自收到本函之日起15个工作日内（{意见期限}前）提出意见，逾期未提出意见的视为同意公开。\n"
        "联系电话：{联系电话}。\n",
        placeholders={**COMMON, **CONSULTATION},
        required=frozenset({"申请编号", "征求对象", "意见期限"}),
        to_applicant=False,
        label="征求其他行政机关意见",
    )
)
_add(
    LetterSpec(
        key="fee",
        kind=Letter.Kind.FEE,
        title="收费通知书",
        body=_SALUTE + "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。"
        "您申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》"
        "第四十二条第一款和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "本机关决定对该申请收取信息处理费，计收方式为{收费方式}。\n"
        "收费标准及计算：{收费标准}应缴纳信息处理费人民币{收费金额}元。{金额调整}\n"
        "缴纳方式：{缴费方式}收款单位及账户：{收款账户}\n"
        "请您自收到本通知书之日的次日起20个工作日内缴纳。逾期未缴纳的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。自本机关发出本通知书之日至您缴纳费用之日的期间，"
        "不计算在答复期限内。\n"
        "联系电话：{联系电话}；通信地址：{办公地址}。\n"
        "{救济途径}\n",
        placeholders={**COMMON, **FEE},
        required=frozenset({"申请编号", "收费方式", "收费标准", "收费金额", "救济途径"}),
    )
)
_add(
    LetterSpec(
        key="excessive_notice",
        kind=Letter.Kind.OTHER,
        title="要求说明申请理由通知书",
        body=_SALUTE + _HEAD + "经审查，您申请公开政府信息的数量、频次明显超过合理范围。"
        "根据《中华人民共和国政府信息公开条例》第三十五条的规定，请您自收到本通知书之日起"
        "{说明理由期限}个工作日内（{说明理由截止日}前）向本机关书面说明申请理由。\n"
        "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在条例第三十三条"
        "规定的期限内答复的，将确定延迟答复的合理期限并告知您。\n"
        "联系电话：{联系电话}；通信地址：{办公地址}。\n",
        placeholders={**COMMON, **EXCESSIVE},
        required=frozenset({"申请编号", "说明理由期限"}),
        label="条例第三十五条：要求说明理由",
    )
)
_add(
    LetterSpec(
        key="excessive_delay",
        kind=Letter.Kind.OTHER,
        title="延迟答复告知书",
        body=_SALUTE + _HEAD + "您申请公开政府信息的数量、频次明显超过合理范围。经审查，"
        "本机关认为您说明的申请理由合理，但是无法在《中华人民共和国政府信息公开条例》"
        "第三十三条规定的期限内答复。根据条例第三十五条的规定，本机关确定延迟答复的期限，"
        "将在{延迟答复期限}前作出答复。理由：{延迟答复理由}\n"
        "特此告知。\n",
        placeholders={**COMMON, **EXCESSIVE},
        required=frozenset({"申请编号", "延迟答复期限"}),
        label="条例第三十五条：确定延迟答复期限",
    )
)
_DECISION_PLACEHOLDERS = {**COMMON, **DECISION}
_DECISION_REQUIRED = frozenset({"申请编号", "法律依据", "救济途径"})
_add(
    LetterSpec(
        key="disclosure",
        kind=Letter.Kind.DISCLOSURE,
        title="政府信息公开告知书",
        body=_SALUTE + _HEAD + "经审查，您申请获取的政府信息属于公开范围。根据{法律依据}的规定，"
        "本机关予以公开，现以{提供形式}形式、通过{获取方式}方式向您提供。{理由}\n"
        "提供的信息：{提供的信息}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
    )
)
_add(
    LetterSpec(
        key="partial",
        kind=Letter.Kind.PARTIAL,
        title="政府信息部分公开告知书",
        body=_SALUTE
        + _HEAD
        + "经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。"
        "根据{法律依据}的规定，本机关对可以公开的部分予以提供，对不应当公开的内容不予公开。"
        "不予公开的理由：{理由}\n"
        "提供的信息：{提供的信息}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED | {"理由"},
    )
)
_add(
    LetterSpec(
        key="refusal",
        kind=Letter.Kind.REFUSAL,
        title="政府信息不予公开告知书",
        body=_SALUTE + _HEAD + "经审查，您申请获取的政府信息{答复情形}。根据{法律依据}的规定，"
        "本机关决定不予公开。理由：{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED | {"理由"},
    )
)
_add(
    LetterSpec(
        key="nonexistent",
        kind=Letter.Kind.NONEXISTENT,
        title="政府信息不存在告知书",
        body=_SALUTE
        + _HEAD
        + "经检索查找，本机关未制作、获取您申请公开的政府信息，该政府信息不存在。"
        "根据{法律依据}的规定，特此告知。{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
    )
)
_add(
    LetterSpec(
        key="not_this_organ",
        kind=Letter.Kind.NOT_THIS_ORGAN,
        title="非本机关政府信息告知书",
        body=_SALUTE + _HEAD + "经审查，您申请获取的政府信息不属于本机关负责公开。"
        "根据{法律依据}的规定，{负责机关}{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED | {"负责机关"},
    )
)
_add(
    LetterSpec(
        key="unavailable",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请告知书",
        body=_SALUTE
        + _HEAD
        + "经审查，{答复情形}。根据{法律依据}的规定，本机关无法向您提供该政府信息。"
        "理由：{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="无法提供（需另行制作、补正后仍不明确）",
    )
)
_add(
    LetterSpec(
        key="not_processed",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请处理告知书",
        body=_SALUTE
        + _HEAD
        + "经审查，{答复情形}。根据{法律依据}的规定，本机关不作为政府信息公开申请"
        "处理。{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="信访、举报、投诉（3.5.1）",
    )
)
_add(
    LetterSpec(
        key="inquiry",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请告知书",
        body=_SALUTE
        + _HEAD
        + "经审查，您申请公开的信息属于有关法律、行政法规对信息的获取有特别规定的"
        "行政查询事项。根据{法律依据}的规定，请您依照有关法律、行政法规的规定办理：{查询途径}"
        "{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED | {"查询途径"},
        label="行政查询事项（3.3.8）",
    )
)
_add(
    LetterSpec(
        key="repeat",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请处理告知书",
        body=_SALUTE + _HEAD + "经审查，本机关已就您提出的政府信息公开申请作出答复，您重复申请公开"
        "相同的政府信息。根据{法律依据}的规定，本机关不予重复处理。{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="重复申请（3.5.2）",
    )
)
_add(
    LetterSpec(
        key="publication",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请告知书",
        body=_SALUTE + _HEAD + "经审查，您要求提供的是政府公报、报刊、书籍等公开出版物。"
        "根据{法律依据}的规定，现告知您获取的途径：{查询途径}{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED | {"查询途径"},
        label="公开出版物（3.5.3）",
    )
)
_add(
    LetterSpec(
        key="excessive",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请处理告知书",
        body=_SALUTE
        + _HEAD
        + "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。"
        "经审查，本机关认为申请理由不合理。根据{法律依据}的规定，本机关不予处理。{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="无正当理由大量、反复申请（3.5.4）",
    )
)
_add(
    LetterSpec(
        key="confirm_obtained",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请处理告知书",
        body=_SALUTE + _HEAD + "经审查，您要求本机关确认或者重新出具您已经获取的信息。{法律依据}"
        "{理由}\n"
        "{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="要求确认或重新出具已获取信息（3.5.5）",
    )
)
_add(
    LetterSpec(
        key="other",
        kind=Letter.Kind.OTHER,
        title="政府信息公开申请答复书",
        body=_SALUTE + _HEAD + "经审查，根据{法律依据}的规定，答复如下：{理由}\n{救济途径}\n",
        placeholders=_DECISION_PLACEHOLDERS,
        required=_DECISION_REQUIRED,
        label="其他处理",
    )
)

# How each decision reads inside a sentence ("您申请获取的政府信息{答复情形}").
DECISION_PHRASES: dict[str, str] = {
    Decision.DISCLOSED: "属于公开范围",
    Decision.PARTLY: "含有不应当公开的内容，能够作区分处理",
    Decision.STATE_SECRET: "属于国家秘密",
    Decision.LAW_PROHIBITS: "属于法律、行政法规禁止公开的政府信息",
    Decision.THREE_SAFETIES: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Decision.THIRD_PARTY: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Decision.INTERNAL_AFFAIRS: "属于人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    Decision.PROCESS_INFO: "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    Decision.ENFORCEMENT_FILE: "属于行政执法案卷信息",
    Decision.INQUIRY: "属于行政查询事项，请按照有关法律、行政法规的规定办理",
    Decision.NOT_HELD: "本机关不掌握该政府信息",
    Decision.NEEDS_CREATION: "您申请的政府信息需要本机关对现有政府信息进行加工、分析，没有现成信息",
    Decision.STILL_UNCLEAR: "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息",
    Decision.PETITION: "您以政府信息公开申请的形式进行信访、投诉、举报等活动",
    Decision.REPEAT: "您的申请与此前已答复的申请内容相同，属于重复申请",
    Decision.PUBLICATION: "您要求提供的是政府公报、报刊、书籍等公开出版物",
    Decision.EXCESSIVE: "您无正当理由大量、反复申请公开政府信息",
    Decision.CONFIRM_OBTAINED: "您要求本机关确认或者重新出具已经获取的信息",
    Decision.OTHER: "",
}

# The legal basis a drafter starts from (the form pre-fills it; the drafter may change it).
_L = "《中华人民共和国政府信息公开条例》"
DEFAULT_BASIS: dict[str, str] = {
    Decision.DISCLOSED: _L + "第三十六条第（二）项",
    Decision.PARTLY: _L + "第三十七条",
    Decision.STATE_SECRET: _L + "第十四条、第三十六条第（三）项",
    Decision.LAW_PROHIBITS: _L + "第十四条、第三十六条第（三）项",
    Decision.THREE_SAFETIES: _L + "第十四条、第三十六条第（三）项",
    Decision.THIRD_PARTY: _L + "第十五条、第三十二条、第三十六条第（三）项",
    Decision.INTERNAL_AFFAIRS: _L + "第十六条第一款、第三十六条第（三）项",
    Decision.PROCESS_INFO: _L + "第十六条第二款、第三十六条第（三）项",
    Decision.ENFORCEMENT_FILE: _L + "第十六条第二款、第三十六条第（三）项",
    Decision.INQUIRY: _L + "第三十六条第（七）项",  # a referral, not a refusal
    Decision.NOT_HELD: _L + "第三十六条第（四）项",
    Decision.NEEDS_CREATION: _L + "第三十八条",
    Decision.STILL_UNCLEAR: _L + "第三十条",
    Decision.PETITION: _L + "第三十九条第一款",
    Decision.REPEAT: _L + "第三十六条第（六）项",
    Decision.PUBLICATION: _L + "第三十九条第二款",
    Decision.EXCESSIVE: _L + "第三十五条",
    # No article of the 条例 names this case (39② covers only 公开出版物): the organ's own
    # reviewed text (OrganSettings.confirm_obtained_text) or this, which cites nothing.
    Decision.CONFIRM_OBTAINED: "该要求不属于申请获取政府信息，本机关不作为政府信息公开申请处理。",
    Decision.OTHER: _L,
}
NOT_THIS_ORGAN_BASIS = _L + "第三十六条第（五）项"


_NOT_PROCESSED_KEYS = {
    Decision.PETITION: "not_processed",
    Decision.REPEAT: "repeat",
    Decision.PUBLICATION: "publication",
    Decision.EXCESSIVE: "excessive",
    Decision.CONFIRM_OBTAINED: "confirm_obtained",
}


def key_for_decision(decision: str, not_held: str = "") -> str | None:
    """The template key of the reply letter for `decision`; None for the decisions the system
    sets when a period runs out (3.6.1, 3.6.2), which need no reply letter."""
    if decision == Decision.DISCLOSED:
        return "disclosure"
    if decision == Decision.PARTLY:
        return "partial"
    if decision == Decision.INQUIRY:
        return "inquiry"
    if decision.startswith("3.3."):
        return "refusal"
    if decision == Decision.NOT_HELD:
        return "not_this_organ" if not_held == "not_this_organ" else "nonexistent"
    if decision in (Decision.NEEDS_CREATION, Decision.STILL_UNCLEAR):
        return "unavailable"
    if decision in _NOT_PROCESSED_KEYS:
        return _NOT_PROCESSED_KEYS[decision]
    if decision == Decision.OTHER:
        return "other"
    return None


def spec_label(spec: LetterSpec) -> str:
    return f"{spec.title}（{spec.label}）" if spec.label else spec.title


TEMPLATE_HELP = _(
    "每段一行。用大括号写占位符，如 {申请人}；要写大括号本身，请连写两个（{{ 或 }}）。"
    "救济途径由系统按答复类型和本机关设置的复议机关、法院生成。"
)
