"""The annual report (年度报告, DOMAIN.md §4; REPORT_FORMAT.md).

An `AnnualReport` is an organ's report for one year: the working copy the office edits (the prose
of sections 一, 五 and 六, the figures it enters by hand and where they come from). The tables
computed from the records are never stored on it: they are computed afresh until the report is
finalised (定稿). Finalising freezes everything in a `ReportVersion` (the whole JSON document);
publishing puts that version on the portal. A correction is a new version; the old one is kept
and marked 更正. Warnings of the checks need an `Acknowledgement` before finalising.

State changes happen only in `gongkai.reports.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit
from gongkai.reports import formats


class ReportFormat(models.TextChoices):
    F2021 = formats.F2021, _("2021年格式（国办公开办函〔2021〕30号）")
    F2019 = formats.F2019, _("2019年试行格式（国办公开办函〔2019〕60号）")
    LEGACY = formats.LEGACY, _("2019年以前（全文，无固定表格）")


class Origin(models.TextChoices):
    SYSTEM = "system", _("由本系统根据记录统计")
    IMPORTED = "imported", _("导入的已有报告")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("编写中")
    FINALISED = "finalised", _("已定稿待发布")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("机关"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("报告格式"), max_length=10, choices=ReportFormat.choices)
    origin = models.CharField(
        _("来源"), max_length=10, choices=Origin.choices, default=Origin.SYSTEM
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    title = models.CharField(_("标题"), max_length=200)
    section_1 = models.TextField(_("一、总体情况"), blank=True)
    section_5 = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    section_6 = models.TextField(_("六、其他需要报告的事项"), blank=True)
    text = models.TextField(_("报告全文"), blank=True, help_text=_("仅用于 2019 年以前的报告"))
    # The section 二 figures the office enters (行政许可, 行政处罚, 行政强制, 收费 …), keyed as
    # in the JSON document: {"license": {"decisions": 12}, "fee": {"amount_10k_yuan": "1.5"}}.
    entered = models.JSONField(_("人工填报的数字"), default=dict, blank=True)
    entered_source = models.TextField(
        _("人工填报数字的来源"),
        blank=True,
        help_text=_("如：行政许可数来自市政务服务平台统计，行政处罚数来自镇综合执法办台账"),
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["unit__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="report_once_per_unit_year"),
            models.CheckConstraint(
                name="report_legacy_has_no_tables",
                condition=~Q(format=formats.LEGACY) | Q(entered={}),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("nianbao:report", args=[self.unit.code, self.year])

    @property
    def is_legacy(self) -> bool:
        return self.format == formats.LEGACY

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.DRAFT

    def sections(self) -> dict[str, str]:
        return {"1": self.section_1, "5": self.section_5, "6": self.section_6}

    def live_versions(self) -> models.QuerySet[ReportVersion]:
        return self.versions.filter(void_at__isnull=True)

    def current_version(self) -> ReportVersion | None:
        """The newest finalised (or published) version, not one set aside before publication."""
        return self.live_versions().order_by("-number").first()

    def published_version(self) -> ReportVersion | None:
        """The version the public sees: the newest published one."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()

    def first_published_at(self):
        first = self.versions.filter(published_at__isnull=False).order_by("number").first()
        return first.published_at if first else None

    @property
    def url(self) -> str:
        return self.get_absolute_url()

    @property
    def published_at(self):
        """When the public version went online (what the portal's list shows)."""
        version = self.published_version()
        return version.published_at if version else None


class ReportVersion(models.Model):
    """A frozen report: the whole JSON document at the moment of 定稿."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    document = models.JSONField(_("报告内容（JSON）"))
    title = models.CharField(_("标题"), max_length=200)
    entered_source = models.TextField(_("人工填报数字的来源"), blank=True)
    acknowledgements = models.JSONField(_("已确认的提示"), default=list, blank=True)
    correction_reason = models.TextField(_("更正原因"), blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(_("定稿时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # Set when a later version replaces this one on the portal: the page keeps it, marked 更正.
    corrected_at = models.DateTimeField(_("被更正时间"), null=True, blank=True)
    # Set when the office reopens a finalised version before it was ever published.
    void_at = models.DateTimeField(_("撤销定稿时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number"),
            models.CheckConstraint(
                name="report_version_void_never_published",
                condition=Q(void_at__isnull=True) | Q(published_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    def get_absolute_url(self) -> str:
        return reverse(
            "nianbao:version", args=[self.report.unit.code, self.report.year, self.number]
        )

    @property
    def is_corrected(self) -> bool:
        return self.corrected_at is not None


class Acknowledgement(models.Model):
    """A warning of the checks that a member of staff has read and accepted, with a note.
    It holds for exactly that warning: when the figures change, the message changes and the
    warning needs a fresh acknowledgement."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    rule = models.CharField(_("规则"), max_length=40)
    cell = models.CharField(_("单元格"), max_length=80)
    message = models.CharField(_("提示"), max_length=500)
    note = models.CharField(_("说明"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提示确认")
        verbose_name_plural = _("提示确认")
        ordering = ["report_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "rule", "cell", "message"], name="report_ack_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.cell}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.cell, self.message)


class WorkEntry(models.Model):
    """A fact of the year's work that no other record holds and the 2021 format asks section
    一 to report: a training session, an assessment result, a 社会评议, an accountability case,
    a step of 政府信息管理 or 平台建设. The office adds them; the draft of 一 quotes them."""

    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("政府信息管理")
        PLATFORM = "platform", _("平台建设")
        TRAINING = "training", _("教育培训")
        ASSESSMENT = "assessment", _("工作考核")
        EVALUATION = "evaluation", _("社会评议")
        ACCOUNTABILITY = "accountability", _("责任追究")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"), null=True, blank=True)
    text = models.CharField(
        _("内容"),
        max_length=300,
        help_text=_("一句话写明事项，如“组织全镇政务公开业务培训，60人参加”"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度工作记录")
        verbose_name_plural = _("年度工作记录")
        ordering = ["unit_id", "year", "kind", "date", "id"]
        indexes = [models.Index(fields=["unit", "year"], name="report_entry_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}: {self.text}"
