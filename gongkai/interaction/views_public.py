"""Public pages: write to the mailbox, check a letter's status, read published exchanges."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.accounts.models import Unit
from gongkai.core.ratings import RatingForm
from gongkai.interaction import actions, queries
from gongkai.interaction.forms import IDEMPOTENCY_KEY, LetterForm, PublicListFilter, StatusForm
from gongkai.interaction.models import Letter, MailboxSettings
from gongkai.lib import ratelimit

SESSION_SUBMITTED = "interaction_letters"
SESSION_CODES = "interaction_codes"
PAGE_SIZE = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organs = list(Unit.objects.organs().active().order_by("path"))
    boxes = {m.unit_id: m for m in MailboxSettings.objects.filter(unit__in=organs)}
    entries = [
        {"unit": unit, "mailbox": boxes.get(unit.pk) or MailboxSettings.for_unit(unit)}
        for unit in organs
    ]
    return render(
        request,
        "interaction/public/index.html",
        {
            "entries": entries,
            "recent": queries.published_letters()[:5],
        },
    )


def _remember_receipt(request: HttpRequest, submitted: actions.Submitted) -> None:
    numbers = request.session.get(SESSION_SUBMITTED, [])
    if submitted.letter.number not in numbers:
        numbers = [*numbers, submitted.letter.number][-20:]
    request.session[SESSION_SUBMITTED] = numbers
    if submitted.query_code:
        codes = request.session.get(SESSION_CODES, {})
        codes[submitted.letter.number] = submitted.query_code
        request.session[SESSION_CODES] = codes


def _repeat_of_earlier(request: HttpRequest) -> Letter | None:
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY.match(key):
        return None
    return Letter.objects.filter(idempotency_key=key).first()


@never_cache
@require_http_methods(["GET", "POST"])
def mailbox_write(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.organs().active(), code=unit_code)
    mailbox = MailboxSettings.for_unit(unit)
    context = {"unit": unit, "mailbox": mailbox}
    if not mailbox.is_open:
        return render(request, "interaction/public/closed.html", context, status=200)
    if request.method != "POST":
        return render(request, "interaction/public/write.html", {**context, "form": LetterForm()})

    decision = ratelimit.hit_request(request, "mailbox.attempt")
    if not decision.allowed:
        return ratelimit.too_many_requests(request, decision)
    # The same form sent again (a double click, a reload): show the first letter's receipt.
    earlier = _repeat_of_earlier(request)
    if earlier is not None:
        _remember_receipt(request, actions.Submitted(earlier, None, False))
        return redirect("interaction:mailbox_receipt", number=earlier.number)
    form = LetterForm(request.POST, request.FILES)
    if form.is_valid():
        decision = ratelimit.hit_request(request, "mailbox.submit")
        if not decision.allowed:
            return ratelimit.too_many_requests(request, decision)
        data = form.cleaned_data
        try:
            submitted = actions.letter_submit(
                unit=unit,
                writer_name=data["writer_name"],
                writer_phone=data["writer_phone"],
                writer_email=data["writer_email"],
                subject=data["subject"],
                content=data["content"],
                consent_publish=data["consent_publish"],
                idempotency_key=data["idempotency_key"],
                attachment=data["attachment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _remember_receipt(request, submitted)
            return redirect("interaction:mailbox_receipt", number=submitted.letter.number)
    else:
        # A concurrent duplicate may have saved the letter while this copy was being checked.
        earlier = _repeat_of_earlier(request)
        if earlier is not None:
            _remember_receipt(request, actions.Submitted(earlier, None, False))
            return redirect("interaction:mailbox_receipt", number=earlier.number)
    return render(request, "interaction/public/write.html", {**context, "form": form}, status=200)


@never_cache
@require_GET
def mailbox_receipt(request: HttpRequest, number: str) -> HttpResponse:
    # Only the browser that sent the letter sees its receipt; the code is shown this once.
    if number not in request.session.get(SESSION_SUBMITTED, []):
        raise Http404
    letter = get_object_or_404(Letter.objects.select_related("unit"), number=number)
    codes = request.session.get(SESSION_CODES, {})
    code = codes.pop(number, None)
    request.session[SESSION_CODES] = codes
    return render(
        request,
        "interaction/public/receipt.html",
        {
            "letter": letter,
            "code": code,
            "mailbox": MailboxSettings.for_unit(letter.unit),
        },
    )


SESSION_LETTERS = "mailbox_unlocked"


@never_cache
@require_http_methods(["GET", "POST"])
def mailbox_status(request: HttpRequest) -> HttpResponse:
    letter = None
    rating_form = None
    if request.method == "POST":
        decision = ratelimit.hit_request(request, "mailbox.status")
        if not decision.allowed:
            return ratelimit.too_many_requests(request, decision)
        form = StatusForm(request.POST)
        if form.is_valid():
            letter = queries.find_letter(form.cleaned_data["number"], form.cleaned_data["code"])
            if letter is None:
                form.add_error(None, _("信件编号或查询码不正确，请核对后重试。"))
            else:
                # The rating form below posts without the code: this browser looked it up.
                unlocked = [
                    pk for pk in request.session.get(SESSION_LETTERS, []) if pk != letter.pk
                ]
                request.session[SESSION_LETTERS] = [*unlocked, letter.pk][-10:]
                if letter.is_answered and not letter.rating:
                    rating_form = RatingForm()
    else:
        form = StatusForm()
    return render(
        request,
        "interaction/public/status.html",
        {"form": form, "letter": letter, "rating_form": rating_form},
    )


@never_cache
@require_http_methods(["POST"])
def mailbox_rate(request: HttpRequest, pk: int) -> HttpResponse:
    letter = Letter.objects.filter(pk=pk).select_related("unit", "answered_unit").first()
    if letter is None or pk not in request.session.get(SESSION_LETTERS, []):
        return redirect("interaction:mailbox_status")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.letter_rate(
                letter=letter,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            letter.refresh_from_db()
            form = None
    return render(
        request,
        "interaction/public/status.html",
        {"form": StatusForm(), "letter": letter, "rating_form": form, "rated_now": form is None},
    )


@require_GET
def letters_public(request: HttpRequest) -> HttpResponse:
    organs = Unit.objects.organs().active().order_by("path")
    form = PublicListFilter(request.GET or None, units=organs)
    unit, q = None, ""
    if form.is_bound and form.is_valid():
        unit, q = form.cleaned_data["unit"], form.cleaned_data["q"]
    letters = queries.published_letters(unit=unit, q=q)
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interaction/public/letters.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "unit": unit,
        },
    )


@require_GET
def letter_public(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(
        Letter.objects.published().select_related("unit", "answered_unit"), pk=pk
    )
    return render(request, "interaction/public/letter.html", {"letter": letter})


@require_GET
def letter_public_attachment(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_object_or_404(Letter.objects.published(), pk=pk, publish_attachment=True)
    return _attachment_response(letter)


def _attachment_response(letter: Letter) -> FileResponse:
    if not letter.attachment:
        raise Http404
    try:
        handle = letter.attachment.open("rb")
    except OSError as exc:
        raise Http404 from exc
    extension = letter.attachment.name.rsplit(".", 1)[-1]
    # Never the writer's own file name: it may carry their name.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"letter-{letter.number}.{extension}",
        content_type=letter.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
