"""Reads of applications used by several pages, the workbench, the jobs and the annual report.

Visibility: staff see the applications of the organs they hold `unit.view` on (their unit and
below) and those assigned to a department they hold it on. A sibling township sees nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications import deadlines
from gongkai.applications.codes import ApplicantType, Decision
from gongkai.applications.models import (
    CLOCK_STATES,
    OPEN_STATES,
    Application,
    CaseEvent,
    Consultation,
    Extension,
    Remedy,
    State,
)
from gongkai.lib import crypto
from gongkai.workdays.calendar import WorkCalendar

COLUMNS = [*ApplicantType.values, "total"]
RESULT_ROWS = [d.value for d in Decision]
REPORT_ROWS = ["1", "2", *RESULT_ROWS, "3.7", "4"]
REMEDY_KINDS = list(Remedy.Kind.values)
REMEDY_RESULTS = list(Remedy.Result.values)


def visible_to(user: Any, perm: str = "unit.view") -> QuerySet[Application]:
    """The applications `user` may see (or act on, for another `perm`)."""
    units = permissions.units_for(user, perm)
    return Application.objects.filter(Q(organ__in=units) | Q(department__in=units)).distinct()


def get_visible(user: Any, pk: int) -> Application | None:
    return visible_to(user).select_related("organ", "department", "assignee").filter(pk=pk).first()


def same_applicant(user: Any, application: Application, limit: int = 20) -> list[Application]:
    """Other applications `user` may see from the same applicant (to spot repeated requests and
    count 按件 fees): matched by the keyed hash of the identity number, else the credit code."""
    if application.id_doc_number_hash:
        match = Q(id_doc_number_hash=application.id_doc_number_hash)
    elif application.credit_code:
        match = Q(credit_code=application.credit_code)
    else:
        return []
    rows = visible_to(user).filter(match).exclude(pk=application.pk)
    return list(rows.select_related("organ").order_by("-submitted_at")[:limit])


def find_for_applicant(number: str, query_code: str) -> Application | None:
    """The application an applicant asks about on the public status page, or None when the
    number and the code do not match (the same answer either way: nothing to probe)."""
    app = Application.objects.filter(number=number.strip().upper()).first()
    if app is None:
        Application.digest_of(query_code)  # same work whether or not the number exists
        return None
    return app if app.check_query_code(query_code) else None


def public_events(application: Application):
    """The events the applicant sees. A consulted third party is never named (条例15: it may be
    a natural person whose identity is itself private); other organs are."""
    events = list(application.events.filter(public=True).order_by("at", "id"))
    names = sorted(
        {
            name
            for name in application.consultations.filter(
                party=Consultation.Party.THIRD_PARTY
            ).values_list("party_name", flat=True)
            if name.strip()
        },
        key=len,
        reverse=True,
    )
    for event in events:
        for name in names:
            event.summary = event.summary.replace(name, "第三方")
            event.note = event.note.replace(name, "第三方")
    return events


# -- queues ----------------------------------------------------------------------------------


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def awaiting_confirmation(user: Any) -> QuerySet[Application]:
    return visible_to(user, "applications.register").filter(state=State.PENDING_CONFIRMATION)


def awaiting_correction(user: Any) -> QuerySet[Application]:
    return visible_to(user, "applications.handle").filter(state=State.CORRECTION)


def open_consultations(user: Any) -> QuerySet[Consultation]:
    cases = visible_to(user, "applications.handle").filter(state__in=OPEN_STATES)
    return Consultation.objects.filter(application__in=cases, closed_date__isnull=True)


def awaiting_sign_off(user: Any) -> QuerySet[Application]:
    return visible_to(user, "applications.sign_off").filter(state=State.AWAITING_SIGN_OFF)


def extensions_to_approve(user: Any) -> QuerySet[Extension]:
    cases = visible_to(user, "applications.approve_extension").filter(state__in=OPEN_STATES)
    return Extension.objects.filter(application__in=cases, status=Extension.Status.REQUESTED)


def provisional(user: Any) -> QuerySet[Application]:
    """Open cases whose due date is provisional (a year it runs through has no notice yet)."""
    return visible_to(user).filter(state__in=CLOCK_STATES, due_provisional=True)


def with_alarm(qs: QuerySet[Application]) -> QuerySet[Application]:
    """`alarm`: the date alarms fire on (the earliest possible one while provisional)."""
    return qs.annotate(alarm=Coalesce("due_earliest", "due_date"))


def overdue(qs: QuerySet[Application], today: datetime.date | None = None):
    return with_alarm(qs.filter(state__in=CLOCK_STATES)).filter(alarm__lt=_today(today))


def moved_deadlines(user: Any, days: int = 30) -> QuerySet[CaseEvent]:
    """Deadlines a holiday notice moved in the last `days` days, on open cases (case, old date,
    new date: the history entries the recompute wrote)."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    cases = visible_to(user, "applications.handle").filter(state__in=OPEN_STATES)
    return (
        CaseEvent.objects.filter(
            application__in=cases, kind="due_recomputed", date__gte=since, data__moved=True
        )
        .select_related("application")
        .order_by("-at", "-id")
    )


def due_soon(
    qs: QuerySet[Application],
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> list[Application]:
    """Cases with at most DUE_SOON_WORKDAYS working days left (not yet overdue). Filtered in
    two steps: a calendar-day window that surely contains them, then the working-day count."""
    today = _today(today)
    window = today + datetime.timedelta(days=2 * deadlines.due_soon_workdays() + 20)
    cal = calendar or WorkCalendar()
    candidates = with_alarm(qs.filter(state__in=CLOCK_STATES)).filter(
        alarm__gte=today, alarm__lte=window
    )
    return [
        a
        for a in candidates.order_by("alarm", "id")
        if a.due_date is not None
        and deadlines.status_for(a.due_alarm, today=today, calendar=cal) == "due_soon"
    ]


def queues_for_user(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Every application queue of `user`, by name (what the workbench and the list page show)."""
    handled = visible_to(user, "applications.handle")
    return {
        "awaiting_confirmation": awaiting_confirmation(user),
        "awaiting_correction": awaiting_correction(user),
        "consultations": open_consultations(user),
        "due_soon": due_soon(handled, today),
        "overdue": overdue(handled, today),
        "awaiting_sign_off": awaiting_sign_off(user),
        "extensions_to_approve": extensions_to_approve(user),
        "provisional": provisional(user),
        "moved": moved_deadlines(user),
    }


# -- the annual report ---------------------------------------------------------------------------


def _empty_table(rows: Iterable[str], columns: Iterable[str]) -> dict[str, dict[str, int]]:
    cols = list(columns)
    return {row: dict.fromkeys(cols, 0) for row in rows}


def report_counts(organ: Unit, year: int) -> dict[str, dict[str, int]]:
    """The section 三 table of `organ` for `year` (REPORT_FORMAT.md): every row code × every
    column code, zeros included. Counting (DOMAIN.md §4):

    - 1: received in the year;
    - 2: received before the year and not concluded before it;
    - 3.x: concluded in the year, by decision; 3.7 their sum;
    - 4: received by the end of the year and not concluded by then.

    So per column 1 + 2 = 3.7 + 4. Discarded and unconfirmed submissions do not count."""
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    table = _empty_table(REPORT_ROWS, COLUMNS)
    cases = Application.objects.received().filter(organ=organ, received_date__lte=last)
    cases = cases.filter(Q(concluded_date__isnull=True) | Q(concluded_date__gte=first))
    for received, concluded, decision, column in cases.values_list(
        "received_date", "concluded_date", "decision", "applicant_type"
    ):
        rows = ["1" if received is not None and received >= first else "2"]
        if concluded is not None and concluded <= last:
            rows += [decision, "3.7"]
        else:
            rows.append("4")
        for row in rows:
            table[row][column] += 1
            table[row]["total"] += 1
    return table


def report_balance_errors(table: dict[str, dict[str, int]]) -> list[str]:
    """The columns where 1 + 2 ≠ 3.7 + 4 or 3.7 ≠ the sum of the 3.x rows (empty when sound)."""
    problems = []
    for column in COLUMNS:
        if table["1"][column] + table["2"][column] != table["3.7"][column] + table["4"][column]:
            problems.append(f"{column}: 1 + 2 != 3.7 + 4")
        if sum(table[row][column] for row in RESULT_ROWS) != table["3.7"][column]:
            problems.append(f"{column}: 3.7 != sum of 3.x")
    return problems


def remedy_counts(organ: Unit, year: int) -> dict[str, dict[str, int]]:
    """The section 四 table: remedies filed in `year` against `organ`, by kind and by their
    result as of the end of the year (a result decided later counts as 尚未审结)."""
    last = datetime.date(year, 12, 31)
    table = _empty_table(REMEDY_KINDS, [*REMEDY_RESULTS, "total"])
    rows = Remedy.objects.filter(organ=organ, filed_date__year=year).values_list(
        "kind", "result", "result_date"
    )
    for kind, result, result_date in rows:
        if result_date is None or result_date > last:
            result = Remedy.Result.PENDING
        table[kind][result] += 1
        table[kind]["total"] += 1
    return table


def fees_collected(organ: Unit, year: int):
    """The information-processing fees paid to `organ` in `year` (元), for section 六."""
    from django.db.models import Sum

    from gongkai.applications.models import Fee

    total = Fee.objects.filter(application__organ=organ, paid_date__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    return total or 0


# -- the applicant's side ----------------------------------------------------------------------

_NOT_CONTENT = re.compile(r"[\s\W_]+", re.UNICODE)


def same_applicant_and_content(app: Application, data: dict[str, Any]) -> bool:
    """Whether `data` (a new online request) is `app` sent again: the same applicant and the same
    content once spaces and punctuation are set aside. The same applicant is the same identity
    number (its keyed hash: the number itself is stored encrypted) or the same credit code; only
    when neither request carries one, the same name with the same e-mail or phone."""

    def content(text: str) -> str:
        return _NOT_CONTENT.sub("", text or "").lower()

    def contacts(email: str, phone: str) -> set[str]:
        found = {email.strip().lower()} if email and email.strip() else set()
        digits = re.sub(r"\D", "", phone or "")
        return found | ({digits[-11:]} if digits else set())

    number = (data.get("id_doc_number") or "").strip()
    credit = (data.get("credit_code") or "").strip().upper()
    if number and app.id_doc_number_hash:
        same = app.id_doc_number_hash == crypto.blind_index(number)
    elif credit and app.credit_code:
        same = app.credit_code.upper() == credit
    else:
        same = app.applicant_name.strip() == (data.get("applicant_name") or "").strip() and bool(
            contacts(app.email, app.phone)
            & contacts(data.get("email") or "", data.get("phone") or "")
        )
    return (
        same
        and content(app.description) == content(data.get("description") or "")
        and content(app.document_number) == content(data.get("document_number") or "")
    )


def earlier_duplicate(organ: Any, data: dict[str, Any]) -> Application | None:
    """An online request to `organ` within APPLICATIONS_DUPLICATE_DAYS that `data` repeats."""
    days = int(getattr(settings, "APPLICATIONS_DUPLICATE_DAYS", 30))
    if days <= 0:
        return None
    since = timezone.now() - datetime.timedelta(days=days)
    number = (data.get("id_doc_number") or "").strip()
    same = (
        Q(id_doc_number_hash=crypto.blind_index(number))
        if number
        else Q(applicant_name=(data.get("applicant_name") or "").strip())
    )
    candidates = (
        Application.objects.filter(same, organ=organ, submitted_at__gte=since)
        .exclude(state=State.DISCARDED)
        .order_by("-submitted_at")
    )
    return next((app for app in candidates if same_applicant_and_content(app, data)), None)
