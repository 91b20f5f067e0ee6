"""Interaction (互动交流, DOMAIN.md §5): the mayor's mailbox, the hotline log and the reading point.

Also the two small tables behind gongkai.lib.ratelimit and gongkai.lib.captcha (lib has no
models of its own; the public forms that use them are interaction's first users).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Role, Unit, UnitKind
from gongkai.core.ratings import Rating


class HandlerRole(models.TextChoices):
    """Whose queue new letters land in: the mayor's mailbox goes straight to the mayor."""

    LEADER = Role.LEADER.value, _("签发领导（镇长）")
    OFFICE = Role.OFFICE_REVIEWER.value, _("公开办审核")


def default_title(unit: Unit) -> str:
    if unit.kind == UnitKind.CITY:
        return "市长信箱"
    if unit.kind == UnitKind.DEPARTMENT:
        return "局长信箱"
    return "镇长信箱"


class MailboxSettings(models.Model):
    """The mailbox of one organ. An organ without a row has an open mailbox with the defaults."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="mailbox_settings", verbose_name=_("单位")
    )
    is_open = models.BooleanField(
        _("开放信箱"), default=True, help_text=_("关闭后公众不能在网上写信，已收信件照常办理")
    )
    title = models.CharField(_("信箱名称"), max_length=40, default="镇长信箱")
    handler_role = models.CharField(
        _("来信首先交由"),
        max_length=30,
        choices=HandlerRole.choices,
        default=HandlerRole.LEADER,
        help_text=_("新来信出现在该角色人员的工作台上"),
    )
    intro = models.TextField(
        _("写信须知"), blank=True, help_text=_("显示在写信页面顶部，如受理范围、答复时限")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("信箱设置")
        verbose_name_plural = _("信箱设置")
        constraints = [
            models.CheckConstraint(
                name="interaction_mailbox_role_valid",
                condition=Q(handler_role__in=HandlerRole.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.short_name}{self.title}"

    @classmethod
    def for_unit(cls, unit: Unit) -> MailboxSettings:
        """The saved settings, or unsaved defaults (a city's mailbox is the 市长信箱)."""
        found = cls.objects.filter(unit=unit).first()
        return found or cls(unit=unit, title=default_title(unit))


class LetterStatus(models.TextChoices):
    RECEIVED = "received", _("待办理")
    FORWARDED = "forwarded", _("已转办")
    ANSWERED = "answered", _("已答复")
    PUBLICATION_PENDING = "publication_pending", _("待审核公开")
    PUBLISHED = "published", _("已公开")
    SPAM = "spam", _("垃圾信件")


OPEN_STATUSES = (LetterStatus.RECEIVED, LetterStatus.FORWARDED)
ANSWERED_STATUSES = (
    LetterStatus.ANSWERED,
    LetterStatus.PUBLICATION_PENDING,
    LetterStatus.PUBLISHED,
)


class LetterQuerySet(models.QuerySet["Letter"]):
    def published(self) -> LetterQuerySet:
        """The exchanges the public may read (their public versions only)."""
        return self.filter(status=LetterStatus.PUBLISHED, consent_publish=True)

    def visible_to(self, units) -> LetterQuerySet:
        """Letters a member of staff may see: their organ's, or those forwarded to their unit."""
        return self.filter(Q(unit__in=units) | Q(forwarded_to__in=units))

    def not_spam(self) -> LetterQuerySet:
        return self.exclude(status=LetterStatus.SPAM)


def _attachment_path(instance: Letter, filename: str) -> str:
    # Never the visitor's file name in the path: it may carry personal data or tricks.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"interaction/letters/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Letter(models.Model):
    """One letter to the mailbox. The writer's name and contacts are never public; the public
    sees only the edited public version, after a leader approved it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="letters", verbose_name=_("收信单位")
    )
    number = models.CharField(_("信件编号"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("序号"))
    # A random token carried by the form: a second submission of the same form finds this row.
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=200, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=LetterStatus.choices,
        default=LetterStatus.RECEIVED,
        db_index=True,
    )
    handler_role = models.CharField(_("首办角色"), max_length=30, choices=HandlerRole.choices)

    writer_name = models.CharField(_("姓名"), max_length=50)
    writer_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    writer_email = models.EmailField(_("电子邮箱"), blank=True)
    subject = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("来信内容"))
    attachment = models.FileField(_("附件"), upload_to=_attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField(_("附件原文件名"), max_length=200, blank=True)
    attachment_type = models.CharField(_("附件类型"), max_length=80, blank=True)
    attachment_size = models.PositiveIntegerField(_("附件大小"), default=0)
    consent_publish = models.BooleanField(_("同意公开"), default=False)
    received_at = models.DateTimeField(_("来信时间"), default=timezone.now, db_index=True)

    forwarded_to = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_letters",
        verbose_name=_("转办单位"),
    )
    forwarded_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    forward_note = models.TextField(_("转办意见"), blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    due_reminded_for = models.DateField(null=True, blank=True, editable=False)

    reply = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # The writer's rating of the answer, once (actions.letter_rate).
    rating = models.CharField(_("来信人评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("答复单位"),
    )

    public_subject = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_content = models.TextField(_("公开的来信内容"), blank=True)
    public_reply = models.TextField(_("公开的答复内容"), blank=True)
    publish_attachment = models.BooleanField(_("同时公开附件"), default=False)
    publication_requested_at = models.DateTimeField(_("提交公开审核时间"), null=True, blank=True)
    publication_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提交公开审核人"),
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("批准公开人"),
    )
    spam_at = models.DateTimeField(_("标记垃圾信件时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="interaction_letter_unit_st"),
            models.Index(fields=["status", "-published_at"], name="interaction_letter_pub"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="interaction_letter_serial"),
            models.CheckConstraint(
                name="interaction_letter_status_valid", condition=Q(status__in=LetterStatus.values)
            ),
            models.CheckConstraint(
                name="interaction_letter_answered_has_reply",
                condition=~Q(status__in=[s.value for s in ANSWERED_STATUSES])
                | (Q(answered_at__isnull=False) & ~Q(reply="")),
            ),
            models.CheckConstraint(
                name="interaction_letter_forwarded_has_unit",
                condition=~Q(status=LetterStatus.FORWARDED) | Q(forwarded_to__isnull=False),
            ),
            # Nothing is public without the writer's consent and an edited public version.
            models.CheckConstraint(
                name="interaction_letter_published_is_complete",
                condition=~Q(status=LetterStatus.PUBLISHED)
                | (
                    Q(consent_publish=True)
                    & Q(published_at__isnull=False)
                    & ~Q(public_subject="")
                    & ~Q(public_content="")
                    & ~Q(public_reply="")
                ),
            ),
            models.CheckConstraint(
                name="interaction_letter_public_attachment_exists",
                condition=Q(publish_attachment=False) | ~Q(attachment=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == LetterStatus.FORWARDED
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def public_status_label(self) -> str:
        """What the writer is told: internal steps (publication review, spam) stay internal."""
        if self.status in ANSWERED_STATUSES:
            return str(_("已答复"))
        if self.status == LetterStatus.FORWARDED:
            return str(_("办理中（已转交相关部门）"))
        return str(_("已收到，正在办理"))


class LetterCounter(models.Model):
    """The last letter number given out in a year; its row lock hands numbers out one by one."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CallerType(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("企业")
    ORGANISATION = "organisation", _("其他组织")
    AUTHORITY = "authority", _("机关单位")


class HotlineCall(models.Model):
    """One call to the public hotline, written down by the member of staff who took it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="hotline_calls", verbose_name=_("接听单位")
    )
    called_at = models.DateTimeField(_("来电时间"), default=timezone.now, db_index=True)
    caller_type = models.CharField(
        _("来电人类型"), max_length=20, choices=CallerType.choices, blank=True
    )
    caller_name = models.CharField(_("来电人（选填，不公开）"), max_length=50, blank=True)
    caller_contact = models.CharField(_("回访电话（选填，不公开）"), max_length=30, blank=True)
    topic = models.CharField(_("事项"), max_length=100)
    summary = models.TextField(_("来电内容摘要"))
    answer = models.TextField(_("答复情况"), blank=True)
    follow_up_needed = models.BooleanField(_("需要回访或跟进"), default=False)
    follow_up_done = models.BooleanField(_("已回访"), default=False)
    follow_up_note = models.TextField(_("回访情况"), blank=True)
    follow_up_done_at = models.DateTimeField(_("回访完成时间"), null=True, blank=True)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_calls",
        verbose_name=_("关联的依申请公开"),
    )
    letter = models.ForeignKey(
        Letter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_calls",
        verbose_name=_("关联来信"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("热线来电")
        verbose_name_plural = _("热线来电")
        ordering = ["-called_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="interaction_call_done_needs_follow_up",
                condition=Q(follow_up_done=False) | Q(follow_up_needed=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.called_at):%Y-%m-%d %H:%M} {self.topic}"


class ReadingVisit(models.Model):
    """One visit to the reading point (查阅点): staff help search the catalog, then provide
    what was asked for after a simple registration."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="reading_visits",
        verbose_name=_("查阅点所属单位"),
    )
    visited_on = models.DateField(_("查阅日期"), default=timezone.localdate, db_index=True)
    visitor_name = models.CharField(_("查阅人（选填，不公开）"), max_length=50, blank=True)
    visitor_contact = models.CharField(_("联系方式（选填，不公开）"), max_length=30, blank=True)
    sought = models.TextField(_("查阅需求"))
    items = models.ManyToManyField(
        "catalog.Item",
        blank=True,
        related_name="reading_visits",
        verbose_name=_("提供查阅的目录信息"),
    )
    other_material = models.CharField(_("其他提供的材料"), max_length=300, blank=True)
    copies_pages = models.PositiveIntegerField(_("提供复印件（页）"), default=0)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("接待人员"),
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("查阅登记")
        verbose_name_plural = _("查阅登记")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.sought[:30]}"


class RateCounter(models.Model):
    """gongkai.lib.ratelimit: attempts of one address (keyed digest) on one form in one window."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=64)
    period = models.PositiveIntegerField()
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "period", "window_start"],
                name="interaction_ratecounter_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.count}/{self.period}s"


class SpentCaptcha(models.Model):
    """gongkai.lib.captcha: a nonce whose token was accepted once and must not pass again."""

    nonce = models.CharField(max_length=40, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce
