"""Self-inspection against 国办秘函〔2019〕19号 《政府网站与政务新媒体检查指标》 (issue 16).

The daily job stores one `DailyResult` per unit, day and indicator, so a unit sees when a problem
began. The lists the city administrator keeps (column types, names that must be written exactly,
wrong forms) are data here, changed only through `gongkai.inspection.actions` with an audit row.
Availability comes from `ProbeReport` rows sent by a probe on another host; link results from the
crawler land in `LinkCheck`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit


class ColumnKind(models.TextChoices):
    NEWS = "news", _("动态要闻类（2周内应更新）")
    NOTICE = "notice", _("通知公告类（6个月内应更新）")
    POLICY = "policy", _("政策文件类（6个月内应更新）")
    UPDATABLE = "updatable", _("其他应更新栏目")
    STATIC = "static", _("固定内容栏目（只查空白）")


class ColumnType(models.Model):
    """How the inspection treats one column (a catalog category). Columns without a row are not
    inspected: the city decides which of its columns the inspectors look at."""

    category = models.OneToOneField(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="inspection_type",
        verbose_name=_("栏目"),
    )
    kind = models.CharField(_("栏目类型"), max_length=12, choices=ColumnKind.choices)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("栏目类型")
        verbose_name_plural = _("栏目类型")
        constraints = [
            models.CheckConstraint(
                name="inspection_column_kind_valid", condition=Q(kind__in=ColumnKind.values)
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_kind_display()}"


class ExactName(models.Model):
    """A leader's name with the titles it may be written with (领导姓名职务). The check flags the
    name next to any other title, e.g. 张志强副镇长 when he is 镇长."""

    name = models.CharField(_("姓名"), max_length=20, unique=True)
    titles = models.CharField(
        _("正确职务"),
        max_length=200,
        help_text=_("多个职务用顿号或逗号分隔，如 镇党委副书记、镇长"),
    )
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        verbose_name = _("领导姓名职务")
        verbose_name_plural = _("领导姓名职务")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.titles}）"

    def title_list(self) -> list[str]:
        parts = self.titles.replace("，", "、").replace(",", "、").split("、")
        return [p.strip() for p in parts if p.strip()]


class WrongForm(models.Model):
    """A wrong form to flag (严重错别字 and other wrong wording), with the right form. A serious
    one found on a public page vetoes the whole site (严重表述错误)."""

    wrong = models.CharField(_("错误写法"), max_length=50, unique=True)
    correct = models.CharField(_("正确写法"), max_length=50)
    serious = models.BooleanField(
        _("严重表述错误（单项否决）"),
        default=False,
        help_text=_("如党和国家领导人姓名写错；勾选后发现即判定单项否决"),
    )
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        verbose_name = _("错误写法")
        verbose_name_plural = _("错误写法")
        ordering = ["wrong"]
        constraints = [
            models.CheckConstraint(name="inspection_wrong_not_blank", condition=~Q(wrong="")),
        ]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.correct}"


class Status(models.TextChoices):
    PASS = "pass", _("合格")
    WARNING = "warning", _("预警")
    FAIL = "fail", _("不合格")
    UNMONITORED = "unmonitored", _("未监测")


class DailyResult(models.Model):
    """One indicator of one unit on one day, as the inspection found it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="inspection_results")
    day = models.DateField(_("检查日期"))
    indicator = models.CharField(_("指标"), max_length=30)
    status = models.CharField(_("结果"), max_length=12, choices=Status.choices)
    is_veto = models.BooleanField(_("单项否决指标"), default=False)
    value = models.CharField(_("数值"), max_length=200, blank=True)
    threshold = models.CharField(_("阈值"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    # [{"label": ..., "url": ...}]: the items or columns concerned, with a link to fix them.
    items = models.JSONField(_("涉及的信息或栏目"), default=list, blank=True)
    fails_tomorrow = models.BooleanField(_("明日将不合格"), default=False)
    notified_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("每日检查结果")
        verbose_name_plural = _("每日检查结果")
        ordering = ["unit_id", "day", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "indicator"], name="inspection_result_per_day"
            ),
            models.CheckConstraint(
                name="inspection_result_status_valid", condition=Q(status__in=Status.values)
            ),
        ]
        indexes = [models.Index(fields=["day", "status"], name="inspection_day_status")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.indicator}: {self.status}"


class ProbeReport(models.Model):
    """One visit of a unit's site by a probe on another host (`gongkai probe`, or the city's
    worker probing the townships). The server never judges its own availability."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="probe_reports")
    url = models.URLField(_("访问地址"), max_length=500)
    visited_at = models.DateTimeField(_("访问时间"), db_index=True)
    ok = models.BooleanField(_("正常打开"))
    seconds = models.FloatField(_("耗时（秒）"))
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    reporter = models.CharField(_("报告来源"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("可用性监测记录")
        verbose_name_plural = _("可用性监测记录")
        indexes = [models.Index(fields=["unit", "visited_at"], name="inspection_probe_unit_time")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.visited_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'down'}"


class LinkKind(models.TextChoices):
    PAGE = "page", _("页面链接")
    ATTACHMENT = "attachment", _("附件")
    FORM = "form", _("在线表单")
    EXTERNAL = "external", _("外部链接")


class LinkCheck(models.Model):
    """The last crawl's verdict on one link of a unit's site. A crawl replaces the unit's rows;
    external links are cached across units for `INSPECTION_EXTERNAL_CACHE_HOURS`."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="link_checks")
    url = models.CharField(_("链接"), max_length=1000)
    found_on = models.CharField(_("所在页面"), max_length=1000, blank=True)
    kind = models.CharField(_("类型"), max_length=12, choices=LinkKind.choices)
    on_home = models.BooleanField(_("首页链接"), default=False)
    ok = models.BooleanField(_("可用"))
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now)

    class Meta:
        verbose_name = _("链接检查")
        verbose_name_plural = _("链接检查")
        indexes = [models.Index(fields=["unit", "kind", "ok"], name="inspection_link_unit_kind")]

    def __str__(self) -> str:
        return f"{self.url} {'ok' if self.ok else 'broken'}"


class CrawlRun(models.Model):
    """When the unit's site was last crawled, so the link indicators know whether they are
    monitored at all."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="crawl_run")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    pages = models.PositiveIntegerField(default=0)
    links = models.PositiveIntegerField(default=0)
    start_url = models.CharField(max_length=500)

    def __str__(self) -> str:
        return f"{self.unit_id} {self.finished_at:%Y-%m-%d}"
