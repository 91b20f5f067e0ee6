"""Public pages of 依申请公开 under /yishenqing/: where and how to apply, the online form, the
receipt with the query code (shown once), the status look-up and the letters sent to the
applicant.

The status page is opened by the application number together with its query code. A wrong
number and a wrong code get the same answer after the same work (queries.find_for_applicant
compares digests in constant time), and look-ups are rate-limited per address, so codes can be
neither guessed nor enumerated. A successful look-up unlocks the case for this browser session
only: the letters' addresses are useless to anyone else."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.models import Unit
from gongkai.applications import actions, deadlines, history, letters, queries
from gongkai.applications.forms import ApplyForm, StatusForm, apply_errors
from gongkai.applications.models import CLOCK_STATES, Application, Letter, State
from gongkai.lib import ratelimit

SESSION_SUBMITTED = "applications_submitted"
SESSION_CODES = "applications_codes"
SESSION_TOKENS = "applications_tokens"
SESSION_UNLOCKED = "applications_unlocked"
KEEP = 20

PUBLIC_STATES = {
    State.PENDING_CONFIRMATION: _lazy("已提交，等待工作人员确认收到"),
    State.REGISTERED: _lazy("已受理，正在办理"),
    State.CORRECTION: _lazy("需要补正，请按补正通知书补正"),
    State.PROCESSING: _lazy("正在办理"),
    State.FEE_PENDING: _lazy("等待缴纳信息处理费"),
    State.AWAITING_SIGN_OFF: _lazy("正在办理"),
    State.SIGNED: _lazy("答复已作出，正在送达"),
    State.REPLIED: _lazy("已答复"),
    State.CLOSED: _lazy("已终止办理"),
    State.ARCHIVED: _lazy("已答复"),
    State.DISCARDED: _lazy("未作为政府信息公开申请受理"),
}


def public_state(app: Application) -> str:
    if app.state == State.ARCHIVED and app.reply_date is None:
        return str(PUBLIC_STATES[State.CLOSED])
    text = PUBLIC_STATES.get(State(app.state))
    return str(text if text is not None else app.get_state_display())


def _organs():
    return Unit.objects.organs().active().order_by("path")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/public/index.html", {"organs": _organs()})


def _remember(request: HttpRequest, key: str, value, limit: int = KEEP) -> None:
    items = [v for v in request.session.get(key, []) if v != value]
    request.session[key] = [*items, value][-limit:]


def _earlier_submission(request: HttpRequest) -> str | None:
    token = request.POST.get("form_token", "")
    if not token or len(token) > 64:
        return None
    return request.session.get(SESSION_TOKENS, {}).get(token)


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, unit_code: str) -> HttpResponse:
    organ = get_object_or_404(_organs(), code=unit_code)
    context = {"organ": organ}
    if request.method != "POST":
        return render(request, "applications/public/apply.html", {**context, "form": ApplyForm()})
    decision = ratelimit.hit_request(request, "applications.attempt")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)
    # The same form sent twice (a double click, a reload): show the first receipt again.
    earlier = _earlier_submission(request)
    if earlier is not None:
        return redirect("applications_public:receipt", number=earlier)
    form = ApplyForm(request.POST, request.FILES)
    if form.is_valid():
        decision = ratelimit.hit_request(request, "applications.submit")
        if not decision.allowed:
            return ratelimit.too_many_requests(request, decision)
        try:
            receipt = actions.application_submit_online(
                organ=organ,
                identity_proof=form.cleaned_data.get("identity_proof"),
                **form.applicant_data(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            number = receipt.application.number
            _remember(request, SESSION_SUBMITTED, number)
            codes = request.session.get(SESSION_CODES, {})
            codes[number] = receipt.query_code
            request.session[SESSION_CODES] = codes
            token = form.cleaned_data.get("form_token")
            if token:
                tokens = dict(list(request.session.get(SESSION_TOKENS, {}).items())[-KEEP:])
                tokens[token] = number
                request.session[SESSION_TOKENS] = tokens
            return redirect("applications_public:receipt", number=number)
    return render(request, "applications/public/apply.html", {**context, "form": form})


@never_cache
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """Only the browser that applied sees the receipt; the query code is shown this once."""
    if number not in request.session.get(SESSION_SUBMITTED, []):
        raise Http404
    app = get_object_or_404(Application.objects.select_related("organ"), number=number)
    codes = request.session.get(SESSION_CODES, {})
    code = codes.pop(number, None)
    request.session[SESSION_CODES] = codes
    return render(request, "applications/public/receipt.html", {"app": app, "code": code})


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "applications/public/status.html", {"form": StatusForm()})
    decision = ratelimit.hit_request(request, "applications.status")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)
    form = StatusForm(request.POST)
    if form.is_valid():
        app = queries.find_for_applicant(form.cleaned_data["number"], form.cleaned_data["code"])
        if app is not None:
            _remember(request, SESSION_UNLOCKED, app.pk, limit=10)
            return redirect("applications_public:status_detail", number=app.number)
        form.add_error(None, _("申请编号或查询码不正确，请核对后重试。"))
    return render(request, "applications/public/status.html", {"form": form}, status=200)


def _unlocked(request: HttpRequest, app: Application) -> bool:
    return app.pk in request.session.get(SESSION_UNLOCKED, [])


@never_cache
@require_GET
def status_detail(request: HttpRequest, number: str) -> HttpResponse:
    app = Application.objects.select_related("organ").filter(number=number).first()
    if app is None or not _unlocked(request, app):
        return redirect("applications_public:status")
    correction = getattr(app, "correction", None)
    fee = getattr(app, "fee", None)
    sent = list(letters.applicant_letters(app))
    for letter in sent:
        letter.moved_note = letters.moved_since(letter, app)
    due = history.due_fact(app) if app.state in CLOCK_STATES else None
    fee_due = ""
    if fee is not None and fee.notice_date is not None and fee.paid_date is None:
        fee_due = history.phrase(
            history.fact(deadlines.dated(fee.notice_date, fee.payment_days)), long=True
        )
    return render(
        request,
        "applications/public/status_detail.html",
        {
            "app": app,
            "state_text": public_state(app),
            "due_text": history.phrase(due, long=True) if due else "",
            "fee_due": fee_due,
            "events": history.render_events(queries.public_events(app)),
            "letters": sent,
            "correction": correction,
            "fee": fee,
        },
    )


def _applicant_letter(request: HttpRequest, letter_pk: int) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("application__organ"), pk=letter_pk)
    app = letter.application
    if not _unlocked(request, app) or not letters.applicant_letters(app).filter(pk=letter.pk):
        raise Http404
    return letter


@never_cache
@require_GET
def letter_view(request: HttpRequest, letter_pk: int) -> HttpResponse:
    letter = _applicant_letter(request, letter_pk)
    return render(
        request,
        "applications/letter_print.html",
        {"letter": letters.rendered_from(letter), "issued": letter, "public": True},
    )


@never_cache
@require_GET
def letter_download(request: HttpRequest, letter_pk: int) -> FileResponse:
    letter = _applicant_letter(request, letter_pk)
    if not letter.file:
        raise Http404
    try:
        handle = letter.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    name = letters.docx_name(letter.application, letter.title or letter.get_kind_display())
    return FileResponse(handle, as_attachment=True, filename=name)
