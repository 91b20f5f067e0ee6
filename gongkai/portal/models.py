"""What the disclosure office writes for its part of the portal: the free text of the
政府信息公开指南 (the rest of the 指南 is built from the unit's data and the category tree) and
the pages of the 政府信息公开制度 column. Bodies are rich text cleaned with nh3
(gongkai.catalog.richtext.sanitize) before they are stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit


class GuideText(models.Model):
    """The office's own words in one organ's 政府信息公开指南 (条例12)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="portal_guide", verbose_name=_("单位")
    )
    office_name = models.CharField(
        _("政府信息公开工作机构"),
        max_length=100,
        blank=True,
        help_text=_("如 乳山市诸往镇人民政府党政办公室；留空时使用单位全称"),
    )
    introduction = models.TextField(_("前言"), blank=True)
    arrangement = models.TextField(_("信息分类与编排（补充说明）"), blank=True)
    proactive = models.TextField(_("主动公开的获取方式（补充说明）"), blank=True)
    on_request = models.TextField(_("依申请公开的办理（补充说明）"), blank=True)
    supervision = models.TextField(_("监督和救济（补充说明）"), blank=True)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return f"{self.unit}·{_('政府信息公开指南')}"


class Page(models.Model):
    """One page of an organ's 政府信息公开制度 column (e.g. 保密审查制度, 依申请公开工作规程)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="portal_pages", verbose_name=_("单位")
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("制度页面")
        verbose_name_plural = _("制度页面")
        ordering = ["unit_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="portal_page_title_per_unit"),
        ]

    def __str__(self) -> str:
        return self.title
