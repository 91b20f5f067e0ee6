"""Every step a member of staff can take on a case, as a form on the case page: which form, who
may take it (the permission and the states of actions.TRANSITIONS), and what it calls. The case
page shows the steps `available` to the user; `run_step` handles the POST of one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.accounts import permissions
from gongkai.applications import actions, casework
from gongkai.applications import forms_case as f
from gongkai.applications.actions import TRANSITIONS
from gongkai.applications.actions._base import due_text
from gongkai.applications.models import (
    Application,
    Correction,
    Extension,
    Fee,
    State,
)


@dataclass(frozen=True)
class Step:
    name: str
    label: Any
    form: type[forms.Form]
    perm: str
    run: Callable[[HttpRequest, Application, dict[str, Any]], str]
    transition: str | None = None
    department_ok: bool = True
    when: Callable[[Application], bool] | None = None
    needs_app: bool = False  # the form takes application=...
    multipart: bool = False
    tone: str = ""  # "primary" for the usual next step, "danger" for ending steps
    help: Any = ""


def _user(request: HttpRequest) -> Any:
    return request.user


# -- handlers (each returns the message shown after success) ----------------------------------


def _confirm(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    app = casework.confirm_receipt(
        actor=_user(request), application=app, confirmed_date=d["confirmed_date"]
    )
    return _("已确认收到，答复期限 %(due)s，已出具登记回执。") % {"due": due_text(app, long=False)}


def _discard(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_discard(actor=_user(request), application=app, reason=d["reason"])
    return _("已作为无效提交处理。")


def _correction(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    casework.request_correction(actor=_user(request), application=app, **d)
    return _("已发出补正通知，并生成补正通知书。")


def _correction_received(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    app = actions.application_receive_correction(actor=_user(request), application=app, **d)
    return _("已登记收到补正，答复期限重新计算为 %(due)s。") % {"due": due_text(app, long=False)}


def _assign(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_assign(actor=_user(request), application=app, **d)
    return _("已交办。")


def _consult(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    casework.consult(actor=_user(request), application=app, **d)
    return _("已登记征求意见，并生成征求意见函。")


def _consultation_reply(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    consultation = d.pop("consultation")
    actions.application_consultation_reply(actor=_user(request), consultation=consultation, **d)
    return _("已登记对方意见。")


def _consultation_delivered(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    consultation = d.pop("consultation")
    consultation = actions.application_consultation_delivered(
        actor=_user(request), consultation=consultation, **d
    )
    return _("已登记送达日期，对方提出意见的期限为 %(due)s。") % {
        "due": consultation.due_date.isoformat() if consultation.due_date else ""
    }


def _extend(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_extend(actor=_user(request), application=app, **d)
    return _("已提交延期申请，等待公开办负责人批准。")


def _extension_decide(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    extension = app.extensions.filter(status=Extension.Status.REQUESTED).first()
    if extension is None:
        raise ValidationError(_("没有待批准的延期申请。"))
    casework.decide_extension(
        actor=_user(request), extension=extension, approve=d["approve"], note=d["note"]
    )
    return _("已批准延期，并生成延期答复告知书。") if d["approve"] else _("已不批准延期。")


def _excessive_notice(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    casework.excessive_notice(actor=_user(request), application=app, **d)
    return _("已要求申请人说明理由，并生成通知书。答复期限不因此中止。")


def _excessive(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    app = casework.excessive_answer(actor=_user(request), application=app, **d)
    if app.deadline_override is None:
        return _("已记录审查结果。请拟定答复：3.5.4 无正当理由大量反复申请（不予处理）。")
    return _("已确定延迟答复的期限，并生成延迟答复告知书。")


def _fee(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    fee = casework.fee_notice(actor=_user(request), application=app, **d)
    return _("已发出收费通知（%(amount)s 元），并生成收费通知书。") % {"amount": fee.amount}


def _fee_paid(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_fee_paid(actor=_user(request), application=app, **d)
    return _("已登记缴费。")


def _add_file(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_add_file(actor=_user(request), application=app, **d)
    return _("已添加文件。")


def _draft(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_draft_reply(actor=_user(request), application=app, **d)
    return _("答复已拟定，送领导签发。")


def _sign_off(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    approve = request.POST.get("verdict") != "return"
    casework.sign_off(actor=_user(request), application=app, approve=approve, **d)
    return _("已签发，答复告知书已生成，请打印送达。") if approve else _("已退回修改。")


def _replied(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_mark_replied(actor=_user(request), application=app, **d)
    return _("已登记答复送达，本案办结。")


def _withdraw(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_withdraw(actor=_user(request), application=app, **d)
    return _("已登记撤回申请，本案终止。")


def _archive(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_archive(actor=_user(request), application=app)
    return _("已归档。")


def _promote(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_promote_to_proactive(actor=_user(request), application=app, **d)
    message = _("已生成主动公开草稿：%(title)s，请到“主动公开”中继续编辑送审。")
    return message % {"title": d["title"]}


def _register_publish(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_register_publish(actor=_user(request), application=app, **d)
    return _("已列入公开登记簿。")


def _register_withdraw(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.application_register_withdraw(actor=_user(request), application=app)
    return _("已撤出公开登记簿。")


def _remedy(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    actions.remedy_record(actor=_user(request), organ=app.organ, application=app, **d)
    return _("已登记。")


def _remedy_result(request: HttpRequest, app: Application, d: dict[str, Any]) -> str:
    remedy = d.pop("remedy")
    actions.remedy_set_result(actor=_user(request), remedy=remedy, **d)
    return _("已登记结果。")


# -- conditions beyond the state -------------------------------------------------------------


def _no_correction(app: Application) -> bool:
    return not Correction.objects.filter(application=app).exists()


def _has_open_consultation(app: Application) -> bool:
    return app.consultations.filter(closed_date__isnull=True).exists()


def _can_extend(app: Application) -> bool:
    return not app.extensions.filter(
        status__in=[Extension.Status.REQUESTED, Extension.Status.APPROVED]
    ).exists()


def _extension_pending(app: Application) -> bool:
    return app.extensions.filter(status=Extension.Status.REQUESTED).exists()


def _no_excessive_notice(app: Application) -> bool:
    return app.excessive_notice_date is None


def _excessive_open(app: Application) -> bool:
    return app.excessive_notice_date is not None and not app.excessive_outcome


def _no_fee(app: Application) -> bool:
    return not Fee.objects.filter(application=app).exists()


def _received(app: Application) -> bool:
    return app.state not in (State.PENDING_CONFIRMATION, State.DISCARDED)


def _register_open(app: Application) -> bool:
    from gongkai.applications.actions.register import REGISTER_STATES, register_enabled

    return (
        app.state in REGISTER_STATES and app.reply_date is not None and register_enabled(app.organ)
    )


def _in_register(app: Application) -> bool:
    return app.register_published_at is not None


def _has_remedy(app: Application) -> bool:
    return app.remedies.exists()


STEPS: list[Step] = [
    Step("confirm", _lazy("确认收到"), f.ConfirmForm, "applications.register", _confirm,
         "confirm_receipt", department_ok=False, tone="primary",
         help=_lazy("与申请人确认收到后登记：确认之日即收到申请之日，答复期限从次日起算。")),
    Step("discard", _lazy("不予登记（无效提交）"), f.DiscardForm, "applications.register",
         _discard, "discard", department_ok=False, tone="danger"),
    Step("assign", _lazy("交办"), f.AssignForm, "applications.handle", _assign, "assign",
         department_ok=False, needs_app=True, tone="primary"),
    Step("correction", _lazy("补正通知"), f.CorrectionForm, "applications.handle", _correction,
         "request_correction", when=_no_correction,
         help=_lazy("申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正。")),
    Step("correction_received", _lazy("收到补正"), f.CorrectionReceivedForm,
         "applications.handle", _correction_received, "receive_correction", tone="primary"),
    Step("consult", _lazy("征求意见"), f.ConsultForm, "applications.handle", _consult, "consult",
         help=_lazy("征求第三方（条例第三十二条）或其他机关（条例第三十四条）意见。")),
    Step("consultation_reply", _lazy("登记对方意见"), f.ConsultationReplyForm,
         "applications.handle", _consultation_reply, "consultation_reply",
         when=_has_open_consultation, needs_app=True, tone="primary"),
    Step("consultation_delivered", _lazy("登记征求意见函送达"), f.ConsultationDeliveredForm,
         "applications.handle", _consultation_delivered, "consultation_reply",
         when=_has_open_consultation, needs_app=True,
         help=_lazy("对方的15个工作日自送达之日起算（条例第三十二条）。")),
    Step("extend", _lazy("申请延期"), f.ExtendForm, "applications.handle", _extend, "extend",
         when=_can_extend, help=_lazy("只能延期一次，最长20个工作日，须公开办负责人批准。")),
    Step("extension_decide", _lazy("审批延期"), f.ExtensionDecisionForm,
         "applications.approve_extension", _extension_decide, "extend_decide",
         department_ok=False, when=_extension_pending, tone="primary"),
    Step("fee", _lazy("收费通知"), f.FeeForm, "applications.handle", _fee, "fee_notice",
         when=_no_fee,
         help=_lazy("仅在申请数量、频次明显超过合理范围时收取信息处理费。")),
    Step("fee_paid", _lazy("登记缴费"), f.FeePaidForm, "applications.handle", _fee_paid,
         "fee_paid", tone="primary"),
    Step("excessive_notice", _lazy("要求说明理由（条例第三十五条）"), f.ExcessiveNoticeForm,
         "applications.handle", _excessive_notice, "excessive_notice", when=_no_excessive_notice,
         help=_lazy("申请数量、频次明显超过合理范围的，可以要求申请人说明理由；答复期限照常计算。")),
    Step("excessive", _lazy("审查申请理由（条例第三十五条）"), f.ExcessiveAnswerForm,
         "applications.approve_extension", _excessive, "excessive", department_ok=False,
         when=_excessive_open,
         help=_lazy("理由不合理的，答复不予处理；理由合理但无法按期答复的，确定延迟答复的合理期限。")),
    Step("add_file", _lazy("添加文件"), f.AddFileForm, "applications.handle", _add_file,
         "add_file", multipart=True),
    Step("draft", _lazy("拟定答复"), f.DraftReplyForm, "applications.handle", _draft,
         "draft_reply", needs_app=True, multipart=True, tone="primary"),
    Step("sign_off", _lazy("领导签发"), f.SignOffForm, "applications.sign_off", _sign_off,
         "sign_off", department_ok=False, tone="primary"),
    Step("replied", _lazy("登记答复送达"), f.RepliedForm, "applications.handle", _replied,
         "mark_replied", needs_app=True, multipart=True, tone="primary"),
    Step("archive", _lazy("归档"), f.ArchiveForm, "applications.handle", _archive, "archive",
         tone="primary"),
    Step("withdraw", _lazy("申请人撤回"), f.WithdrawForm, "applications.handle", _withdraw,
         "withdraw", tone="danger"),
    Step("promote", _lazy("转为主动公开"), f.PromoteForm, "catalog.draft", _promote,
         when=_received, needs_app=True,
         help=_lazy("多个申请人申请公开的同一信息，可转为主动公开（条例第四十四条）。")),
    Step("register_publish", _lazy("列入公开登记簿"), f.RegisterPublishForm,
         "applications.handle", _register_publish, when=_register_open, needs_app=True,
         help=_lazy("登记簿公开申请事项、日期、答复类型和所选文件，不公开申请人身份；"
                    "提交时自动检查个人信息和密级标志。")),
    Step("register_withdraw", _lazy("撤出公开登记簿"), f.RegisterWithdrawForm,
         "applications.handle", _register_withdraw, when=_in_register, tone="danger"),
    Step("remedy", _lazy("登记行政复议/诉讼"), f.RemedyForm, "applications.handle", _remedy,
         when=_received, department_ok=False),
    Step("remedy_result", _lazy("登记复议/诉讼结果"), f.RemedyResultForm, "applications.handle",
         _remedy_result, when=_has_remedy, needs_app=True, department_ok=False),
]  # fmt: skip
BY_NAME = {step.name: step for step in STEPS}


def holds(user: Any, step: Step, app: Application) -> bool:
    if permissions.has_perm(user, step.perm, app.organ):
        return True
    return (
        step.department_ok
        and app.department is not None
        and permissions.has_perm(user, step.perm, app.department)
    )


def is_available(user: Any, step: Step, app: Application) -> bool:
    if step.transition is not None and app.state not in TRANSITIONS[step.transition][0]:
        return False
    if step.when is not None and not step.when(app):
        return False
    return holds(user, step, app)


def make_form(step: Step, app: Application, data: Any = None, files: Any = None) -> forms.Form:
    kwargs: dict[str, Any] = {"prefix": step.name}
    if step.needs_app:
        kwargs["application"] = app
    if data is None:
        return step.form(**kwargs)
    return step.form(data, files, **kwargs)


def available(user: Any, app: Application, bound: dict[str, forms.Form] | None = None):
    """(step, form) for every step the user may take now; `bound` forms replace fresh ones."""
    bound = bound or {}
    return [
        (step, bound.get(step.name) or make_form(step, app))
        for step in STEPS
        if is_available(user, step, app)
    ]


def run_step(request: HttpRequest, step: Step, app: Application) -> tuple[forms.Form, str | None]:
    """Validate the POSTed form of `step` and run it: (form, message) on success, (form with
    errors, None) otherwise. Nothing is saved unless the whole step succeeds."""
    from gongkai.applications.forms import apply_errors

    form = make_form(step, app, request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    data = dict(form.cleaned_data)
    if hasattr(form, "action_kwargs"):
        data = form.action_kwargs()
    data.pop("form_token", None)
    try:
        with transaction.atomic():
            message = step.run(request, app, data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return form, None
    return form, message
