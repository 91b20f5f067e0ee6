"""The catalog of proactively disclosed information (主动公开, DOMAIN.md §2).

An `Item` is the permanent record of one piece of government information: its 索引号, its organ
(发布机构), its 涉密/公开方式 status, its validity and the pointer to the version the public sees.
An `ItemVersion` holds the content (metadata, body, attachments) and walks the review workflow;
editing a published item makes a new version that is reviewed again, so a published text stays
the original ("以原文、原条款、原词句公开") and staff can see every version.

State changes happen only in `gongkai.catalog.actions`; reads used by pages live in
`gongkai.catalog.queries`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit

# --------------------------------------------------------------------------- classification


class CategoryKind(models.TextChoices):
    STATUTORY = "statutory", _("法定主动公开内容")
    COLUMN = "column", _("栏目")


class Retention(models.TextChoices):
    """保管期限 of the archive (DA/T 22-2015 归档文件整理规则): what the archivist hands over with
    each item; set per category, inherited down the tree."""

    PERMANENT = "permanent", _("永久")
    Y30 = "30y", _("定期30年")
    Y10 = "10y", _("定期10年")


DEFAULT_RETENTION = Retention.Y10


class Category(models.Model):
    """A node of the catalog tree (目录分类). Global nodes (unit empty) are shared by every organ;
    a unit's own website columns hang off the tree with `unit` set. Seeded by migration 0002,
    editable by administrators afterwards."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级分类"),
    )
    code = models.CharField(_("分类代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=CategoryKind.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_categories",
        verbose_name=_("所属单位"),
        help_text=_("留空表示所有单位通用"),
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    retention = models.CharField(
        _("保管期限"),
        max_length=10,
        choices=Retention.choices,
        blank=True,
        help_text=_("移交档案时的保管期限；留空时沿用上级分类，都未设置时为定期10年"),
    )

    class Meta:
        verbose_name = _("目录分类")
        verbose_name_plural = _("目录分类")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                name="catalog_category_statutory_is_global",
                condition=Q(kind="column") | Q(unit__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def effective_retention(self) -> str:
        node: Category | None = self
        while node is not None:
            if node.retention:
                return node.retention
            node = node.parent
        return DEFAULT_RETENTION


class Genre(models.Model):
    """体裁分类: 规章, 行政规范性文件, 通知, 公告 ..."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """主题分类: 综合政务, 财政, 农业、林业、水利 ..."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class AliasKind(models.TextChoices):
    CATEGORY = "category", _("目录分类")
    GENRE = "genre", _("体裁分类")
    TOPIC = "topic", _("主题分类")


class NameAlias(models.Model):
    """Another name for a category, genre or topic: what a legacy site called it (“社会救助”,
    “规范性文件”). Imports match it after codes and exact names; administrators edit the list."""

    kind = models.CharField(_("类型"), max_length=10, choices=AliasKind.choices)
    name = models.CharField(_("别名"), max_length=100)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )
    genre = models.ForeignKey(
        Genre, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分类别名")
        verbose_name_plural = _("分类别名")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="catalog_alias_once"),
            models.CheckConstraint(
                name="catalog_alias_one_target",
                condition=(
                    Q(kind="category", genre__isnull=True, topic__isnull=True)
                    & Q(category__isnull=False)
                )
                | (
                    Q(kind="genre", category__isnull=True, topic__isnull=True)
                    & Q(genre__isnull=False)
                )
                | (
                    Q(kind="topic", category__isnull=True, genre__isnull=True)
                    & Q(topic__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.target}"

    @property
    def target(self) -> Category | Genre | Topic | None:
        return self.category or self.genre or self.topic


# --------------------------------------------------------------------------- items


class Secrecy(models.TextChoices):
    UNREVIEWED = "unreviewed", _("未审查")
    NON_SECRET = "non_secret", _("非涉密")
    SECRET = "secret", _("涉密")


class Disclosure(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class Scope(models.TextChoices):
    PUBLIC = "public", _("面向社会")
    APPLICANT = "applicant", _("面向申请人")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")
    AMENDED = "amended", _("已修改")


class Takedown(models.TextChoices):
    PENDING = "pending", _("待领导确认")
    CONFIRMED = "confirmed", _("领导已确认撤回")
    RESTORED = "restored", _("领导已恢复公开")


class ItemQuerySet(models.QuerySet["Item"]):
    def published(self) -> ItemQuerySet:
        """Items the public may see: a live published version, never 涉密, not withdrawn."""
        return self.filter(
            published_version__isnull=False,
            published_version__state=VersionState.PUBLISHED,
            disclosure=Disclosure.PROACTIVE,
        ).exclude(secrecy=Secrecy.SECRET)

    def visible_to(self, units: Any) -> ItemQuerySet:
        """Items a member of staff may see: those drafted by, or published by, one of `units`."""
        return self.filter(Q(unit__in=units) | Q(organ__in=units))


class Item(models.Model):
    """The permanent record of one piece of information. Content lives in its versions."""

    organ = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="catalog_items",
        verbose_name=_("发布机构"),
        help_text=_("以自己名义公开信息的行政机关"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="catalog_drafted_items",
        verbose_name=_("承办单位"),
        help_text=_("起草信息的科室或站所，可与发布机构相同"),
    )
    # Null until the first publication; then permanent (never changed, never reused).
    index_number = models.CharField(_("索引号"), max_length=80, null=True, blank=True, unique=True)
    is_imported = models.BooleanField(_("从旧网站导入"), default=False)

    secrecy = models.CharField(
        _("涉密状态"), max_length=12, choices=Secrecy.choices, default=Secrecy.UNREVIEWED
    )
    secret_at = models.DateTimeField(_("定为涉密时间"), null=True, blank=True)
    secret_handled_at = models.DateTimeField(_("线下处置确认时间"), null=True, blank=True)
    secret_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("线下处置确认人"),
    )
    secret_handled_note = models.TextField(_("线下处置说明"), blank=True)

    disclosure = models.CharField(
        _("公开方式"), max_length=12, choices=Disclosure.choices, default=Disclosure.PROACTIVE
    )
    disclosure_reason = models.TextField(_("不公开理由"), blank=True)
    disclosure_basis = models.CharField(
        _("不公开依据"),
        max_length=200,
        blank=True,
        help_text=_("如 条例第十四条、第十五条、第十六条"),
    )
    reassess_due = models.DateField(_("下次复核日期"), null=True, blank=True)
    reassess_reminded_for = models.DateField(null=True, blank=True, editable=False)

    published_version = models.OneToOneField(
        "ItemVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("公开版本"),
    )
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)

    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    validity_date = models.DateField(_("有效性变更日期"), null=True, blank=True)
    validity_note = models.CharField(_("有效性说明"), max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("替代文件"),
    )

    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    # 紧急撤回: taken offline at once by the 公开办负责人 or the 保密审查员; the leader confirms
    # (it stays withdrawn) or restores it.
    takedown = models.CharField(
        _("紧急撤回"), max_length=12, choices=Takedown.choices, blank=True, default=""
    )
    taken_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("紧急撤回人"),
    )
    takedown_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("领导确认人"),
    )
    takedown_decided_at = models.DateTimeField(_("领导确认时间"), null=True, blank=True)
    takedown_note = models.TextField(_("领导意见"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organ", "-first_published_at"], name="catalog_item_organ_pub")
        ]
        constraints = [
            # 涉密 information never has a public version (保密法: 涉密信息不上网).
            models.CheckConstraint(
                name="catalog_item_secret_never_public",
                condition=~Q(secrecy="secret") | Q(published_version__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        version = self.current_version()
        title = version.title if version else ""
        return f"{self.index_number or _('（未编号）')} {title}".strip()

    def current_version(self) -> ItemVersion | None:
        """The newest version whatever its state (what staff work on)."""
        return self.versions.order_by("-number").first()

    def open_version(self) -> ItemVersion | None:
        """The version still in drafting or review, if any."""
        return self.versions.filter(state__in=OPEN_STATES).order_by("-number").first()

    @property
    def is_secret(self) -> bool:
        return self.secrecy == Secrecy.SECRET

    @property
    def is_public(self) -> bool:
        return (
            self.published_version_id is not None
            and not self.is_secret
            and self.disclosure == Disclosure.PROACTIVE
        )


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SECRECY_REVIEW = "secrecy_review", _("待保密审查")
    OFFICE_REVIEW = "office_review", _("待公开办审核")
    SIGN_OFF = "sign_off", _("待领导签发")
    SCHEDULED = "scheduled", _("已签发待发布")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本取代")
    WITHDRAWN = "withdrawn", _("已撤回")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")
    SECRET = "secret", _("涉密（已下线）")


# Versions still moving through drafting and review; at most one per item.
OPEN_STATES = (
    VersionState.DRAFT,
    VersionState.SECRECY_REVIEW,
    VersionState.OFFICE_REVIEW,
    VersionState.SIGN_OFF,
    VersionState.SCHEDULED,
)


class ItemVersion(models.Model):
    """One version of an item's content, with its review trail and publication fingerprint."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"), default=1)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=VersionState.choices,
        default=VersionState.DRAFT,
        db_index=True,
    )

    title = models.CharField(_("名称"), max_length=200)
    summary = models.CharField(_("内容概述"), max_length=300, blank=True)
    formed_date = models.DateField(_("成文日期"))
    document_number = models.CharField(
        _("发文字号"), max_length=100, blank=True, help_text=_("如 诸政发〔2017〕12号")
    )
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("主题分类"),
    )
    genre = models.ForeignKey(
        Genre,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("体裁分类"),
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("目录分类"),
    )
    scope = models.CharField(
        _("公开范围"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("经过清洗的 HTML"))
    interpretations = models.ManyToManyField(
        Item,
        blank=True,
        related_name="interpreted_by",
        verbose_name=_("政策解读"),
    )

    # Timeliness (条例26): formed_date + 20 working days unless a law sets another period.
    legal_period_days = models.PositiveSmallIntegerField(
        _("法定公开期限（工作日）"),
        null=True,
        blank=True,
        help_text=_("法律另有规定时填写；留空按条例第二十六条 20 个工作日"),
    )
    legal_period_basis = models.CharField(_("期限依据"), max_length=200, blank=True)
    due_date = models.DateField(_("应公开日期"), null=True, blank=True, db_index=True)
    due_date_problem = models.CharField(_("期限无法计算的原因"), max_length=300, blank=True)
    go_live_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # When a 保密审查员 first opened the submitted version: the drafter may recall it until then.
    review_started_at = models.DateTimeField(_("开始审查时间"), null=True, blank=True)
    secrecy_verdict = models.CharField(
        _("保密审查结论"), max_length=12, choices=Secrecy.choices, default=Secrecy.UNREVIEWED
    )
    secrecy_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    secrecy_reviewed_at = models.DateTimeField(_("保密审查时间"), null=True, blank=True)
    secrecy_note = models.TextField(_("保密审查意见"), blank=True)
    office_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    office_approved_at = models.DateTimeField(_("公开办审核时间"), null=True, blank=True)
    office_note = models.TextField(_("审核意见"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("退回理由"), blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    rejected_from = models.CharField(max_length=20, choices=VersionState.choices, blank=True)

    checks_run_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    checks_override_reason = models.TextField(_("带问题发布的理由"), blank=True)
    checks_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, db_index=True)
    fingerprint = models.CharField(_("内容指纹（SHA-256）"), max_length=64, blank=True)
    content_purged_at = models.DateTimeField(_("正文清除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息版本")
        verbose_name_plural = _("信息版本")
        ordering = ["item_id", "number"]
        indexes = [
            # The rescan walks public versions newest first by (published_at, id) keyset.
            models.Index(fields=["state", "published_at", "id"], name="catalog_version_state_pub"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"], name="catalog_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["item"],
                name="catalog_one_open_version_per_item",
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
            ),
            models.UniqueConstraint(
                fields=["item"],
                name="catalog_one_published_version_per_item",
                condition=Q(state="published"),
            ),
            models.CheckConstraint(
                name="catalog_published_version_has_fingerprint",
                condition=~Q(state__in=["published", "superseded"]) | ~Q(fingerprint=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    @property
    def legal_period(self) -> int:
        return self.legal_period_days or settings.CATALOG_PUBLISH_WITHIN_WORKDAYS

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_late(self) -> bool:
        """Published after its due date (or, unpublished, past it today)."""
        if self.due_date is None:
            return False
        if self.published_at is not None:
            return timezone.localdate(self.published_at) > self.due_date
        return self.is_open and timezone.localdate() > self.due_date


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never trusted as a path.
    today = datetime.date.today()
    suffix = {
        "pdf": ".pdf",
        "docx": ".docx",
        "xlsx": ".xlsx",
        "ofd": ".ofd",
        "png": ".png",
        "jpeg": ".jpg",
        "gif": ".gif",
    }.get(instance.kind, "")
    return f"catalog/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    OFD = "ofd", "OFD"
    PNG = "png", _("PNG 图片")
    JPEG = "jpeg", _("JPEG 图片")
    GIF = "gif", _("GIF 图片")


class Attachment(models.Model):
    """A file of one version. New versions share the stored file of the previous one."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255, blank=True)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("提取的文字"), blank=True)
    readable = models.BooleanField(_("文字可读取"), default=False)
    unreadable_reason = models.CharField(_("无法读取的原因"), max_length=300, blank=True)
    readable_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("人工确认人"),
    )
    readable_confirmed_at = models.DateTimeField(_("人工确认时间"), null=True, blank=True)
    readable_confirm_note = models.CharField(_("人工确认说明"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    purged_at = models.DateTimeField(_("清除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["version_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_confirmation(self) -> bool:
        """An unreadable file that nobody has checked by eye yet."""
        return not self.readable and self.readable_confirmed_at is None and self.purged_at is None


class FindingSource(models.TextChoices):
    TITLE = "title", _("名称")
    SUMMARY = "summary", _("内容概述")
    BODY = "body", _("正文")
    ATTACHMENT = "attachment", _("附件")


class Finding(models.Model):
    """One hit of the pre-publication checks (gongkai.lib.scan), with enough context for the
    reviewer to judge it. A check run replaces the findings of a version; `first_seen_at`
    tells the nightly job which ones are new."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(_("位置"), max_length=12, choices=FindingSource.choices)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(_("类型"), max_length=30)
    severity = models.CharField(_("严重程度"), max_length=10)
    text = models.CharField(_("命中内容"), max_length=200)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    context_before = models.CharField(max_length=200, blank=True)
    context_after = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    # A reviewer judged a finding of a published version harmless (not a person's number…):
    # it leaves the rescan queue and stays cleared while the text is unchanged.
    cleared_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_note = models.CharField(_("核实说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["version_id", "source", "attachment_id", "start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text}"

    KIND_LABELS = {
        "classification_mark": _("密级标志"),
        "id_card": _("居民身份证号"),
        "mobile": _("手机号码"),
        "bank_card": _("银行卡号"),
        "email": _("电子邮箱"),
        "id_card_unverified": _("疑似身份证号（校验位不符）"),
        "bank_card_unverified": _("疑似银行卡号（未通过校验）"),
        "disability_cert": _("残疾证号"),
        "subsistence_cert": _("低保证号"),
        "home_address": _("家庭住址"),
        "roster_name": _("与证件号或电话同行的姓名"),
    }
    SEVERITY_LABELS = {"high": _("高"), "medium": _("中"), "low": _("低")}

    def get_kind_display(self) -> str:
        return str(self.KIND_LABELS.get(self.kind, self.kind))

    def get_severity_display(self) -> str:
        return str(self.SEVERITY_LABELS.get(self.severity, self.severity))


class Rescan(models.Model):
    """Where the rescan of published items stands (one row). A run walks the public versions
    newest first and moves `cursor_*` after every batch, so a stopped worker resumes where it
    was; a new run starts when the scanner's rules change (RULES_VERSION) or on schedule."""

    rules_version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cursor_published_at = models.DateTimeField(null=True, blank=True)
    cursor_version = models.PositiveBigIntegerField(null=True, blank=True)
    scanned = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("已发布信息复查进度")
        verbose_name_plural = _("已发布信息复查进度")

    def __str__(self) -> str:
        return f"rescan v{self.rules_version}: {self.scanned}"


class IndexCounter(models.Model):
    """The last 索引号 serial used by an organ in a year. Locked with SELECT ... FOR UPDATE when a
    number is taken, so concurrent publications never get the same serial."""

    organ = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="catalog_counter_organ_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.year}: {self.last_serial}"
