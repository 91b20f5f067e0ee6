"""Public pages of 依申请公开 under /yishenqing/: where and how to apply, the online form, the
receipt, the status look-up and, behind it, what the applicant does online: send the 补正,
download the letters and released files, rate the reply; "forgot my code"; and the optional
register of answered requests.

After submitting, the browser is redirected to a signed receipt address (django.core.signing,
APPLICATIONS_RECEIPT_LINK_HOURS) that survives reload and Back; the number and query code are
also e-mailed and texted. A request repeating an earlier one (queries.earlier_duplicate) is shown
the earlier one before anything is stored.

The status page is opened by the application number together with its query code. A wrong
number and a wrong code get the same answer after the same work (queries.find_for_applicant
compares digests in constant time), and look-ups are rate-limited per address, so codes can be
neither guessed nor enumerated; "forgot my code" answers the same whether or not a request
matches. A successful look-up unlocks the case for this browser session only; downloads also
need a signed link that expires (APPLICATIONS_DOWNLOAD_LINK_MINUTES), and each is audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.models import Unit
from gongkai.applications import actions, deadlines, history, letters, queries
from gongkai.applications.actions.applicant import RATABLE_STATES
from gongkai.applications.forms import (
    ApplyForm,
    CorrectionForm,
    RatingForm,
    ResendCodeForm,
    StatusForm,
    apply_errors,
)
from gongkai.applications.models import CLOCK_STATES, Application, CaseFile, Letter, State
from gongkai.audit.log import record
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


def _register_entries():
    """Answered requests that staff put in the register, of organs that keep one."""
    return (
        Application.objects.filter(
            register_published_at__isnull=False,
            organ__application_settings__public_register=True,
        )
        .select_related("organ")
        .order_by("-reply_date", "-id")
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/public/index.html",
        {"organs": _organs(), "has_register": _register_entries().exists()},
    )


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register of answered requests: subject, dates, decision, released files;
    never the applicant."""
    from django.core.paginator import Paginator
    from django.db.models import Prefetch

    entries = _register_entries().prefetch_related(
        Prefetch("files", queryset=CaseFile.objects.filter(in_register=True), to_attr="shown")
    )
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return render(request, "applications/public/register.html", {"page_obj": page})


@require_GET
def register_file(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        CaseFile.objects.filter(in_register=True, application__in=_register_entries()), pk=pk
    )
    try:
        handle = item.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)


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
        return redirect(receipt_url(earlier))
    form = ApplyForm(request.POST, request.FILES)
    if form.is_valid() and not form.cleaned_data.get("insist"):
        duplicate = queries.earlier_duplicate(organ, form.applicant_data())
        if duplicate is not None:
            # Shown before anything is stored; ticking "insist" and sending again stores it.
            context["duplicate"] = duplicate
            return render(request, "applications/public/apply.html", {**context, "form": form})
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
            return redirect(receipt_url(number))
    return render(request, "applications/public/apply.html", {**context, "form": form})


RECEIPT_SALT = "applications.receipt"
DOWNLOAD_SALT = "applications.download"


def receipt_url(number: str) -> str:
    """The receipt's address: signed, so it survives reload, Back and a new tab, and expires."""
    from django.urls import reverse

    token = signing.dumps(number, salt=RECEIPT_SALT, compress=True)
    return reverse("applications_public:receipt", args=[token])


@never_cache
@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """The page after submitting. The query code shows in the browser that applied (and went
    to the applicant by e-mail and text message); elsewhere the signed address shows the rest."""
    hours = int(getattr(settings, "APPLICATIONS_RECEIPT_LINK_HOURS", 72))
    try:
        number = signing.loads(token, salt=RECEIPT_SALT, max_age=hours * 3600)
    except signing.BadSignature:
        return render(request, "applications/public/receipt_expired.html", status=404)
    app = get_object_or_404(Application.objects.select_related("organ"), number=number)
    code = request.session.get(SESSION_CODES, {}).get(number)
    return render(
        request,
        "applications/public/receipt.html",
        {"app": app, "code": code, "emailed": bool(app.email), "texted": bool(app.phone)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def resend_code(request: HttpRequest) -> HttpResponse:
    """ "Forgot my code": the same answer whether or not the number and contact match."""
    if request.method != "POST":
        return render(request, "applications/public/resend.html", {"form": ResendCodeForm()})
    decision = ratelimit.hit_request(request, "applications.resend")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)
    form = ResendCodeForm(request.POST)
    if form.is_valid():
        actions.application_resend_code(
            number=form.cleaned_data["number"], contact=form.cleaned_data["contact"]
        )
        return render(request, "applications/public/resend.html", {"sent": True})
    return render(request, "applications/public/resend.html", {"form": form})


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


def _download_token(kind: str, pk: int) -> str:
    return signing.dumps(f"{kind}:{pk}", salt=DOWNLOAD_SALT, compress=True)


def released_files(app: Application):
    """The files provided with the reply, once the reply has gone out."""
    if app.reply_date is None:
        return CaseFile.objects.none()
    return app.files.filter(purpose=CaseFile.Purpose.PROVIDED)


def _unlocked_app(request: HttpRequest, number: str) -> Application | None:
    app = Application.objects.select_related("organ").filter(number=number).first()
    return app if app is not None and _unlocked(request, app) else None


@never_cache
@require_GET
def status_detail(request: HttpRequest, number: str) -> HttpResponse:
    app = _unlocked_app(request, number)
    if app is None:
        return redirect("applications_public:status")
    return _status_page(request, app)


def _status_page(
    request: HttpRequest,
    app: Application,
    correction_form: CorrectionForm | None = None,
    rating_form: RatingForm | None = None,
) -> HttpResponse:
    correction = getattr(app, "correction", None)
    fee = getattr(app, "fee", None)
    sent = list(letters.applicant_letters(app))
    for letter in sent:
        letter.moved_note = letters.moved_since(letter, app)
        letter.download_token = _download_token("L", letter.pk)
    files = list(released_files(app))
    for item in files:
        item.download_token = _download_token("F", item.pk)
    can_correct = (
        app.state == State.CORRECTION
        and correction is not None
        and correction.online_submitted_at is None
        and correction.received_date is None
    )
    can_rate = app.state in RATABLE_STATES and app.reply_date is not None and not app.rating
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
            "files": files,
            "correction_form": (correction_form or CorrectionForm()) if can_correct else None,
            "rating_form": (rating_form or RatingForm()) if can_rate else None,
            "link_minutes": getattr(settings, "APPLICATIONS_DOWNLOAD_LINK_MINUTES", 30),
        },
    )


@never_cache
@require_http_methods(["POST"])
def correct(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's correction (补正) sent on the status page."""
    app = _unlocked_app(request, number)
    if app is None:
        return redirect("applications_public:status")
    decision = ratelimit.hit_request(request, "applications.submit")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.application_correct_online(
                application=app, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("补正材料已提交。工作人员确认收到之日为收到补正之日，答复期限自该日重新计算。"),
            )
            return redirect("applications_public:status_detail", number=app.number)
    return _status_page(request, app, correction_form=form)


@never_cache
@require_http_methods(["POST"])
def rate(request: HttpRequest, number: str) -> HttpResponse:
    app = _unlocked_app(request, number)
    if app is None:
        return redirect("applications_public:status")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.application_rate(
                application=app,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("applications_public:status_detail", number=app.number)
    return _status_page(request, app, rating_form=form)


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> FileResponse:
    """A letter or a released file, by a link from the status page: the case must be unlocked
    in this browser (number + query code) and the link is young enough. Each download is
    written to the audit log."""
    minutes = int(getattr(settings, "APPLICATIONS_DOWNLOAD_LINK_MINUTES", 30))
    try:
        kind, _sep, pk = signing.loads(token, salt=DOWNLOAD_SALT, max_age=minutes * 60).partition(
            ":"
        )
    except signing.BadSignature:
        return render(request, "applications/public/link_expired.html", status=404)
    if kind == "L":
        item = get_object_or_404(Letter.objects.select_related("application__organ"), pk=pk)
        app = item.application
        if not letters.applicant_letters(app).filter(pk=item.pk).exists():
            raise Http404
        name = letters.docx_name(app, item.title or item.get_kind_display())
    elif kind == "F":
        item = get_object_or_404(CaseFile.objects.select_related("application__organ"), pk=pk)
        app = item.application
        if not released_files(app).filter(pk=item.pk).exists():
            raise Http404
        name = item.name
    else:
        raise Http404
    if not _unlocked(request, app) or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    record(
        actor=None,
        action="applications.applicant_download",
        obj=app,
        unit=app.organ_id,
        note=name,
        actor_name=_("申请人"),
    )
    return FileResponse(handle, as_attachment=True, filename=name)


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
        {
            "letter": letters.rendered_from(letter),
            "issued": letter,
            "public": True,
            "download_token": _download_token("L", letter.pk) if letter.file else "",
        },
    )
