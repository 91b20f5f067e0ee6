"""The deadline engine of 依申请公开 (DOMAIN.md §3), in working days (工作日).

Pure functions first, each taking the dates it needs and an optional `WorkCalendar` (pass one
when computing many deadlines in a row; it loads each year once):

- `reply_due(clock_start, excluded=..., extension_days=...)`: the 20-working-day reply deadline.
  The clock counts from the received date, or from the day the corrected application arrived.
  Working days inside an excluded interval (a consultation, a fee awaiting payment) do not count;
  an approved extension adds its days to the count.
- `correction_notice_due(received)`: the last day for the one-time 补正 notice (7 WD).
- `consultation_due(sent)`: the last day for a consulted party's opinion (15 WD).
- `payment_due(notice_date, days)`: the last day to pay a fee (default 20 WD).
- `consultation_interval`, `fee_interval`: the excluded interval of each.

Through a year without a holiday notice the calendar counts by the 放假办法's statutory
holidays (gongkai.workdays.provisional): every deadline has a date, marked provisional, and the
earliest date the notice could make it is kept for the alarms (a strict calendar still raises
`MissingCalendarData`, naming the year).

Then the glue to the models: `compute_due(application)` gathers the case's rows,
`refresh_due(application)` stores the result on the row, `deadline_status` derives
overdue / due soon (on the earliest possible date while provisional), and
`recompute_open_cases(years)` runs after a calendar change, telling applicants whose promised
date moved.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.workdays.calendar import Dated, WorkCalendar, count_workdays

logger = logging.getLogger(__name__)

REPLY_WORKDAYS = 20  # 条例33
CORRECTION_NOTICE_WORKDAYS = 7  # 条例30
CONSULTATION_WORKDAYS = 15  # 条例32, 34
MAX_EXTENSION_WORKDAYS = 20  # 条例33
DEFAULT_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号

_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Interval:
    """Days excluded from the reply clock, both ends included."""

    start: datetime.date
    end: datetime.date
    reason: str = ""

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _cal(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else WorkCalendar()


def reply_due(
    clock_start: datetime.date,
    *,
    excluded: Iterable[Interval] = (),
    extension_days: int = 0,
    limit: int = REPLY_WORKDAYS,
    calendar: WorkCalendar | None = None,
) -> datetime.date:
    """The reply deadline: the (limit + extension)-th counted working day after `clock_start`,
    skipping working days inside any excluded interval (overlapping intervals count once)."""
    if not 0 <= extension_days <= MAX_EXTENSION_WORKDAYS:
        raise ValueError("extension_days must be between 0 and 20")
    cal = _cal(calendar)
    intervals = [i for i in excluded if i.end > clock_start]
    remaining = limit + extension_days
    day = clock_start
    while remaining:
        day += _ONE_DAY
        if cal.is_workday(day) and not any(day in i for i in intervals):
            remaining -= 1
    return day


def excluded_workdays(
    clock_start: datetime.date,
    until: datetime.date,
    excluded: Iterable[Interval],
    calendar: WorkCalendar | None = None,
) -> int:
    """How many working days in (clock_start, until] fall inside an excluded interval."""
    cal = _cal(calendar)
    intervals = list(excluded)
    count = 0
    day = clock_start
    while day < until:
        day += _ONE_DAY
        if any(day in i for i in intervals) and cal.is_workday(day):
            count += 1
    return count


def correction_notice_due(
    received: datetime.date, calendar: WorkCalendar | None = None
) -> datetime.date:
    """The last day on which the one-time 补正 notice may be issued (provisional through a year
    without a notice: then the latest date, so a notice is never refused too early)."""
    return _cal(calendar).add_workdays(received, CORRECTION_NOTICE_WORKDAYS)


def consultation_due(sent: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    """The last day for the consulted party's opinion: 15 WD after the letter was delivered
    (`sent` is the delivery day here; see consultation_delivery)."""
    return _cal(calendar).add_workdays(sent, CONSULTATION_WORKDAYS)


def payment_due(
    notice_date: datetime.date,
    days: int = DEFAULT_PAYMENT_WORKDAYS,
    calendar: WorkCalendar | None = None,
) -> datetime.date:
    """The last day to pay: `days` WD counted from the day after the fee notice."""
    return _cal(calendar).add_workdays(notice_date, days)


def dated(start: datetime.date, n: int, calendar: WorkCalendar | None = None) -> Dated:
    """start + n working days, with whether it is provisional (and its earliest date)."""
    return count_workdays(start, n, calendar)


# 条例32: the consulted party's 15 WD run from delivery. Without a recorded delivery date each
# channel has a default assumption, stated in the letter: handed over, e-mailed or faxed, the
# day it was sent; by post, the third working day after sending.
ASSUMED_DELIVERY_WORKDAYS = {"in_person": 0, "email": 0, "fax": 0, "mail": 3}


def assumed_delivery(
    sent: datetime.date, delivery: str, calendar: WorkCalendar | None = None
) -> datetime.date:
    return _cal(calendar).add_workdays(sent, ASSUMED_DELIVERY_WORKDAYS.get(delivery, 3))


def consultation_delivery(consultation, calendar: WorkCalendar | None = None) -> datetime.date:
    """The day the letter reached the consulted party: recorded, or the channel's assumption."""
    if consultation.delivered_date is not None:
        return consultation.delivered_date
    return assumed_delivery(consultation.sent_date, consultation.delivery, calendar)


def consultation_due_of(consultation, calendar: WorkCalendar | None = None) -> datetime.date:
    """The last day for the opinion: 15 WD counted from the day after delivery."""
    return consultation_due(consultation_delivery(consultation, calendar), calendar)


def consultation_interval(
    sent: datetime.date,
    reply_date: datetime.date | None,
    due: datetime.date,
) -> Interval:
    """From the day after the letter is sent to the day the opinion arrives or the 15 WD run
    out, whichever is first. While no opinion has arrived the interval runs to the due day."""
    end = due if reply_date is None else min(reply_date, due)
    return Interval(sent + _ONE_DAY, max(end, sent), reason="consultation")


def fee_interval(
    notice_date: datetime.date,
    paid_date: datetime.date | None,
    due: datetime.date,
) -> Interval:
    """From the day after the fee notice to the day of payment (while unpaid: the last day of
    the payment period; an unpaid fee then ends the case as 3.6.2)."""
    end = due if paid_date is None else paid_date
    return Interval(notice_date + _ONE_DAY, max(end, notice_date), reason="fee")


# -- the glue to the models -----------------------------------------------------------------


@dataclass(frozen=True)
class DueResult:
    due_date: datetime.date | None
    provisional: bool = False
    earliest: datetime.date | None = None  # set while provisional

    @property
    def stored(self) -> tuple[datetime.date | None, bool, datetime.date | None]:
        return (self.due_date, self.provisional, self.earliest)


def case_intervals(application, calendar: WorkCalendar | None = None) -> list[Interval]:
    """The excluded intervals of a case: its consultations and its fee notice."""
    cal = _cal(calendar)
    intervals: list[Interval] = []
    for c in application.consultations.all():
        # An open consultation's last day follows the calendar (it may be provisional); a
        # closed one keeps the day it closed on.
        due = (
            consultation_due_of(c, cal) if c.closed_date is None else (c.due_date or c.closed_date)
        )
        intervals.append(consultation_interval(c.sent_date, c.closed_date or c.reply_date, due))
    fee = getattr(application, "fee", None)
    if fee is not None and fee.notice_date is not None:
        due = fee.payment_due or payment_due(fee.notice_date, fee.payment_days, cal)
        intervals.append(fee_interval(fee.notice_date, fee.paid_date, due))
    return intervals


def approved_extension_days(application) -> int:
    from gongkai.applications.models import Extension

    ext = application.extensions.filter(status=Extension.Status.APPROVED).first()
    return ext.days if ext is not None else 0


def compute_due(
    application,
    calendar: WorkCalendar | None = None,
    earliest_calendar: WorkCalendar | None = None,
) -> DueResult:
    """The reply deadline of `application` from its rows. None while nothing runs: not yet
    received, or awaiting correction. A concluded case keeps the deadline it had (the on-time
    figures compare the reply date with it)."""
    from gongkai.applications.models import CLOCK_STATES, CONCLUDED_STATES

    if application.received_date is None or (
        application.state not in CLOCK_STATES and application.state not in CONCLUDED_STATES
    ):
        return DueResult(None)
    if application.imported and application.state in CONCLUDED_STATES:
        # A paper 台账 row: its extensions and excluded days were never recorded here.
        return DueResult(None)
    if application.deadline_override is not None:
        return DueResult(application.deadline_override)
    start = application.clock_start
    cal = _cal(calendar)
    extension = approved_extension_days(application)
    due = reply_due(
        start, excluded=case_intervals(application, cal), extension_days=extension, calendar=cal
    )
    if not cal.provisional_years(start, due):
        return DueResult(due)
    early_cal = earliest_calendar or WorkCalendar(earliest=True)
    earliest = reply_due(
        start,
        excluded=case_intervals(application, early_cal),
        extension_days=extension,
        calendar=early_cal,
    )
    return DueResult(due, provisional=True, earliest=min(earliest, due))


def refresh_due(
    application,
    calendar: WorkCalendar | None = None,
    earliest_calendar: WorkCalendar | None = None,
) -> DueResult:
    """Recompute and store the due date (only the three deadline columns are written)."""
    result = compute_due(application, calendar, earliest_calendar)
    if (application.due_date, application.due_provisional, application.due_earliest) != (
        result.stored
    ):
        application.due_date, application.due_provisional, application.due_earliest = result.stored
        type(application).objects.filter(pk=application.pk).update(
            due_date=result.due_date,
            due_provisional=result.provisional,
            due_earliest=result.earliest,
        )
    return result


def due_soon_workdays() -> int:
    return int(getattr(settings, "DUE_SOON_WORKDAYS", 3))


def deadline_status(
    application, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> str:
    """'overdue' (past the due date), 'due_soon' (at most DUE_SOON_WORKDAYS working days left),
    'on_time' or '' (no clock runs). While the due date is provisional the status is taken on
    the earliest date the holiday notice could make it (a conservative alarm)."""
    from gongkai.applications.models import CLOCK_STATES

    if application.state not in CLOCK_STATES or application.due_date is None:
        return ""
    return status_for(application.due_alarm, today=today, calendar=calendar)


def status_for(
    due: datetime.date, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> str:
    today = today or timezone.localdate()
    if today > due:
        return "overdue"
    left = _cal(calendar).workdays_between(today, due)
    return "due_soon" if left <= due_soon_workdays() else "on_time"


def workdays_left(
    application, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> int | None:
    """Working days from today to the alarm date (negative when overdue); None without one."""
    if application.due_date is None:
        return None
    return _cal(calendar).workdays_between(today or timezone.localdate(), application.due_alarm)


def recompute_open_cases(years: Iterable[int] | None = None) -> None:
    """The calendar-changed callback: see recompute_count."""
    recompute_count(years)


def recompute_count(years: Iterable[int] | None = None) -> int:
    """Recompute the stored due date of open cases whose deadline may touch `years` (all when
    None), and of every case whose due date is provisional (concluded ones too: the on-time
    figures use them). Returns how many open cases' deadlines changed.

    For an open case whose date moved, or became final, the history gets an entry (case, old
    date, new date: the workbench lists the moves) and the applicant is told by e-mail in a
    neutral sentence when the date they were promised moved. Registered as a calendar-changed
    callback, so a holiday import updates deadlines at once."""
    from django.db.models import Q

    from gongkai.applications import history
    from gongkai.applications.models import CLOCK_STATES, Application, CaseEvent

    cases = Application.objects.filter(received_date__isnull=False).filter(
        Q(state__in=CLOCK_STATES) | Q(due_provisional=True)
    )
    if years is not None:
        years = set(years)
        if not years:
            return 0
        # A case received in December may be due in the next year.
        cases = cases.filter(
            Q(received_date__year__gte=min(years) - 1)
            | Q(due_provisional=True)
            | Q(due_date__year__gte=min(years))
        )
    cal = WorkCalendar()
    early = WorkCalendar(earliest=True)
    changed = 0
    for app in cases.prefetch_related("consultations", "extensions").select_related("fee", "organ"):
        with transaction.atomic():
            before = (app.due_date, app.due_provisional)
            old_fact = _old_fact(app)
            result = refresh_due(app, cal, early)
            if before == (result.due_date, result.provisional) or app.state not in CLOCK_STATES:
                continue
            changed += 1
            new_fact = history.due_fact(app)
            moved = before[0] != result.due_date
            if old_fact is None or new_fact is None:
                continue
            CaseEvent.objects.create(
                application=app,
                date=timezone.localdate(),
                kind="due_recomputed",
                actor_name=_("系统"),
                summary=(
                    _("根据国务院办公厅公布的节假日安排，答复期限由 {old} 调整为 {new}")
                    if moved
                    else _("根据国务院办公厅公布的节假日安排，答复期限确定为 {new}")
                ),
                data={"old": old_fact, "new": new_fact, "moved": moved},
                public=True,
            )
            if moved:
                _tell_moved(app, old_fact, new_fact, cal)
    if changed:
        logger.info("recomputed the due date of %s open applications", changed)
    return changed


def _old_fact(app) -> dict | None:
    """The stored due date as a fact, before a recompute (the calendar has already changed, so
    the years it was provisional for are those its count ran through)."""
    from gongkai.applications import history

    if app.due_date is None:
        return None
    years: list[int] = []
    if app.due_provisional:
        start = app.clock_start or app.due_date
        years = list(range(start.year, app.due_date.year + 1))
    return history.fact(app.due_date, years)


def _tell_moved(app, old_fact: dict, new_fact: dict, cal: WorkCalendar) -> None:
    from gongkai.applications import history
    from gongkai.core.mail import enqueue_email

    enqueue_email(
        to=[app.email],
        subject=_("政府信息公开申请 %(number)s 答复期限调整") % {"number": app.number},
        body=_(
            "%(name)s：\n\n根据国务院办公厅公布的节假日安排，"
            "您的政府信息公开申请（编号 %(number)s）的答复期限由 %(old)s 调整为 %(new)s。"
            "\n\n%(organ)s"
        )
        % {
            "name": app.applicant_name,
            "number": app.number,
            "old": history.format_day(datetime.date.fromisoformat(old_fact["date"]))
            + (_("（暂定）") if old_fact["years"] else ""),
            "new": history.phrase(new_fact, cal, long=True),
            "organ": app.organ.name,
        },
    )
