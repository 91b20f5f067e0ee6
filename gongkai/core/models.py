from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """When each background job last ran; the worker decides what is due from this table.

    A run in progress (started, not finished) is claimed by `claimed_by`, whose worker refreshes
    `heartbeat_at` every few seconds while the job runs; a claim whose heartbeat has stopped
    belongs to a dead worker and may be taken over (gongkai/core/worker.py)."""

    name = models.CharField(max_length=80, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    last_result = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class OutgoingEmail(models.Model):
    """The e-mail outbox. Actions add rows inside their transaction; the worker sends them, so a
    message is neither lost while the worker is down nor sent for a rolled-back change."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    to = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A claim older than this is considered abandoned by a crashed worker.
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
