"""The e-mail outbox: a queued message is sent once by the worker, failures are retried with a
pause and then given up, a claimed message cannot be claimed twice, and a message left in
"sending" by a crashed worker goes back in the queue."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from gongkai.core import jobs
from gongkai.core.mail import MAX_ATTEMPTS, claim, enqueue_email, send_queued
from gongkai.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
Status = OutgoingEmail.Status


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "gongkai@zhuwang.example"


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("邮件服务器拒绝连接")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


def test_a_queued_message_is_sent_once_by_the_worker_job():
    enqueue_email(
        to=["applicant@example.com", " applicant@example.com "],
        subject="您的申请已受理",
        body="申请编号 2026-0001",
    )

    assert jobs.send_email() == 1
    assert jobs.send_email() == 0

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["applicant@example.com"]
    assert sent.subject == "您的申请已受理"
    assert sent.from_email == "gongkai@zhuwang.example"
    row = OutgoingEmail.objects.get()
    assert row.status == Status.SENT and row.sent_at is not None and row.attempts == 1


def test_nothing_is_queued_without_a_recipient():
    assert enqueue_email(to=["", "  "], subject="x", body="y") is None
    assert not OutgoingEmail.objects.exists()


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(to=["a@example.com"], subject="已办结", body="...")
        raise RuntimeError("the action failed after queueing")
    assert send_queued() == 0
    assert mail.outbox == []


def test_a_subject_cannot_carry_extra_header_lines():
    enqueue_email(to=["a@example.com"], subject="提醒\nBcc: everyone@example.com", body="...")
    send_queued()
    assert mail.outbox[0].subject == "提醒 Bcc: everyone@example.com"


def test_a_failed_send_is_retried_after_a_pause_and_then_given_up(smtp_down):
    enqueue_email(to=["a@example.com"], subject="提醒", body="...")
    with time_machine.travel(T0, tick=False) as clock:
        assert send_queued() == 0
        row = OutgoingEmail.objects.get()
        assert (row.status, row.attempts) == (Status.PENDING, 1)
        assert "ConnectionRefusedError" in row.last_error

        send_queued()  # within the one-minute pause: not tried again
        assert OutgoingEmail.objects.get().attempts == 1

        for _ in range(MAX_ATTEMPTS):
            clock.shift(datetime.timedelta(hours=3))
            send_queued()
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, MAX_ATTEMPTS)


def test_a_message_that_failed_once_is_sent_when_the_server_is_back(monkeypatch):
    enqueue_email(to=["a@example.com"], subject="提醒", body="...")
    with time_machine.travel(T0, tick=False) as clock:
        with monkeypatch.context() as patch:
            patch.setattr(
                "django.core.mail.backends.locmem.EmailBackend.send_messages",
                lambda self, messages: (_ for _ in ()).throw(OSError("timed out")),
            )
            send_queued()
        clock.shift(61)
        assert send_queued() == 1
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_message_cannot_be_claimed_twice():
    message = enqueue_email(to=["a@example.com"], subject="提醒", body="...")
    other_workers_copy = OutgoingEmail.objects.get(pk=message.pk)
    assert claim(message, T0) is True
    assert claim(other_workers_copy, T0) is False
    assert OutgoingEmail.objects.get().attempts == 1


def test_a_message_stuck_in_sending_goes_back_in_the_queue():
    message = enqueue_email(to=["a@example.com"], subject="提醒", body="...")
    with time_machine.travel(T0, tick=False) as clock:
        claim(message, T0)  # the worker that claimed it died before sending
        assert send_queued() == 0  # still within its claim: left alone
        clock.shift(datetime.timedelta(minutes=16))
        assert send_queued() == 1
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert len(mail.outbox) == 1


def test_a_stuck_message_on_its_last_attempt_is_marked_failed():
    message = enqueue_email(to=["a@example.com"], subject="提醒", body="...")
    OutgoingEmail.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    message.refresh_from_db()
    with time_machine.travel(T0, tick=False) as clock:
        claim(message, T0)
        clock.shift(datetime.timedelta(hours=1))
        send_queued()
    row = OutgoingEmail.objects.get()
    assert row.status == Status.FAILED and "中断" in row.last_error
    assert mail.outbox == []
