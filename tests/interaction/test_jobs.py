import datetime

from gongkai.core.jobs import all_jobs
from gongkai.core.models import OutgoingEmail
from gongkai.interaction import actions, jobs
from gongkai.lib.ratelimit import Rate, hit
from tests.interaction.conftest import at, submit

D = datetime.date


def test_the_jobs_are_registered():
    names = {job.name for job in all_jobs()}
    assert {"interaction.remind_overdue_letters", "interaction.purge_abuse_counters"} <= names


def test_an_overdue_forwarded_letter_is_reminded_once(cast):
    cast.station_drafter.email = "station@example.cn"
    cast.station_drafter.save()
    with at(D(2026, 6, 1)):
        letter = submit(cast.zhuwang).letter
        actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station, workdays=2)
    OutgoingEmail.objects.all().delete()
    with at(D(2026, 6, 3)):
        assert jobs.remind_overdue_letters() == 0  # due today: not late yet
    with at(D(2026, 6, 4)):
        assert jobs.remind_overdue_letters() == 1
        assert jobs.remind_overdue_letters() == 0
    mail = OutgoingEmail.objects.get()
    assert "station@example.cn" in mail.to
    assert "超过办理期限" in mail.subject


def test_an_answered_letter_is_not_reminded(cast):
    with at(D(2026, 6, 1)):
        letter = submit(cast.zhuwang).letter
        actions.letter_forward(actor=cast.drafter, letter=letter, to_unit=cast.station, workdays=1)
        actions.letter_answer(actor=cast.station_drafter, letter=letter, reply="已办。")
    with at(D(2026, 6, 10)):
        assert jobs.remind_overdue_letters() == 0


def test_old_counters_are_purged(db):
    hit("t.form", "a", rates=[Rate(5, 60)], now=1_000_000.0)
    assert jobs.purge_abuse_counters() == 1
