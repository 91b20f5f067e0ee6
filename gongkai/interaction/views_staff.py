"""Staff pages for letters: the list, one letter with its actions, publication, settings,
and the overview with the year's figures."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import permissions
from gongkai.accounts.models import Unit, User
from gongkai.audit.models import AuditEntry
from gongkai.interaction import actions, publication, queries
from gongkai.interaction.forms import (
    AnswerForm,
    ForwardForm,
    LetterFilter,
    MailboxSettingsForm,
    NoteForm,
    PublicationForm,
    RequiredNoteForm,
)
from gongkai.interaction.models import Letter, MailboxSettings
from gongkai.interaction.views_public import _attachment_response

PAGE_SIZE = 30


def staff_user(request: HttpRequest) -> User:
    """The signed-in member of staff (every view here is login_required)."""
    return cast(User, request.user)


def nav_context(request: HttpRequest, section: str) -> dict:
    return {
        "section": section,
        "ix_can_configure": permissions.has_any(request.user, "interaction.configure"),
    }


def _require_any(request: HttpRequest, perm: str = "interaction.handle") -> None:
    if not permissions.has_any(request.user, perm):
        raise PermissionDenied


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _organs_in_scope(request: HttpRequest):
    return Unit.objects.organs().filter(pk__in=queries.staff_units(request.user)).order_by("path")


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    organs = list(_organs_in_scope(request))
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    organ = next((o for o in organs if o.code == request.GET.get("unit")), None)
    organ = organ or (organs[0] if organs else None)
    summary = queries.interaction_summary(organ, year) if organ else None
    months = []
    if summary is not None:
        months = [
            {**letters, **calls, **visits}
            for letters, calls, visits in zip(
                summary.letters.by_month,
                summary.hotline.by_month,
                summary.reading.by_month,
                strict=True,
            )
        ]
    return render(
        request,
        "interaction/staff/home.html",
        {
            "organs": organs,
            "organ": organ,
            "year": year,
            "summary": summary,
            "months": months,
            "years": range(this_year, this_year - 6, -1),
            **nav_context(request, "home"),
        },
    )


@login_required
@require_GET
def staff_letters(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    form = LetterFilter(request.GET or None)
    letters = queries.letters_for_staff(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            letters = letters.filter(status=data["status"])
        if data["q"]:
            letters = letters.filter(
                Q(number__icontains=data["q"]) | Q(subject__icontains=data["q"])
            )
        if data["year"]:
            letters = letters.filter(year=data["year"])
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "interaction/staff/letters.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            **nav_context(request, "letters"),
        },
    )


def _letter_for(request: HttpRequest, pk: int) -> Letter:
    return get_object_or_404(queries.letters_for_staff(request.user), pk=pk)


HISTORY_LABELS = {
    "interaction.letter_submit": _lazy("收到来信"),
    "interaction.letter_forward": _lazy("转办"),
    "interaction.letter_answer": _lazy("答复"),
    "interaction.letter_mark_spam": _lazy("标记为垃圾信件"),
    "interaction.letter_unmark_spam": _lazy("恢复为正常信件"),
    "interaction.letter_request_publication": _lazy("提交公开审核"),
    "interaction.letter_publish": _lazy("批准公开"),
    "interaction.letter_return_publication": _lazy("退回公开申请"),
    "interaction.letter_unpublish": _lazy("撤销公开"),
}


def _history(letter: Letter) -> list[dict]:
    entries = AuditEntry.objects.filter(
        object_type="interaction.letter", object_id=str(letter.pk)
    ).order_by("at", "id")
    return [
        {
            "at": e.at,
            "who": e.actor_name,
            "label": HISTORY_LABELS.get(e.action, e.action),
            "note": e.note,
        }
        for e in entries
    ]


def _letter_context(request: HttpRequest, letter: Letter, **forms) -> dict:
    user = staff_user(request)
    organ_staff = permissions.has_perm(user, "interaction.handle", letter.unit)
    approver = permissions.has_perm(user, "interaction.approve_publication", letter.unit)
    can = {
        "forward": organ_staff and actions.allowed("forward", letter),
        "answer": actions.can_handle(user, letter) and actions.allowed("answer", letter),
        "mark_spam": organ_staff and actions.allowed("mark_spam", letter),
        "unmark_spam": organ_staff and actions.allowed("unmark_spam", letter),
        "publication": letter.consent_publish
        and (
            (organ_staff and actions.allowed("request_publication", letter))
            or (approver and actions.allowed("publish", letter))
        ),
        "unpublish": approver and actions.allowed("unpublish", letter),
    }
    return {
        "letter": letter,
        "can": can,
        "history": _history(letter),
        **nav_context(request, "letters"),
        "forward_form": forms.get("forward_form")
        or ForwardForm(targets=queries.forward_targets(letter.unit)),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "note_form": NoteForm(),
        "required_note_form": forms.get("required_note_form") or RequiredNoteForm(),
    }


@login_required
@require_GET
def staff_letter(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_for(request, pk)
    return render(request, "interaction/staff/letter.html", _letter_context(request, letter))


@login_required
@require_POST
def staff_letter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    letter = _letter_for(request, pk)
    user = staff_user(request)
    try:
        if action == "forward":
            form = ForwardForm(request.POST, targets=queries.forward_targets(letter.unit))
            if not form.is_valid():
                return render(
                    request,
                    "interaction/staff/letter.html",
                    _letter_context(request, letter, forward_form=form),
                    status=400,
                )
            actions.letter_forward(
                actor=user,
                letter=letter,
                to_unit=form.cleaned_data["to_unit"],
                workdays=form.cleaned_data["workdays"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("已转办。"))
        elif action == "answer":
            answer_form = AnswerForm(request.POST)
            if not answer_form.is_valid():
                return render(
                    request,
                    "interaction/staff/letter.html",
                    _letter_context(request, letter, answer_form=answer_form),
                    status=400,
                )
            actions.letter_answer(
                actor=user, letter=letter, reply=answer_form.cleaned_data["reply"]
            )
            messages.success(request, _("已答复。来信人留了邮箱的，系统会发邮件通知。"))
        elif action == "mark_spam":
            note = NoteForm(request.POST)
            actions.letter_mark_spam(
                actor=user, letter=letter, note=note.cleaned_data["note"] if note.is_valid() else ""
            )
            messages.success(request, _("已标记为垃圾信件，不计入统计。"))
        elif action == "unmark_spam":
            actions.letter_unmark_spam(actor=user, letter=letter)
            messages.success(request, _("已恢复为待办理的正常信件。"))
        elif action == "unpublish":
            note_form = RequiredNoteForm(request.POST)
            if not note_form.is_valid():
                return render(
                    request,
                    "interaction/staff/letter.html",
                    _letter_context(request, letter, required_note_form=note_form),
                    status=400,
                )
            actions.letter_unpublish(
                actor=user, letter=letter, reason=note_form.cleaned_data["note"]
            )
            messages.success(request, _("已撤销公开，网站上不再显示这封信。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied:
        messages.error(request, _("您没有权限进行这项操作。"))
    return redirect("interaction:staff_letter", pk=letter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def staff_letter_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the public version with the personal data taken out, preview it, then submit it
    for approval (clerk) or approve it (leader)."""
    letter = _letter_for(request, pk)
    user = staff_user(request)
    organ_staff = permissions.has_perm(user, "interaction.handle", letter.unit)
    approver = permissions.has_perm(user, "interaction.approve_publication", letter.unit)
    if not letter.consent_publish:
        messages.error(request, _("来信人未同意公开，这封信不能公开。"))
        return redirect("interaction:staff_letter", pk=letter.pk)
    if not (actions.allowed("publish", letter) or actions.allowed("return_publication", letter)):
        messages.error(
            request,
            _("这封信当前状态为「%(s)s」，不能办理公开。") % {"s": letter.get_status_display()},
        )
        return redirect("interaction:staff_letter", pk=letter.pk)
    if not (organ_staff or approver):
        raise PermissionDenied
    return_form = RequiredNoteForm()
    if request.method == "POST":
        step = request.POST.get("step", "preview")
        if step == "return":
            return_form = RequiredNoteForm(request.POST)
            form = PublicationForm(initial=publication.proposed_public_version(letter))
            if return_form.is_valid():
                try:
                    actions.letter_return_publication(
                        actor=user, letter=letter, note=return_form.cleaned_data["note"]
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(
                        request,
                        _error_text(exc)
                        if isinstance(exc, ValidationError)
                        else _("您没有权限进行这项操作。"),
                    )
                else:
                    messages.success(request, _("已退回，经办人修改后可再次提交。"))
                return redirect("interaction:staff_letter", pk=letter.pk)
        else:
            form = PublicationForm(request.POST)
            if form.is_valid() and step in {"request", "approve"}:
                data = form.cleaned_data
                texts = {k: data[k] for k in ("public_subject", "public_content", "public_reply")}
                try:
                    if step == "approve":
                        actions.letter_publish(
                            actor=user,
                            letter=letter,
                            texts=texts,
                            publish_attachment=data["publish_attachment"],
                            attachment_checked=data["attachment_checked"],
                        )
                        messages.success(request, _("已批准公开，答复已显示在网站的来信选登中。"))
                    else:
                        actions.letter_request_publication(
                            actor=user,
                            letter=letter,
                            texts=texts,
                            publish_attachment=data["publish_attachment"],
                        )
                        messages.success(request, _("已提交领导审核公开。"))
                except ValidationError as exc:
                    form.add_error(None, exc)
                except PermissionDenied:
                    form.add_error(None, _("您没有权限进行这项操作。"))
                else:
                    return redirect("interaction:staff_letter", pk=letter.pk)
    else:
        form = PublicationForm(
            initial={
                **publication.proposed_public_version(letter),
                "publish_attachment": letter.publish_attachment,
            }
        )
    texts = {
        k: (form.data.get(k) if form.is_bound else form.initial.get(k)) or ""
        for k in ("public_subject", "public_content", "public_reply")
    }
    return render(
        request,
        "interaction/staff/publication.html",
        {
            "letter": letter,
            "form": form,
            "preview": texts,
            "return_form": return_form,
            "findings": publication.publication_findings(letter, texts),
            "may_request": organ_staff and actions.allowed("request_publication", letter),
            "may_approve": approver and actions.allowed("publish", letter),
            "may_return": approver and actions.allowed("return_publication", letter),
            **nav_context(request, "letters"),
        },
    )


@login_required
@require_GET
def staff_letter_attachment(request: HttpRequest, pk: int) -> FileResponse:
    return _attachment_response(_letter_for(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def mailbox_settings(request: HttpRequest) -> HttpResponse:
    _require_any(request, "interaction.configure")
    organs = (
        Unit.objects.organs()
        .filter(pk__in=permissions.units_for(request.user, "interaction.configure"))
        .order_by("path")
    )
    organ = organs.filter(code=request.GET.get("unit") or request.POST.get("unit")).first()
    organ = organ or organs.first()
    if organ is None:
        raise PermissionDenied
    current = MailboxSettings.for_unit(organ)
    if request.method == "POST":
        form = MailboxSettingsForm(request.POST, instance=MailboxSettings(unit=organ))
        if form.is_valid():
            try:
                actions.mailbox_configure(
                    actor=staff_user(request),
                    unit=organ,
                    **{k: form.cleaned_data[k] for k in MailboxSettingsForm.Meta.fields},
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("信箱设置已保存。"))
                return redirect(f"{request.path}?unit={organ.code}")
    else:
        form = MailboxSettingsForm(instance=current)
    return render(
        request,
        "interaction/staff/settings.html",
        {
            "organs": organs,
            "organ": organ,
            "form": form,
            **nav_context(request, "settings"),
        },
    )
