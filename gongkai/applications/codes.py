"""The fixed vocabularies of 依申请公开: channels, applicant types (the annual-report columns),
decisions (the annual-report rows 3.1 … 3.6.3) and the other choice lists.

The codes are a public contract (REPORT_FORMAT.md, INTERFACES.md): the JSON export of a report and
the ledger import use them. Labels of `Decision` are the official row labels without the numbering.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the application arrived (条例29, 31). The channel decides the received date."""

    IN_PERSON = "in_person", _("当面")
    REGISTERED_MAIL = "registered_mail", _("邮寄")
    LETTER = "letter", _("平信")
    ONLINE = "online", _("网上")
    FAX = "fax", _("传真")
    ORAL = "oral", _("口头")


# Channels whose received date is the day both sides confirm receipt (条例31(三)): such an
# application waits in "pending confirmation" until staff confirm and tell the applicant.
CONFIRMATION_CHANNELS = frozenset({Channel.ONLINE, Channel.FAX})


class ApplicantType(models.TextChoices):
    """The applicant columns of the annual report table (REPORT_FORMAT.md section 三)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


ORGANISATION_TYPES = frozenset(ApplicantType.values) - {ApplicantType.NATURAL_PERSON}


class IdDocType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他有效身份证件")


class ProvideForm(models.TextChoices):
    """The form in which the applicant wants the information (条例29(三))."""

    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文档")
    DISC = "disc", _("光盘")
    VIEWING = "viewing", _("现场查阅")
    OTHER = "other", _("其他")


class Delivery(models.TextChoices):
    """How the information or the reply reaches the applicant."""

    MAIL = "mail", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    FAX = "fax", _("传真")
    ONLINE = "online", _("网上答复")
    OTHER = "other", _("其他")


class Decision(models.TextChoices):
    """Exactly one annual-report row per concluded application (DOMAIN.md §3 reply types)."""

    DISCLOSED = "3.1", _("予以公开")
    PARTLY = "3.2", _("部分公开")
    STATE_SECRET = "3.3.1", _("属于国家秘密")
    LAW_PROHIBITS = "3.3.2", _("其他法律行政法规禁止公开")
    THREE_SAFETIES = "3.3.3", _("危及“三安全一稳定”")
    THIRD_PARTY = "3.3.4", _("保护第三方合法权益")
    INTERNAL_AFFAIRS = "3.3.5", _("属于三类内部事务信息")
    PROCESS_INFO = "3.3.6", _("属于四类过程性信息")
    ENFORCEMENT_FILE = "3.3.7", _("属于行政执法案卷")
    INQUIRY = "3.3.8", _("属于行政查询事项")
    NOT_HELD = "3.4.1", _("本机关不掌握相关政府信息")
    NEEDS_CREATION = "3.4.2", _("没有现成信息需要另行制作")
    STILL_UNCLEAR = "3.4.3", _("补正后申请内容仍不明确")
    PETITION = "3.5.1", _("信访举报投诉类申请")
    REPEAT = "3.5.2", _("重复申请")
    PUBLICATION = "3.5.3", _("要求提供公开出版物")
    EXCESSIVE = "3.5.4", _("无正当理由大量反复申请")
    CONFIRM_OBTAINED = "3.5.5", _("要求行政机关确认或重新出具已获取信息")
    NO_CORRECTION = "3.6.1", _("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    FEE_UNPAID = (
        "3.6.2",
        _("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "3.6.3", _("其他")


# Decisions that end a case without a reply letter; the system sets them, a drafter never does.
AUTOMATIC_DECISIONS = frozenset({Decision.NO_CORRECTION, Decision.FEE_UNPAID})
# Decisions that withhold something: reasons are mandatory and the letter points to 复议 first
# (行政复议法 2023 第二十三条).
REFUSAL_DECISIONS = frozenset(
    {Decision.PARTLY} | {d for d in Decision if d.value.startswith("3.3.")}
)
# Every reply except a plain 予以公开 must explain itself.
DECISIONS_NEEDING_REASONS = frozenset(Decision) - {Decision.DISCLOSED}

# The ledger import also accepts the short names officials use for the 3.x groups.
_EXTRA_LABELS = {
    "公开": Decision.DISCLOSED,
    "全部公开": Decision.DISCLOSED,
    "国家秘密": Decision.STATE_SECRET,
    "不予公开（国家秘密）": Decision.STATE_SECRET,
    "三安全一稳定": Decision.THREE_SAFETIES,
    '危及"三安全一稳定"': Decision.THREE_SAFETIES,
    "逾期不补正": Decision.NO_CORRECTION,
    "逾期未缴费": Decision.FEE_UNPAID,
    "撤回": Decision.OTHER,
    "撤回申请": Decision.OTHER,
    "其他处理": Decision.OTHER,
}


def decision_from_text(text: str) -> Decision | None:
    """The decision for a row code (``3.3.1``) or a row label without its numbering
    (``属于国家秘密``); None when nothing matches."""
    value = text.strip()
    if value in Decision.values:
        return Decision(value)
    for decision in Decision:
        if str(decision.label) == value:
            return decision
    return _EXTRA_LABELS.get(value)


def choice_from_text(choices: type[models.TextChoices], text: str) -> str | None:
    """The code of a TextChoices member given its code or its Chinese label."""
    value = text.strip()
    if value in choices.values:
        return value
    for code, label in choices.choices:
        if str(label) == value:
            return code
    return None
