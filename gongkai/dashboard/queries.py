"""The dashboard's figures for one scope and one year, month by month, aggregated in the database.

Each function returns plain data (dicts keyed by month 1–12, counters); `charts.py` turns it
into ECharts options, tables and CSV. The definitions match the annual report's
(gongkai.applications.queries.report_counts, gongkai.catalog.queries.late_publications), so
the dashboard's year totals are the report's figures:

- applications are counted in the month of their 办结日期 (concluded date), by decision group;
- the on-time rate is over applications answered with a reply (答复日期 set) in the month:
  on time when the reply date is on or before the stored reply due date (which includes
  approved extensions, excluded consultation and fee intervals and a 条例35 later deadline);
  cases closed without a reply (逾期不补正, 逾期不缴费, 撤回) have no reply to be late with;
- working days to reply run from the 收到申请日期 to the 答复日期, the first day not counted;
- publications are the versions published in the month (a revised text published again is a
  new publication with its own 20-working-day limit), late when published after their due date;
- mailbox response times run from the letter's arrival to its answer, in working days.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, TruncDate
from django.db.models.lookups import GreaterThan

from gongkai.applications.models import Application
from gongkai.catalog.models import ItemVersion, VersionState
from gongkai.dashboard.scope import Scope, letter_model
from gongkai.dashboard.spans import WorkdayIndex
from gongkai.workdays.calendar import WorkCalendar

MONTHS = range(1, 13)
# The result groups of the annual report's section 三 (REPORT_FORMAT.md rows (一)–(六)).
DECISION_GROUPS = ("3.1", "3.2", "3.3", "3.4", "3.5", "3.6")


def group_of(decision: str) -> str:
    """The report group of a decision code: "3.3.4" -> "3.3"."""
    return decision[:3]


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _concluded_in(scope: Scope, year: int):
    first, last = _year_bounds(year)
    return scope.applications(Application.objects.received()).filter(
        concluded_date__gte=first, concluded_date__lte=last
    )


# ------------------------------------------------------------------ applications


@dataclass
class OnTime:
    on_time: int = 0
    late: int = 0
    unknown: int = 0  # no due date (rows from before due dates were kept after the reply)
    provisional: int = 0  # judged against a provisional due date (a year without a notice)

    @property
    def replied(self) -> int:
        return self.on_time + self.late + self.unknown

    @property
    def rate(self) -> float | None:
        """Per cent on time among replies with a known due date (None when there are none)."""
        judged = self.on_time + self.late
        return round(100 * self.on_time / judged, 1) if judged else None


@dataclass
class ApplicationMonths:
    """Applications concluded in each month: by decision group, and the replies on time."""

    decisions: dict[int, dict[str, int]]
    on_time: dict[int, OnTime]


def application_months(scope: Scope, year: int) -> ApplicationMonths:
    """One query for both monthly tables: grouped by concluded date and decision (a few
    thousand groups at most), the month taken in Python so no per-row date function runs."""
    decisions = {m: dict.fromkeys(DECISION_GROUPS, 0) for m in MONTHS}
    on_time = {m: OnTime() for m in MONTHS}
    replied = Q(reply_date__isnull=False)
    rows = (
        _concluded_in(scope, year)
        .values_list("concluded_date", "decision")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=replied & Q(reply_date__lte=F("due_date"))),
            late=Count("id", filter=replied & Q(reply_date__gt=F("due_date"))),
            unknown=Count("id", filter=replied & Q(due_date__isnull=True)),
            provisional=Count(
                "id", filter=replied & Q(due_date__isnull=False, due_provisional=True)
            ),
        )
        .order_by()
    )
    for concluded, decision, n, in_time, late, unknown, provisional in rows:
        month = concluded.month
        group = group_of(decision)
        if group in decisions[month]:
            decisions[month][group] += n
        tally = on_time[month]
        tally.on_time += in_time
        tally.late += late
        tally.unknown += unknown
        tally.provisional += provisional
    return ApplicationMonths(decisions, on_time)


def decisions_by_month(scope: Scope, year: int) -> dict[int, dict[str, int]]:
    """Applications concluded in each month of `year`, by decision group."""
    return application_months(scope, year).decisions


def on_time_by_month(scope: Scope, year: int) -> dict[int, OnTime]:
    """Replies in each month of `year`: on time, late, due date unknown."""
    return application_months(scope, year).on_time


@dataclass
class Durations:
    """Working-day counts: per month of the end date, value -> how many."""

    by_month: dict[int, Counter[int]] = field(
        default_factory=lambda: {m: Counter() for m in MONTHS}
    )
    provisional: int = 0  # pairs counted through a year without a notice (provisional)
    provisional_years: set[int] = field(default_factory=set)

    @property
    def all(self) -> Counter[int]:
        total: Counter[int] = Counter()
        for counts in self.by_month.values():
            total.update(counts)
        return total

    def add_pairs(
        self,
        rows: list[tuple[datetime.date, datetime.date, int]],
        calendar: WorkCalendar | None = None,
    ) -> None:
        """Count (start, end, how many) rows; negative spans (bad data) count as 0 days."""
        index = WorkdayIndex.for_pairs(((a, b) for a, b, _n in rows), calendar)
        if index is None:
            return
        for start, end, n in rows:
            days = index.between(start, end)
            years = index.provisional_years(start, end)
            if years:
                self.provisional += n
                self.provisional_years.update(years)
            self.by_month[end.month][max(days, 0)] += n


def reply_workdays(scope: Scope, year: int, calendar: WorkCalendar | None = None) -> Durations:
    """Working days from receipt to reply of the applications answered in `year`. The database
    groups identical (received, replied) pairs, so a year of cases is a few thousand rows."""
    rows = list(
        _concluded_in(scope, year)
        .filter(reply_date__isnull=False)
        .values_list("received_date", "reply_date")
        .annotate(n=Count("id"))
        .order_by()
    )
    durations = Durations()
    durations.add_pairs(rows, calendar)
    return durations


# ------------------------------------------------------------------ proactive disclosure


@dataclass
class Publications:
    published: int = 0
    late: int = 0
    unknown: int = 0  # no due date (rows from before provisional due dates)
    provisional: int = 0  # the due date is provisional (a year without a notice)

    @property
    def late_share(self) -> float | None:
        judged = self.published - self.unknown
        return round(100 * self.late / judged, 1) if judged else None


def publications_by_month(scope: Scope, year: int) -> dict[int, Publications]:
    """Versions published in each month, and how many of them after their due date. The
    publication day is the local (Beijing) date, as catalog.queries.late_publications has it."""
    table = {m: Publications() for m in MONTHS}
    rows = (
        scope.versions(ItemVersion.objects.all())
        .filter(published_at__year=year, fingerprint__gt="")
        .exclude(state=VersionState.SECRET)
        .annotate(month=ExtractMonth("published_at"))
        .values("month")
        .annotate(
            published=Count("id"),
            late=Count("id", filter=GreaterThan(TruncDate("published_at"), F("due_date"))),
            unknown=Count("id", filter=Q(due_date__isnull=True)),
            provisional=Count("id", filter=Q(due_date__isnull=False) & ~Q(due_date_problem="")),
        )
        .order_by()
    )
    for row in rows:
        table[row["month"]] = Publications(
            row["published"], row["late"], row["unknown"], row["provisional"]
        )
    return table


# ------------------------------------------------------------------ the mailbox


def letter_workdays(
    scope: Scope, year: int, calendar: WorkCalendar | None = None
) -> Durations | None:
    """Working days from arrival to answer of the mailbox letters answered in `year`, by the
    month of the answer; None when the interaction app is not installed."""
    letter = letter_model()
    if letter is None:
        return None
    grouped: dict[tuple[datetime.date, datetime.date], int] = defaultdict(int)
    rows = (
        scope.letters(letter.objects.all())
        .filter(answered_at__year=year)
        .annotate(arrived=TruncDate("received_at"), answered=TruncDate("answered_at"))
        .values_list("arrived", "answered")
        .annotate(n=Count("id"))
        .order_by()
    )
    for arrived, answered, n in rows:
        grouped[(arrived, answered)] += n
    durations = Durations()
    durations.add_pairs([(a, b, n) for (a, b), n in grouped.items()], calendar)
    return durations


# ------------------------------------------------------------------ ratings


def ratings_by_month(scope: Scope, year: int) -> dict[int, Counter[str]]:
    """The citizens' ratings (满意 / 基本满意 / 不满意) of application replies and mailbox answers
    given in `year`, by month of the rating: {month: Counter(rating: n)}."""
    months: dict[int, Counter[str]] = {m: Counter() for m in range(1, 13)}
    sources = [scope.applications(Application.objects.all())]
    letter = letter_model()
    if letter is not None:
        sources.append(scope.letters(letter.objects.all()))
    for qs in sources:
        rows = (
            qs.filter(rated_at__year=year)
            .exclude(rating="")
            .annotate(month=ExtractMonth("rated_at"))
            .values_list("month", "rating")
            .annotate(n=Count("id"))
            .order_by()
        )
        for month, rating, n in rows:
            months[month][rating] += n
    return months
