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

Every function raises `MissingCalendarData` (naming the year) when the calendar has no data for
a year it needs: a deadline is never guessed from weekends alone.

Then the glue to the models: `compute_due(application)` gathers the case's rows,
`refresh_due(application)` stores the result on the row, `deadline_status` derives
overdue / due soon, and `recompute_open_cases(years)` runs after a calendar change.
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

from gongkai.workdays.calendar import MissingCalendarData, WorkCalendar

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
    """The last day on which the one-time 补正 notice may be issued."""
    return _cal(calendar).add_workdays(received, CORRECTION_NOTICE_WORKDAYS)


def consultation_due(sent: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    """The last day for the consulted party's opinion: 15 WD after the letter was sent."""
    return _cal(calendar).add_workdays(sent, CONSULTATION_WORKDAYS)


def payment_due(
    notice_date: datetime.date,
    days: int = DEFAULT_PAYMENT_WORKDAYS,
    calendar: WorkCalendar | None = None,
) -> datetime.date:
    """The last day to pay: `days` WD counted from the day after the fee notice."""
    return _cal(calendar).add_workdays(notice_date, days)


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
    problem: str = ""


def case_intervals(application, calendar: WorkCalendar | None = None) -> list[Interval]:
    """The excluded intervals of a case: its consultations and its fee notice."""
    cal = _cal(calendar)
    intervals: list[Interval] = []
    for c in application.consultations.all():
        due = c.due_date or consultation_due(c.sent_date, cal)
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


def compute_due(application, calendar: WorkCalendar | None = None) -> DueResult:
    """The reply deadline of `application` from its rows. No deadline (None, no problem) while
    nothing runs: not yet received, awaiting correction, or concluded."""
    from gongkai.applications.models import CLOCK_STATES

    if application.state not in CLOCK_STATES or application.received_date is None:
        return DueResult(None)
    if application.deadline_override is not None:
        return DueResult(application.deadline_override)
    start = application.clock_start
    cal = _cal(calendar)
    try:
        due = reply_due(
            start,
            excluded=case_intervals(application, cal),
            extension_days=approved_extension_days(application),
            calendar=cal,
        )
    except MissingCalendarData as exc:
        return DueResult(None, problem=str(exc))
    return DueResult(due)


def refresh_due(application, calendar: WorkCalendar | None = None) -> DueResult:
    """Recompute and store the due date (only the two deadline columns are written)."""
    result = compute_due(application, calendar)
    if (application.due_date, application.due_problem) != (result.due_date, result.problem):
        application.due_date = result.due_date
        application.due_problem = result.problem
        type(application).objects.filter(pk=application.pk).update(
            due_date=result.due_date, due_problem=result.problem
        )
    return result


def due_soon_workdays() -> int:
    return int(getattr(settings, "DUE_SOON_WORKDAYS", 3))


def deadline_status(
    application, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> str:
    """'overdue' (past the due date), 'due_soon' (at most DUE_SOON_WORKDAYS working days left),
    'on_time', 'unknown' (the calendar lacks a year: see due_problem) or '' (no clock runs)."""
    from gongkai.applications.models import CLOCK_STATES

    if application.state not in CLOCK_STATES:
        return ""
    if application.due_date is None:
        return "unknown" if application.due_problem else ""
    return status_for(application.due_date, today=today, calendar=calendar)


def status_for(
    due: datetime.date, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> str:
    today = today or timezone.localdate()
    if today > due:
        return "overdue"
    try:
        left = _cal(calendar).workdays_between(today, due)
    except MissingCalendarData:
        # Only reachable for a 条例35 deadline set into an uncovered year: count it as soon.
        return "due_soon"
    return "due_soon" if left <= due_soon_workdays() else "on_time"


def workdays_left(
    application, today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> int | None:
    """Working days from today to the due date (negative when overdue); None if unknown."""
    if application.due_date is None:
        return None
    try:
        return _cal(calendar).workdays_between(today or timezone.localdate(), application.due_date)
    except MissingCalendarData:
        return None


def recompute_open_cases(years: Iterable[int] | None = None) -> None:
    """The calendar-changed callback: see recompute_count."""
    recompute_count(years)


def recompute_count(years: Iterable[int] | None = None) -> int:
    """Recompute the stored due date of open cases whose deadline may touch `years` (all open
    cases when None), and of every case whose due date is unknown. Returns how many changed.
    Registered as a calendar-changed callback, so a holiday import updates deadlines at once."""
    from django.db.models import Q

    from gongkai.applications.models import Application, CaseEvent

    cases = Application.objects.with_clock().filter(received_date__isnull=False)
    if years is not None:
        years = set(years)
        if not years:
            return 0
        # A case received in December may be due in the next year.
        cases = cases.filter(
            Q(received_date__year__gte=min(years) - 1)
            | ~Q(due_problem="")
            | Q(due_date__year__gte=min(years))
        )
    cal = WorkCalendar()
    changed = 0
    for app in cases.prefetch_related("consultations", "extensions").select_related("fee"):
        with transaction.atomic():
            before = (app.due_date, app.due_problem)
            result = refresh_due(app, cal)
            if before == (result.due_date, result.problem):
                continue
            changed += 1
            CaseEvent.objects.create(
                application=app,
                date=timezone.localdate(),
                kind="due_recomputed",
                actor_name=_("系统"),
                summary=_("工作日历调整，答复期限由 %(old)s 改为 %(new)s")
                % {"old": before[0] or _("未知"), "new": result.due_date or _("未知")},
                note=result.problem,
            )
    if changed:
        logger.info("recomputed the due date of %s open applications", changed)
    return changed
