"""The append-only, hash-chained audit log.

No code path updates or deletes a row; on PostgreSQL a trigger makes the database itself refuse
(migrations 0002, 0004), except the purge of rows past the retention period and the one-time
filling in of a new row's chain columns (gongkai.audit.chain). Every row carries a sequence
number, the hash of the row before it and its own hash, so `gongkai audit verify` finds any row
changed, removed or slipped in."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("the audit log is append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")

    # The private paths Model.save() and the deletion collector take, closed as well.
    def _update(self, values: Any) -> int:
        # A raw save (loaddata, moving a log from SQLite to PostgreSQL) tries an UPDATE first
        # and inserts when it matched nothing: allow that, refuse touching an existing row.
        if self.exists():
            raise AppendOnlyError("the audit log is append-only")
        return 0

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        from gongkai.audit import chain

        created = super().bulk_create(objs, *args, **kwargs)
        chain.seal_after_commit(self.db)
        return created

    def visible_to(self, units: Any) -> AuditQuerySet:
        return self.filter(unit_id__in=units.values("pk"))


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: deleting a user or unit must never touch the log.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=80, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("单位"),
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # The hash chain (gongkai.audit.chain): position, the previous row's hash, this row's hash.
    seq = models.BigIntegerField(_("序号"), null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        # Django's internals (save, refresh, related lookups) use the base manager: make it the
        # guarded one, so no plain Manager can reach the table.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["unit", "-at"], name="audit_unit_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log is append-only")
        kwargs.pop("force_update", None)
        kwargs.pop("force_insert", None)  # objects.create() passes it already
        from gongkai.audit import chain

        super().save(*args, force_insert=True, **kwargs)
        chain.seal_after_commit(kwargs.get("using") or "default")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")


class AuditChainHead(models.Model):
    """The end of the chain: one row, locked by every writer, so two transactions can never
    both append after the same row (and fork the chain)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链末端")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class AuditAnchor(models.Model):
    """Where the chain starts after a purge: the last removed row's position and hash, and the
    export the removed rows went to. Verification begins from the newest anchor."""

    at = models.DateTimeField(_("时间"), default=timezone.now)
    last_seq = models.BigIntegerField(_("最后清理的序号"))
    last_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("清理的记录数"))
    before = models.DateTimeField(_("清理此时间之前的记录"))
    export_name = models.CharField(_("导出文件"), max_length=500)
    export_sha256 = models.CharField(_("导出文件的 SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("审计日志清理记录")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.last_seq} {self.export_name}"
