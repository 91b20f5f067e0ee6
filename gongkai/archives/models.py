"""Transfers to the archive (移交档案): what a unit handed over for a year, and when.

An `ArchiveTransfer` is one package (DA/T 48 封装 with DA/T 46 metadata, DA/T 80 web pages):
the file kept for download, its checksums and counts. A `TransferEntry` is one 件 in it (an item,
a concluded application or the annual report), with its 件号 and 保管期限: it is how an item
shows that it has been transferred. Rows are written only by `gongkai.archives.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit
from gongkai.catalog.models import Retention


def package_upload_to(transfer: ArchiveTransfer, filename: str) -> str:
    return f"archives/{transfer.unit.code}/{filename}"


class ArchiveTransfer(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="archive_transfers", verbose_name=_("机关")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    fonds = models.CharField(_("全宗号"), max_length=20, blank=True)
    file = models.FileField(_("移交包"), upload_to=package_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    items = models.PositiveIntegerField(_("主动公开信息件数"), default=0)
    applications = models.PositiveIntegerField(_("依申请公开办结件数"), default=0)
    has_report = models.BooleanField(_("含年度报告"), default=False)
    files = models.PositiveIntegerField(_("文件数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("移交时间"))

    class Meta:
        verbose_name = _("档案移交")
        verbose_name_plural = _("档案移交")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class EntryKind(models.TextChoices):
    ITEM = "item", _("主动公开信息")
    APPLICATION = "application", _("依申请公开")
    REPORT = "report", _("年度报告")


class TransferEntry(models.Model):
    transfer = models.ForeignKey(ArchiveTransfer, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices)
    item = models.ForeignKey(
        "catalog.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archive_entries",
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archive_entries",
    )
    report = models.ForeignKey(
        "reports.AnnualReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archive_entries",
    )
    piece = models.CharField(_("件号"), max_length=40)
    retention = models.CharField(_("保管期限"), max_length=10, choices=Retention.choices)
    title = models.CharField(_("题名"), max_length=300)
    path = models.CharField(_("包内位置"), max_length=200)

    class Meta:
        verbose_name = _("移交的文件")
        verbose_name_plural = _("移交的文件")
        ordering = ["transfer_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="archive_entry_one_target",
                condition=(
                    models.Q(kind="item", item__isnull=False)
                    | models.Q(kind="application", application__isnull=False)
                    | models.Q(kind="report", report__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.piece} {self.title}"
