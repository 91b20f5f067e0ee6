"""The background worker: due jobs run, a failing job does not stop the others, a worker that was
down catches up at once, and two workers never both win the claim on a job."""

from __future__ import annotations

import datetime
import os
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.core import jobs as jobs_module
from gongkai.core import worker
from gongkai.core.jobs import Job
from gongkai.core.models import JobRun

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _recording_job(name: str, calls: list[str], every: int = 3600, **kw) -> Job:
    def func() -> int:
        calls.append(name)
        return len(calls)

    return Job(name=name, func=func, every_seconds=every, **kw)


def _failing_job(name: str) -> Job:
    def func() -> None:
        raise RuntimeError("邮件服务器拒绝连接")

    return Job(name=name, func=func, every_seconds=3600)


def test_a_failing_job_is_recorded_and_the_others_still_run():
    calls: list[str] = []
    jobs = [
        _recording_job("a.first", calls),
        _failing_job("b.broken"),
        _recording_job("c.last", calls),
    ]

    with time_machine.travel(T0, tick=False):
        outcomes = worker.run_due_jobs(jobs)

    assert calls == ["a.first", "c.last"]
    assert [(o.job, o.ok) for o in outcomes] == [
        ("a.first", True),
        ("b.broken", False),
        ("c.last", True),
    ]
    broken = JobRun.objects.get(name="b.broken")
    assert "RuntimeError: 邮件服务器拒绝连接" in broken.last_error
    assert broken.last_finished_at == T0 and broken.runs == 1
    last = JobRun.objects.get(name="c.last")
    assert last.last_error == "" and last.last_result == "2" and last.runs == 1


def test_a_job_that_succeeds_after_failing_clears_its_error():
    state = {"fail": True}

    def func() -> None:
        if state["fail"]:
            raise ValueError("boom")

    job = Job(name="x.flaky", func=func, every_seconds=60)
    with time_machine.travel(T0, tick=False) as clock:
        worker.run_due_jobs([job])
        assert "ValueError: boom" in JobRun.objects.get(name="x.flaky").last_error
        state["fail"] = False
        clock.shift(61)
        worker.run_due_jobs([job])
    assert JobRun.objects.get(name="x.flaky").last_error == ""


def test_a_job_does_not_run_again_before_its_interval():
    calls: list[str] = []
    job = _recording_job("x.hourly", calls, every=3600)
    with time_machine.travel(T0, tick=False) as clock:
        worker.run_due_jobs([job])
        clock.shift(3599)
        assert worker.run_due_jobs([job]) == []
        clock.shift(1)
        worker.run_due_jobs([job])
    assert calls == ["x.hourly", "x.hourly"]


def test_a_worker_down_for_days_runs_every_overdue_job_at_once():
    calls: list[str] = []
    jobs = [
        _recording_job("x.hourly", calls, every=3600),
        _recording_job("x.daily", calls, every=86400),
    ]
    with time_machine.travel(T0, tick=False):
        worker.run_due_jobs(jobs)
    calls.clear()

    # Nothing ran for three days; the first pass after restarting runs both, once each.
    with time_machine.travel(T0 + datetime.timedelta(days=3), tick=False):
        worker.run_due_jobs(jobs)
        worker.run_due_jobs(jobs)
    assert sorted(calls) == ["x.daily", "x.hourly"]
    assert JobRun.objects.get(name="x.daily").last_started_at == T0 + datetime.timedelta(days=3)


def test_two_claims_on_the_same_job_cannot_both_win():
    job = _recording_job("x.once", [], every=60)
    with time_machine.travel(T0, tick=False):
        first = worker.claim(job)
        second = worker.claim(job)
    assert first == T0
    assert second is None


def test_a_running_job_is_not_claimed_again_even_when_due(settings):
    settings.WORKER_POLL_SECONDS = 30  # heartbeat every 7.5 s, stale after 22.5 s
    job = _recording_job("x.long", [], every=60)
    with time_machine.travel(T0, tick=False) as clock:
        started = worker.claim(job)
        for _ in range(80):  # ten minutes of a long run: due again, but its heartbeat goes on
            clock.shift(7.5)
            assert worker._ours(job, started).update(heartbeat_at=timezone.now()) == 1
            assert worker.claim(job) is None


def test_a_claim_whose_heartbeat_stopped_is_taken_over_at_once(settings):
    settings.WORKER_POLL_SECONDS = 30
    calls: list[str] = []
    job = _recording_job("x.crashy", calls, every=3600)
    with time_machine.travel(T0, tick=False) as clock:
        stale = worker.claim(job)  # a worker claims it, then dies without finishing
        clock.shift(20)
        worker.run_due_jobs([job])
        assert calls == []  # 20 s without a heartbeat: maybe only slow, left alone
        assert worker.next_takeover([job]) == T0 + datetime.timedelta(seconds=22.5)
        clock.shift(3)
        # Dead: run again now, although its hourly interval has not passed.
        worker.run_due_jobs([job])
        # The dead worker's late report must not overwrite the newer run.
        worker.finish(job, stale, error="late report of a dead worker")
    run = JobRun.objects.get(name="x.crashy")
    assert calls == ["x.crashy"]
    assert run.last_started_at == T0 + datetime.timedelta(seconds=23)
    assert run.last_error == "" and run.runs == 1
    assert worker.next_takeover([job]) is None


def test_a_claim_made_before_heartbeats_existed_counts_as_abandoned():
    calls: list[str] = []
    job = _recording_job("x.old", calls, every=3600)
    JobRun.objects.create(name="x.old", last_started_at=timezone.now())
    worker.run_due_jobs([job])
    assert calls == ["x.old"]


def test_the_heartbeat_keeps_a_long_job_claimed(settings, monkeypatch):
    settings.WORKER_POLL_SECONDS = 4  # a beat every second
    job = _recording_job("x.beating", [], every=60)
    started = worker.claim(job)
    beats: list[int] = []
    monkeypatch.setattr(worker, "_ours", lambda j, s: beats.append(1) or JobRun.objects.none())
    with worker.Heartbeat(job, started):
        for _ in range(50):
            if beats:
                break
            threading.Event().wait(0.1)
    assert beats, "no heartbeat within five seconds"


def test_the_worker_imports_every_apps_jobs_module():
    names = {job.name for job in worker.discover_jobs()}
    assert {"core.send_email", "core.clear_sessions"} <= names


def test_worker_once_runs_registered_jobs_and_fails_when_one_failed(monkeypatch, capsys):
    calls: list[str] = []
    worker.discover_jobs()  # the real jobs modules are imported before the registry is swapped
    monkeypatch.setattr(jobs_module, "_JOBS", {})
    jobs_module.job("t.good", every_seconds=60)(lambda: calls.append("good"))
    jobs_module.job("t.bad", every_seconds=60)(lambda: 1 / 0)

    with pytest.raises(CommandError) as failed:
        call_command("worker", "--once")

    assert failed.value.returncode == 1
    assert calls == ["good"]
    out = capsys.readouterr().out
    assert "t.good: 完成" in out and "t.bad: 失败：ZeroDivisionError" in out


def test_worker_list_shows_jobs_and_their_last_error(monkeypatch, capsys):
    worker.discover_jobs()
    monkeypatch.setattr(jobs_module, "_JOBS", {})
    jobs_module.job("t.bad", every_seconds=60)(lambda: 1 / 0)
    worker.run_due_jobs()
    call_command("worker", "--list")
    out = capsys.readouterr().out
    assert "t.bad" in out and "共 1 次" in out and "ZeroDivisionError" in out


def test_run_forever_stops_after_the_pass_in_hand_when_asked(monkeypatch):
    calls: list[str] = []
    stop = threading.Event()

    def ask_to_stop() -> None:
        calls.append("stop requested")
        stop.set()  # what the SIGTERM handler of `gongkai worker` does

    jobs = [Job("a.stopper", ask_to_stop, 60), _recording_job("b.after", calls, every=60)]
    monkeypatch.setattr(worker, "discover_jobs", lambda: jobs)
    worker.run_forever(stop, 1)
    assert calls == ["stop requested"]


def test_a_worker_whose_server_is_gone_stops_by_itself(monkeypatch):
    monkeypatch.setenv(worker.PARENT_PID_ENV, str(os.getppid() + 100000))
    stop = threading.Event()
    began = timezone.now()
    worker.run_forever(stop, 30)  # returns at once instead of looping for ever
    assert (timezone.now() - began).total_seconds() < 10
    assert not JobRun.objects.exists()


def test_worker_list_shows_who_holds_a_running_job(monkeypatch, capsys):
    worker.discover_jobs()
    monkeypatch.setattr(jobs_module, "_JOBS", {})
    jobs_module.job("t.long", every_seconds=60)(lambda: None)
    assert worker.claim(jobs_module.all_jobs()[0])
    call_command("worker", "--list")
    out = capsys.readouterr().out
    assert f"运行中：{worker.WORKER_ID}，心跳 0 秒前" in out
