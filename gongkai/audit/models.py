"""The append-only audit log. No code path updates or deletes a row; on PostgreSQL a trigger
makes the database itself refuse (migration 0002)."""

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
        super().save(*args, force_insert=True, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log is append-only")
