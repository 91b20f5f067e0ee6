"""`gongkai worker`: the background worker on its own (see gongkai/core/worker.py)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.core import worker
from gongkai.core.models import JobRun


class Command(BaseCommand):
    help = "运行后台任务（定时发布、期限提醒、索引、邮件发送等），直到收到停止信号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="只运行一轮到期的任务后退出（有任务失败时退出码为 1）",
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="列出已登记的任务及其上次运行情况后退出",
        )

    def handle(self, *args, once: bool = False, list_jobs: bool = False, **options):
        if list_jobs:
            self._list()
            return
        if once:
            missing = worker.pending_migrations()
            if missing:
                raise CommandError(
                    f"数据库结构不是最新的（缺 {missing} 个迁移），请先运行 gongkai migrate。",
                    returncode=1,
                )
            outcomes = worker.run_due_jobs()
            for outcome in outcomes:
                state = "完成" if outcome.ok else f"失败：{outcome.error}"
                self.stdout.write(f"{outcome.job}: {state} ({outcome.seconds:.1f}s)")
            if not outcomes:
                self.stdout.write("没有到期的任务。")
            if any(not o.ok for o in outcomes):
                raise CommandError("有任务失败，详见上方日志。", returncode=1)
            return

        stop = threading.Event()

        def request_stop(signum, frame):
            # Finish the job in hand, then leave; a second signal does the same.
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        worker.run_forever(stop)

    def _list(self) -> None:
        if worker.pending_migrations():
            raise CommandError("数据库结构不是最新的，请先运行 gongkai migrate。", returncode=1)
        runs = {run.name: run for run in JobRun.objects.all()}
        jobs = worker.discover_jobs()
        if not jobs:
            self.stdout.write("没有登记的任务。")
        for job in jobs:
            run = runs.get(job.name)
            last = (
                timezone.localtime(run.last_started_at).strftime("%Y-%m-%d %H:%M:%S")
                if run and run.last_started_at
                else "从未运行"
            )
            line = f"{job.name:<40} 每 {job.every_seconds:>6} 秒  上次开始 {last}"
            if run and run.runs:
                line += f"  共 {run.runs} 次"
            if (
                run
                and run.last_started_at
                and not (run.last_finished_at and run.last_finished_at >= run.last_started_at)
            ):
                beat_at = run.heartbeat_at or run.last_started_at
                beat = int((timezone.now() - beat_at).total_seconds())
                line += f"  运行中：{run.claimed_by or '?'}，心跳 {beat} 秒前"
            if run and run.last_error:
                line += "  上次失败：" + run.last_error.strip().splitlines()[-1][:120]
            self.stdout.write(line)
