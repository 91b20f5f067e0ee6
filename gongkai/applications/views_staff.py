"""Staff pages of 依申请公开 under /staff/applications/: the case list with its queues, the
registration of applications received at the office, the case page with the clock, the
timeline and every step as a form, the leader's sign-off page, letters and files.

Every case is looked up through queries.get_visible: a case of another township is a 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit
from gongkai.applications import (
    actions,
    casework,
    deadlines,
    history,
    letter_docx,
    letters,
    queries,
)
from gongkai.applications.forms import RegisterForm, apply_errors
from gongkai.applications.forms_case import CaseFilter, basis_defaults
from gongkai.applications.models import (
    CLOCK_STATES,
    Application,
    CaseFile,
    Extension,
    Letter,
    State,
)
from gongkai.applications.views_steps import BY_NAME, available, is_available, run_step
from gongkai.workdays.calendar import WorkCalendar, provisional_reason

PAGE_SIZE = 30
SESSION_CODES = "applications_staff_codes"

QUEUES: list[tuple[str, Any]] = [
    ("", _lazy("全部")),
    ("open", _lazy("未办结")),
    ("awaiting_confirmation", _lazy("待确认收到")),
    ("correction", _lazy("待补正")),
    ("consultation", _lazy("征求意见中")),
    ("due_soon", _lazy("即将到期")),
    ("overdue", _lazy("已超期")),
    ("sign_off", _lazy("待签发")),
    ("extensions", _lazy("待批准延期")),
    ("provisional", _lazy("期限暂定")),
]


def _require_staff(request: HttpRequest) -> None:
    if not permissions.has_any(request.user, "unit.view"):
        raise PermissionDenied


def _case(request: HttpRequest, pk: int) -> Application:
    app = queries.get_visible(request.user, pk)
    if app is None:
        raise Http404
    return app


def queue_queryset(user: Any, name: str, today: datetime.date | None = None) -> QuerySet:
    seen = queries.visible_to(user)
    if name == "open":
        return seen.filter(state__in=[*CLOCK_STATES, State.CORRECTION, State.PENDING_CONFIRMATION])
    if name == "awaiting_confirmation":
        return queries.awaiting_confirmation(user)
    if name == "correction":
        return queries.awaiting_correction(user)
    if name == "consultation":
        ids = queries.open_consultations(user).values("application_id")
        return seen.filter(pk__in=ids)
    if name == "due_soon":
        handled = queries.visible_to(user, "applications.handle")
        return seen.filter(pk__in=[a.pk for a in queries.due_soon(handled, today)])
    if name == "overdue":
        return queries.overdue(queries.visible_to(user, "applications.handle"), today)
    if name == "sign_off":
        return queries.awaiting_sign_off(user)
    if name == "extensions":
        pending = queries.extensions_to_approve(user).values("application_id")
        return seen.filter(pk__in=pending)
    if name in ("provisional", "calendar_missing"):
        return queries.provisional(user)
    return seen


def _organs(user: Any, perm: str = "unit.view") -> QuerySet[Unit]:
    return (
        Unit.objects.organs()
        .active()
        .filter(pk__in=permissions.units_for(user, perm).values("pk"))
        .order_by("path")
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    queue = request.GET.get("queue", "")
    if queue not in dict(QUEUES):
        queue = ""
    form = CaseFilter(request.GET or None, organs=_organs(request.user))
    cases = queue_queryset(request.user, queue)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            cases = cases.filter(
                Q(number__icontains=q)
                | Q(applicant_name__icontains=q)
                | Q(description__icontains=q)
            )
        for name in ("state", "applicant_type", "channel", "decision"):
            if data[name]:
                cases = cases.filter(**{name: data[name]})
        if data["organ"]:
            cases = cases.filter(organ=data["organ"])
        if data["year"]:
            cases = cases.filter(received_date__year=data["year"])
    cases = cases.select_related("organ", "department").order_by("-submitted_at", "-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    cal = WorkCalendar()
    rows = [
        {"app": a, "status": deadlines.deadline_status(a, today=today, calendar=cal)}
        for a in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    counts = {name: queue_queryset(request.user, name, today).count() for name, _l in QUEUES[2:]}
    return render(
        request,
        "applications/staff/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "queue": queue,
            "queues": [(n, label, counts.get(n)) for n, label in QUEUES],
            "query": query.urlencode(),
            "can_register": permissions.has_any(request.user, "applications.register"),
            "can_configure": permissions.has_any(request.user, "applications.configure"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    organs = _organs(request.user, "applications.register")
    if not organs.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = RegisterForm(request.POST, request.FILES, organs=organs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                receipt = casework.register(
                    actor=request.user,
                    organ=data["organ"],
                    channel=data["channel"],
                    received_date=data["received_date"],
                    identity_proof=data.get("identity_proof"),
                    **form.applicant_data(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                codes = request.session.get(SESSION_CODES, {})
                codes[str(receipt.application.pk)] = receipt.query_code
                request.session[SESSION_CODES] = codes
                messages.success(
                    request, _("已登记申请 %(n)s。") % {"n": receipt.application.number}
                )
                return redirect("applications:receipt", pk=receipt.application.pk)
    else:
        form = RegisterForm(organs=organs)
    return render(request, "applications/staff/register.html", {"form": form})


@never_cache
@login_required
@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter receipt with the query code, shown once right after registration."""
    app = _case(request, pk)
    codes = request.session.get(SESSION_CODES, {})
    code = codes.pop(str(pk), None)
    request.session[SESSION_CODES] = codes
    return render(
        request,
        "applications/staff/receipt.html",
        {
            "app": app,
            "code": code,
            "status_url": request.build_absolute_uri(reverse("applications_public:status")),
        },
    )


# -- the clock -------------------------------------------------------------------------------


@dataclass
class Paused:
    label: str
    start: datetime.date
    end: datetime.date
    running: bool
    workdays: int | None
    same_day: bool = False


@dataclass
class Clock:
    received: datetime.date | None
    start: datetime.date | None
    restarted: bool
    correction_last_day: datetime.date | None
    paused: list[Paused] = field(default_factory=list)
    extension_days: int = 0
    extension_pending: int = 0
    override: datetime.date | None = None
    due: datetime.date | None = None
    provisional: bool = False
    earliest: datetime.date | None = None  # the alarm date while provisional
    reason: str = ""
    status: str = ""
    left: int | None = None
    late: int | None = None
    runs: bool = False
    calendar_gaps: list[int] = field(default_factory=list)


def clock_of(app: Application, today: datetime.date | None = None) -> Clock:
    today = today or timezone.localdate()
    cal = WorkCalendar()
    start = app.clock_start
    clock = Clock(
        received=app.received_date,
        start=start,
        restarted=start is not None and start != app.received_date,
        correction_last_day=None,
        override=app.deadline_override,
        due=app.due_date,
        provisional=app.due_provisional,
        earliest=app.due_earliest if app.due_provisional else None,
        status=deadlines.deadline_status(app, today=today, calendar=cal),
        runs=app.state in CLOCK_STATES,
    )
    notice_possible = app.state in (State.REGISTERED, State.PROCESSING)
    if app.received_date and notice_possible and not hasattr(app, "correction"):
        clock.correction_last_day = deadlines.correction_notice_due(app.received_date, cal)
    for c in app.consultations.all():
        due = deadlines.consultation_due_of(c, cal) if c.is_open else (c.due_date or c.closed_date)
        interval = deadlines.consultation_interval(c.sent_date, c.closed_date or c.reply_date, due)
        clock.paused.append(
            _paused(_("征求%(p)s意见") % {"p": c.party_name}, interval, c.is_open, start, cal)
        )
    fee = getattr(app, "fee", None)
    if fee is not None and fee.notice_date and fee.payment_due:
        interval = deadlines.fee_interval(fee.notice_date, fee.paid_date, fee.payment_due)
        clock.paused.append(_paused(_("等待缴费"), interval, fee.paid_date is None, start, cal))
    for ext in app.extensions.all():
        if ext.status == Extension.Status.APPROVED:
            clock.extension_days = ext.days
        elif ext.status == Extension.Status.REQUESTED:
            clock.extension_pending = ext.days
    if app.due_date and clock.runs:
        clock.left = deadlines.workdays_left(app, today=today, calendar=cal)
        if clock.left is not None and clock.left < 0:
            clock.late = -clock.left
    # From October on, next year's notice is due (published around November): warn early.
    years = {today.year, today.year + 1} if today.month >= 10 else {today.year}
    if app.due_date:
        years.add(app.due_date.year)
    clock.calendar_gaps = sorted(y for y in years if not cal.covers(y))
    if app.due_provisional and app.due_date and start:
        clock.reason = provisional_reason(cal.provisional_years(start, app.due_date))
    return clock


def _paused(label, interval, running, start, cal) -> Paused:
    if interval.start > interval.end:  # the opinion came back the day the letter went out
        return Paused(label, interval.end, interval.end, False, 0, same_day=True)
    count = deadlines.excluded_workdays(start, interval.end, [interval], cal) if start else None
    return Paused(label, interval.start, interval.end, running, count)


# -- the case page ---------------------------------------------------------------------------


def _detail_context(request: HttpRequest, app: Application, bound=None) -> dict[str, Any]:
    user = request.user
    steps = available(user, app, bound)
    key = letters.reply_key(app)
    return {
        "app": app,
        "clock": clock_of(app),
        "events": history.render_events(app.events.all()),
        "letters": app.letters.all(),
        "files": app.files.all(),
        "consultations": app.consultations.all(),
        "extensions": app.extensions.all(),
        "correction": getattr(app, "correction", None),
        "fee": getattr(app, "fee", None),
        "remedies": app.remedies.all(),
        "steps": steps,
        "open_step": next(iter(bound), None) if bound else None,
        "reply_key": key,
        "missing_settings": letters.missing_settings(app.organ),
        "basis_defaults": basis_defaults(app.organ),
        "can_configure": permissions.has_perm(user, "applications.configure", app.organ),
        "can_reveal_identity": permissions.has_perm(
            user, "applications.reveal_identity", app.organ
        ),
        "same_applicant": queries.same_applicant(user, app),
    }


@never_cache
@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _case(request, pk)
    return render(request, "applications/staff/detail.html", _detail_context(request, app))


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    app = _case(request, pk)
    found = BY_NAME.get(name)
    if found is None:
        raise Http404
    if not is_available(request.user, found, app):
        messages.error(
            request, _("当前状态下不能进行“%(step)s”，页面已刷新。") % {"step": found.label}
        )
        return redirect("applications:detail", pk=pk)
    form, message = run_step(request, found, app)
    if message is not None:
        messages.success(request, message)
        if name == "sign_off" and request.POST.get("from") == "sign":
            return redirect("applications:case_list")
        return redirect("applications:detail", pk=pk)
    app = _case(request, pk)
    if name == "sign_off" and request.POST.get("from") == "sign":
        return render(request, "applications/staff/sign.html", _sign_context(request, app, form))
    return render(
        request, "applications/staff/detail.html", _detail_context(request, app, {name: form})
    )


def _sign_context(request: HttpRequest, app: Application, form=None) -> dict[str, Any]:
    from gongkai.applications.forms_case import SignOffForm

    key = letters.reply_key(app)
    preview = letters.render(app, key) if key else None
    return {
        "app": app,
        "form": form or SignOffForm(prefix="sign_off"),
        "preview": preview,
        "files": app.files.filter(purpose=CaseFile.Purpose.PROVIDED),
        "clock": clock_of(app),
    }


@never_cache
@login_required
@require_GET
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's page: the drafted reply as it will be issued, and two buttons. Made for a
    phone: leaders sign between meetings."""
    app = _case(request, pk)
    if not is_available(request.user, BY_NAME["sign_off"], app):
        messages.info(request, _("这件申请当前不需要您签发。"))
        return redirect("applications:detail", pk=pk)
    return render(request, "applications/staff/sign.html", _sign_context(request, app))


@never_cache
@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reply letter as it would be issued now (before signature), printable or as DOCX."""
    app = _case(request, pk)
    key = letters.reply_key(app)
    if key is None:
        raise Http404
    rendered = letters.render(app, key)
    if request.GET.get("format") == "docx":
        return _docx_response(letter_docx.build(rendered), letters.docx_name(app, rendered.title))
    return render(
        request, "applications/letter_print.html", {"letter": rendered, "draft": True, "app": app}
    )


def _docx_response(data: bytes, name: str) -> FileResponse:
    import io

    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _file_response(field_file: Any, name: str) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_GET
def letter_view(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    app = _case(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, application=app)
    return render(
        request,
        "applications/letter_print.html",
        {"letter": letters.rendered_from(letter), "issued": letter, "app": app},
    )


@login_required
@require_GET
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponseBase:
    app = _case(request, pk)
    letter = get_object_or_404(Letter, pk=letter_pk, application=app)
    return _file_response(
        letter.file, letters.docx_name(app, letter.title or letter.get_kind_display())
    )


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    app = _case(request, pk)
    case_file = get_object_or_404(CaseFile, pk=file_pk, application=app)
    return _file_response(case_file.file, case_file.name)


@login_required
@require_GET
def identity_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    app = _case(request, pk)
    extension = app.identity_proof.name.rsplit(".", 1)[-1] if app.identity_proof else "bin"
    return _file_response(app.identity_proof, f"{app.number}-identity.{extension}")


@never_cache
@login_required
@require_POST
def reveal_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full identity number (a POST, so a look is never a prefetch or a crawler's)."""
    app = _case(request, pk)
    if not permissions.has_perm(request.user, "applications.reveal_identity", app.organ):
        raise PermissionDenied
    number = actions.application_reveal_identity(actor=request.user, application=app)
    context = _detail_context(request, app)
    context["revealed_identity"] = number
    return render(request, "applications/staff/detail.html", context)


@login_required
@require_GET
def proof_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    app = _case(request, pk)
    extension = app.reply_proof.name.rsplit(".", 1)[-1] if app.reply_proof else "bin"
    return _file_response(app.reply_proof, f"{app.number}-proof.{extension}")
