"""依申请公开: applications and everything that happens to them (DOMAIN.md §3).

Rows change only through `gongkai.applications.actions`. The reply due date is computed by
`gongkai.applications.deadlines` and stored on the application (`due_date`) so queues can filter
on it; it is recomputed whenever a case event changes it and whenever the working-day calendar
changes. When the calendar lacks a year the due date is provisional (`due_provisional`,
counted by the 放假办法's statutory holidays) and `due_earliest` is the earliest date the
missing notice could make it: alarms fire on that one (`due_alarm`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.applications.codes import (
    ApplicantType,
    Channel,
    Decision,
    Delivery,
    IdDocType,
    ProvideForm,
)
from gongkai.core.ratings import Rating
from gongkai.lib import crypto
from gongkai.lib.encrypted_field import EncryptedTextField

# Letters without 0/O, 1/I/L: the code is read off paper and typed by hand.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class State(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待确认收到")
    REGISTERED = "registered", _("已登记")
    CORRECTION = "correction", _("待补正")
    PROCESSING = "processing", _("办理中")
    FEE_PENDING = "fee_pending", _("待缴费")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("待签发")
    SIGNED = "signed", _("已签发待送达")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已终止")
    ARCHIVED = "archived", _("已归档")
    DISCARDED = "discarded", _("无效提交")


# States in which the reply clock runs (or is paused by an excluded interval).
OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.CORRECTION,
        State.PROCESSING,
        State.FEE_PENDING,
        State.AWAITING_SIGN_OFF,
        State.SIGNED,
    }
)
# States whose reply due date matters for due-soon / overdue.
CLOCK_STATES = OPEN_STATES - {State.CORRECTION}
CONCLUDED_STATES = frozenset({State.REPLIED, State.CLOSED, State.ARCHIVED})


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def with_clock(self) -> ApplicationQuerySet:
        return self.filter(state__in=CLOCK_STATES)

    def received(self) -> ApplicationQuerySet:
        """Applications that count as received (the annual report counts only these)."""
        return self.filter(received_date__isnull=False).exclude(state=State.DISCARDED)


def _identity_upload_to(instance: Any, filename: str) -> str:
    return f"applications/identity/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename[-80:]}"


def _case_upload_to(instance: Any, filename: str) -> str:
    return f"applications/files/{timezone.now():%Y/%m}/{secrets.token_hex(8)}-{filename[-80:]}"


class NotHeld(models.TextChoices):
    NONEXISTENT = "nonexistent", _("政府信息不存在")
    NOT_THIS_ORGAN = "not_this_organ", _("非本机关负责公开")


class ExcessiveOutcome(models.TextChoices):
    """条例35: what the office made of the applicant's answer to the request for a reason."""

    NO_REASON = "no_reason", _("未说明理由或理由不合理（不予处理）")
    HOLDS = "holds", _("理由合理，但无法按期答复（确定延迟答复期限）")


class OrganSettings(models.Model):
    """Per-organ settings of the application office: the number prefix and the remedy bodies
    named in every letter (DOMAIN.md §3: "the body for 复议 and the court are settings")."""

    organ = models.OneToOneField(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="application_settings",
        verbose_name=_("机关"),
    )
    number_prefix = models.CharField(
        _("申请编号前缀"),
        max_length=12,
        unique=True,
        help_text=_("如 ZW，申请编号形如 ZW-2026-0001"),
    )
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=100, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=100, blank=True)
    # 行政复议法 2023 第二十三条第一款第（四）项: whether 3.3.8, 3.4.x and 3.5.x answers also go
    # to 复议 first is argued both ways; the narrow reading (they do not) is the default.
    reconsideration_first_broad = models.BooleanField(
        _("3.3.8、3.4.x、3.5.x 答复也须先申请行政复议"),
        default=False,
        help_text=_(
            "行政复议法第二十三条第一款第（四）项规定“申请政府信息公开，行政机关不予公开”的，"
            "应当先申请行政复议。不予公开（3.3.1—3.3.7）和部分公开中不予公开的部分一律复议前置。"
            "行政查询事项（3.3.8）、无法提供（3.4.x）和不予处理（3.5.x）是否属于“不予公开”，"
            "实务中有两种理解；默认采用狭义理解（不属于，可以选择复议或者诉讼）。"
            "本级复议机关或法院持广义理解的，勾选此项。"
        ),
    )
    name_court_after_reconsideration = models.BooleanField(
        _("复议后诉讼写明上述法院"),
        default=False,
        help_text=_(
            "经复议的案件，可以由原机关所在地或者复议机关所在地人民法院管辖（行政诉讼法第十八条），"
            "复议后诉讼的法院不止一个。不勾选时告知书写“有管辖权的人民法院”。"
        ),
    )
    confirm_obtained_text = models.TextField(
        _("3.5.5 答复的依据表述"),
        blank=True,
        help_text=_(
            "条例没有条文专门规定“要求确认或重新出具已获取信息”的情形，第三十九条第二款只涉及"
            "公开出版物。请本机关审定后填写；不填写时告知书只写明处理决定，不引用条文。"
        ),
    )
    fee_payment_method = models.CharField(
        _("信息处理费缴纳方式"),
        max_length=200,
        blank=True,
        help_text=_("如 持本通知书到本机关政务服务窗口缴纳，或通过非税收入缴款码缴纳。"),
    )
    fee_account = models.CharField(
        _("收款单位及账户"),
        max_length=300,
        blank=True,
        help_text=_("收款单位名称、开户银行和账号；收费通知书照此写明（109号办法）。"),
    )
    excessive_answer_days = models.PositiveSmallIntegerField(
        _("第三十五条说明理由期限（工作日）"),
        default=10,
        help_text=_(
            "要求申请人说明理由时给予的期限，写入通知书。条例未规定具体期限；"
            "答复期限不因此中止，期限应留出审查和答复的时间。"
        ),
    )
    public_register = models.BooleanField(
        _("公开已答复申请登记簿"),
        default=False,
        help_text=_(
            "开启后，工作人员可逐案选择把已答复申请的事项、日期、答复类型和公开的文件列入网站上的"
            "登记簿（不含申请人身份信息），方便公众查阅，减少重复申请。"
        ),
    )

    class Meta:
        verbose_name = _("依申请公开设置")
        verbose_name_plural = _("依申请公开设置")

    def __str__(self) -> str:
        return f"{self.organ} · {self.number_prefix}"


class NumberCounter(models.Model):
    """The last serial handed out per organ and year; locked while a number is allocated."""

    organ = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="app_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.year}: {self.last}"


class Application(models.Model):
    """One 政府信息公开申请, received by one organ."""

    number = models.CharField(_("申请编号"), max_length=40, unique=True)
    organ = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("受理机关"),
    )
    # Only a SHA-256 of the query code is kept; the code is shown once on the receipt.
    query_code_digest = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    received_date = models.DateField(
        _("收到申请日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("网上、传真申请为双方确认之日；确认前为空"),
    )
    state = models.CharField(
        _("状态"), max_length=24, choices=State.choices, default=State.REGISTERED, db_index=True
    )

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    id_doc_type = models.CharField(
        _("身份证件类型"), max_length=20, choices=IdDocType.choices, blank=True
    )
    # Stored encrypted; the keyed hash beside it recognises one applicant (gongkai.lib.crypto).
    id_doc_number = EncryptedTextField(
        _("身份证件号码"), max_length=40, blank=True, hash_field="id_doc_number_hash"
    )
    id_doc_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    identity_proof = models.FileField(
        _("身份证明"), upload_to=_identity_upload_to, blank=True, max_length=255
    )

    description = models.TextField(_("所需信息的内容描述"))
    document_number = models.CharField(_("文件名称或文号"), max_length=200, blank=True)
    provide_form = models.CharField(
        _("提供形式"), max_length=20, choices=ProvideForm.choices, default=ProvideForm.PAPER
    )
    delivery = models.CharField(
        _("获取方式"), max_length=20, choices=Delivery.choices, default=Delivery.MAIL
    )

    department = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("承办人"),
    )
    internal_due_date = models.DateField(_("内部办理期限"), null=True, blank=True)

    # The reply deadline: computed (deadlines.compute_due) and stored for querying.
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(
        _("答复期限为暂定"),
        default=False,
        help_text=_("期限所在年份的节假日安排尚未公布，按法定节假日推算"),
    )
    due_earliest = models.DateField(
        _("最早可能的答复期限"),
        null=True,
        blank=True,
        help_text=_("暂定期限在节假日安排公布后可能提前到的最早日期；提醒按此日期发出"),
    )
    # 条例35: a later deadline the office set for excessive requests.
    deadline_override = models.DateField(_("另行确定的答复期限"), null=True, blank=True)
    deadline_override_reason = models.TextField(_("另行确定期限的理由"), blank=True)

    decision = models.CharField(
        _("办理结果"), max_length=8, choices=Decision.choices, blank=True, db_index=True
    )
    legal_basis = models.TextField(_("法律依据"), blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    # 3.4.1 covers two letters (条例36(四)(五)): the information does not exist, or another
    # organ is responsible for it (named in `other_organ` when it can be determined).
    not_held = models.CharField(
        _("无法提供的情形"), max_length=20, choices=NotHeld.choices, blank=True
    )
    other_organ = models.CharField(_("负责公开该信息的机关及联系方式"), max_length=200, blank=True)
    # 3.3.8 (条例36(七)): where and how to query; 3.5.3 (条例39②): where the publication is had.
    referral = models.CharField(_("查询或获取途径"), max_length=300, blank=True)
    # 条例35: the notice asking the applicant to state the reason, and the answer.
    excessive_notice_date = models.DateField(_("要求说明理由通知日期"), null=True, blank=True)
    excessive_answer_due = models.DateField(_("说明理由期限"), null=True, blank=True)
    excessive_outcome = models.CharField(
        _("说明理由的审查结果"), max_length=20, choices=ExcessiveOutcome.choices, blank=True
    )
    excessive_answer = models.TextField(_("申请人说明的理由"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    reply_date = models.DateField(_("答复日期"), null=True, blank=True)
    reply_delivery = models.CharField(
        _("送达方式"), max_length=20, choices=Delivery.choices, blank=True
    )
    reply_proof = models.FileField(
        _("送达凭证"), upload_to=_case_upload_to, blank=True, max_length=255
    )
    reply_note = models.TextField(_("送达说明"), blank=True)

    # The day the case counts as concluded in the annual report (DOMAIN.md §3).
    concluded_date = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    # A ledger row imported from the old paper/Excel 台账, not processed in this system.
    imported = models.BooleanField(_("台账导入"), default=False)
    # The applicant's rating of the reply, once (see actions.application_rate).
    rating = models.CharField(_("申请人评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # The public register of answered requests (actions.application_register_publish).
    register_subject = models.CharField(_("登记簿事项"), max_length=200, blank=True)
    register_published_at = models.DateTimeField(_("列入登记簿时间"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organ", "received_date"], name="app_organ_received")]
        constraints = [
            models.CheckConstraint(
                name="app_concluded_has_decision",
                condition=Q(concluded_date__isnull=True) | ~Q(decision=""),
            ),
            models.CheckConstraint(
                name="app_concluded_after_received",
                condition=Q(concluded_date__isnull=True)
                | Q(received_date__isnull=False, concluded_date__gte=models.F("received_date")),
            ),
            models.CheckConstraint(
                name="app_concluded_states_have_date",
                condition=~Q(state__in=sorted(CONCLUDED_STATES)) | Q(concluded_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    # -- query code ---------------------------------------------------------------------------

    @staticmethod
    def new_query_code() -> str:
        """A fresh query code, 12 characters in three groups (about 59 bits of randomness)."""
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"

    @staticmethod
    def digest_of(code: str) -> str:
        normalised = code.strip().upper().replace("-", "").replace(" ", "")
        return hashlib.sha256(normalised.encode()).hexdigest()

    def set_query_code(self, code: str) -> None:
        self.query_code_digest = self.digest_of(code)

    def check_query_code(self, code: str) -> bool:
        return bool(self.query_code_digest) and hmac.compare_digest(
            self.query_code_digest, self.digest_of(code)
        )

    # -- derived ------------------------------------------------------------------------------

    @property
    def id_doc_number_masked(self) -> str:
        """The identity number as staff pages show it; the full number needs a permission."""
        return crypto.mask(self.id_doc_number)

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL_PERSON

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_concluded(self) -> bool:
        return self.state in CONCLUDED_STATES

    @property
    def clock_start(self):
        """The day the 20-working-day reply clock counts from: the day the corrected
        application arrived if there was a correction, otherwise the received date."""
        correction = getattr(self, "correction", None) if self.pk else None
        if correction is not None and correction.received_date is not None:
            return correction.received_date
        return self.received_date

    @property
    def due_alarm(self):
        """The date alarms fire on: the earliest possible one while the due date is provisional."""
        if self.due_provisional and self.due_earliest is not None:
            return self.due_earliest
        return self.due_date

    def deadline_status(self, today=None) -> str:
        """'overdue', 'due_soon', 'on_time' or '' when no reply clock runs. Derived from the
        stored due date (the earliest possible one while provisional): see deadlines."""
        from gongkai.applications.deadlines import deadline_status

        return deadline_status(self, today=today)


class Correction(models.Model):
    """The one-time 补正 notice (条例30): within 7 WD of receipt, one notice per application."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="correction"
    )
    notice_date = models.DateField(_("补正通知日期"))
    items = models.TextField(_("需要补正的事项"))
    period_end = models.DateField(_("补正期限"), help_text=_("申请人应在此日（含）之前补正"))
    received_date = models.DateField(_("收到补正日期"), null=True, blank=True)
    corrected_description = models.TextField(_("补正后的内容"), blank=True)
    expired = models.BooleanField(_("逾期未补正"), default=False)
    # Sent by the applicant on the status page: waits for staff to confirm receipt, whose date
    # is the received date that restarts the clock (条例30, 条例31(三)).
    online_text = models.TextField(_("网上提交的补正内容"), blank=True)
    online_submitted_at = models.DateTimeField(_("网上提交补正时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("补正通知")
        verbose_name_plural = _("补正通知")
        constraints = [
            models.CheckConstraint(
                name="correction_period_after_notice",
                condition=Q(period_end__gte=models.F("notice_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 补正"


class Consultation(models.Model):
    """An opinion asked of a third party (条例32) or another organ (条例34). The days from the
    day after the letter is sent to the day the opinion arrives (at most 15 WD) do not count
    toward the reply deadline."""

    class Party(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方")
        OTHER_ORGAN = "other_organ", _("其他行政机关")

    class Opinion(models.TextChoices):
        PENDING = "", _("尚未答复")
        CONSENT = "consent", _("同意公开")
        OBJECTION = "objection", _("不同意公开")
        PARTIAL = "partial", _("部分同意")
        DEEMED_CONSENT = "deemed_consent", _("逾期未答复，视为同意")
        NO_OPINION = "no_opinion", _("逾期未提出意见")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    party = models.CharField(_("征求对象类型"), max_length=20, choices=Party.choices)
    party_name = models.CharField(_("征求对象"), max_length=100)
    party_contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    question = models.TextField(_("征求意见事项"), blank=True)

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("直接送达")
        EMAIL = "email", _("电子邮件")
        FAX = "fax", _("传真")
        MAIL = "mail", _("邮寄")

    sent_date = models.DateField(_("发函日期"))
    # 条例32: the 15 working days run from delivery. Without a recorded delivery date the
    # channel's default assumption applies (deadlines.assumed_delivery), stated in the letter.
    delivery = models.CharField(
        _("送达方式"), max_length=10, choices=Delivery.choices, default=Delivery.MAIL
    )
    delivered_date = models.DateField(_("送达日期"), null=True, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    reply_date = models.DateField(_("收到意见日期"), null=True, blank=True)
    opinion = models.CharField(
        _("意见"), max_length=20, choices=Opinion.choices, blank=True, default=Opinion.PENDING
    )
    opinion_text = models.TextField(_("意见内容"), blank=True)
    closed_date = models.DateField(
        _("排除期间截止日"),
        null=True,
        blank=True,
        help_text=_("收到意见之日，或15个工作日届满之日"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["sent_date", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.party_name}"

    @property
    def is_open(self) -> bool:
        return self.closed_date is None


class Extension(models.Model):
    """A deadline extension (条例33): once per application, at most 20 WD, approved by the
    公开办负责人, the applicant told in writing."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待批准")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_date = models.DateField(_("批准日期"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期答复")
        verbose_name_plural = _("延期答复")
        constraints = [
            models.CheckConstraint(
                name="extension_days_1_20", condition=Q(days__gte=1, days__lte=20)
            ),
            # "Once": at most one request that is pending or granted per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["requested", "approved"]),
                name="extension_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 延期 {self.days} 个工作日"


class Fee(models.Model):
    """An information-processing fee (国办函〔2020〕109号): one method per application, never
    both. The days from the day after the notice to the day of payment are excluded."""

    class Method(models.TextChoices):
        PER_ITEM = "per_item", _("按件计收")
        PER_PAGE = "per_page", _("按量计收")
        LEDGER = "ledger", _("台账导入")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="fee")
    method = models.CharField(_("计收方式"), max_length=10, choices=Method.choices)
    quantity = models.PositiveIntegerField(
        _("计费数量"),
        default=0,
        help_text=_("按件：本申请人本自然月内第几件申请；按量：页数"),
    )
    amount = models.DecimalField(_("收费金额（元）"), max_digits=10, decimal_places=2)
    # The amount is computed from the schedule (fees.compute_fee); a different amount needs a
    # written reason, which the notice prints.
    computed_amount = models.DecimalField(
        _("按标准计算的金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    override_reason = models.TextField(_("调整金额的理由"), blank=True)
    notice_date = models.DateField(_("收费通知日期"), null=True, blank=True)
    payment_days = models.PositiveSmallIntegerField(_("缴费期限（工作日）"), default=20)
    payment_due = models.DateField(_("缴费截止日"), null=True, blank=True)
    paid_date = models.DateField(_("缴费日期"), null=True, blank=True)
    expired = models.BooleanField(_("逾期未缴费"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")

    def __str__(self) -> str:
        return f"{self.application} 收费 {self.amount} 元"


class Remedy(models.Model):
    """A 行政复议 or 行政诉讼 about a disclosure decision, with its result."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
        LITIGATION_AFTER = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    organ = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="remedies",
        verbose_name=_("被申请/被告机关"),
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="remedies"
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    filed_date = models.DateField(_("提起日期"))
    body = models.CharField(_("复议机关/法院"), max_length=100, blank=True)
    case_number = models.CharField(_("案号"), max_length=100, blank=True)
    result = models.CharField(
        _("结果"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    result_date = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行政复议/诉讼")
        verbose_name_plural = _("行政复议/诉讼")
        ordering = ["-filed_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="remedy_result_date_iff_decided",
                condition=Q(result="pending", result_date__isnull=True)
                | (~Q(result="pending") & Q(result_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_date}"


class CaseFile(models.Model):
    """A file of the case: what is provided with the reply (a 部分公开 carries the redacted
    version), or other material. The identity proof lives on the application itself."""

    class Purpose(models.TextChoices):
        PROVIDED = "provided", _("提供的信息")
        MATERIAL = "material", _("办理材料")
        CORRECTION = "correction", _("申请人补正材料")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(
        _("用途"), max_length=10, choices=Purpose.choices, default=Purpose.PROVIDED
    )
    file = models.FileField(_("文件"), upload_to=_case_upload_to, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    redacted = models.BooleanField(_("已作区分处理（删除不应公开的内容）"), default=False)
    in_register = models.BooleanField(_("列入公开登记簿"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("案件文件")
        verbose_name_plural = _("案件文件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A letter issued in the case (告知书, 通知书, 征询函). The DOCX is generated elsewhere and
    stored in `file`; this row records that it was issued and when."""

    class Kind(models.TextChoices):
        DISCLOSURE = "disclosure", _("政府信息公开告知书")
        REFUSAL = "refusal", _("政府信息不予公开告知书")
        NONEXISTENT = "nonexistent", _("政府信息不存在告知书")
        NOT_THIS_ORGAN = "not_this_organ", _("非本机关政府信息告知书")
        CORRECTION = "correction", _("政府信息公开申请补正通知书")
        EXTENSION = "extension", _("延期答复告知书")
        CONSULTATION = "consultation", _("第三方意见征询函")
        FEE = "fee", _("收费通知书")
        RECEIPT = "receipt", _("政府信息公开申请登记回执")
        PARTIAL = "partial", _("政府信息部分公开告知书")
        OTHER = "other", _("其他告知书")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=20, choices=Kind.choices)
    issued_date = models.DateField(_("出具日期"))
    reference = models.CharField(_("文号"), max_length=100, blank=True)
    # What was issued, exactly (see gongkai.applications.letters): the printable page shows it.
    title = models.CharField(_("标题"), max_length=100, blank=True)
    body = models.TextField(_("正文"), blank=True)
    # The dates the letter promised, as facts (history.fact): the status page says when one
    # moved after the letter was issued.
    facts = models.JSONField(_("文书所载日期"), default=dict, blank=True)
    file = models.FileField(_("文书文件"), upload_to=_case_upload_to, blank=True, max_length=255)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_date", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class LetterTemplate(models.Model):
    """An organ's own wording of one kind of letter. Without a row the built-in default of
    gongkai.applications.letter_texts applies. Placeholders such as {申请人} are checked on
    save (letters.check_template)."""

    organ = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("机关"),
    )
    key = models.CharField(_("文书"), max_length=30)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [
            models.UniqueConstraint(fields=["organ", "key"], name="letter_template_once_per_organ"),
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.key}"


class CaseEvent(models.Model):
    """The case timeline. `public` events are shown to the applicant on the status page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    date = models.DateField(_("业务日期"), help_text=_("事件在业务上发生的日期，如收到补正之日"))
    kind = models.CharField(_("事件"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # The sentence, with {name} slots for the dates in `data` (see gongkai.applications.history):
    # a date is stored as a fact ({"date": ..., "years": [years it was provisional for]}) and
    # written out when shown, so an entry reads right after the calendar changes.
    summary = models.CharField(_("摘要"), max_length=300)
    data = models.JSONField(_("事实"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("申请人可见"), default=False)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.text}"

    @property
    def text(self) -> str:
        from gongkai.applications.history import render_summary

        return render_summary(self.summary, self.data)


class Reminder(models.Model):
    """A deadline reminder already sent: one per case, threshold and due date, so a restarted
    worker neither repeats nor misses one (a new due date after an extension earns a new one)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")
        CALENDAR_MISSING = "calendar_missing", _("工作日历缺失")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The due date the reminder was about (for a missing calendar: the clock start date).
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_date"], name="reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due_date}"
