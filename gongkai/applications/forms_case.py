"""The forms of the staff case page: one per step. They validate input only; the rules (the 7
working days for a correction notice, one extension, the decision codes, …) are in the actions,
whose ValidationErrors the page shows on these forms (forms.apply_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.accounts.models import Unit, User
from gongkai.applications.codes import AUTOMATIC_DECISIONS, Decision, Delivery
from gongkai.applications.forms import (
    CASE_FILE_KINDS,
    case_file_max_mb,
    check_upload,
    date_input,
    today,
)
from gongkai.applications.letter_texts import DEFAULT_BASIS
from gongkai.applications.models import (
    CaseFile,
    Consultation,
    ExcessiveOutcome,
    Fee,
    NotHeld,
    OrganSettings,
    Remedy,
)


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=date_input(), help_text=help_text)


def _text(label: Any, *, required: bool = True, rows: int = 3, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _choice(form: forms.Form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the files provided with a reply)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _case_file(upload: Any) -> Any:
    return check_upload(upload, kinds=CASE_FILE_KINDS, max_mb=case_file_max_mb())


class ConfirmForm(forms.Form):
    confirmed_date = _date(
        _lazy("确认收到日期"),
        help_text=_lazy("与申请人确认收到申请的日期，即收到申请之日（条例第三十一条）。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("confirmed_date", today())


class DiscardForm(forms.Form):
    reason = _text(_lazy("不予登记的原因"), help_text=_lazy("如：重复提交、测试、内容无法辨认。"))


class CorrectionForm(forms.Form):
    items = _text(
        _lazy("需要补正的事项"),
        rows=4,
        help_text=_lazy("一次性写明全部需要补正的内容（条例第三十条只能通知一次）。"),
    )
    notice_date = _date(_lazy("补正通知日期"))
    period_end = _date(_lazy("补正期限（含当日）"), help_text=_lazy("由本机关确定的合理补正期限。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import datetime

        self.initial.setdefault("notice_date", today())
        self.initial.setdefault("period_end", today() + datetime.timedelta(days=15))


class CorrectionReceivedForm(forms.Form):
    received_date = _date(_lazy("收到补正日期"))
    corrected_description = _text(_lazy("补正后的申请内容"), required=False)
    late_reason = _text(
        _lazy("逾期补正的正当理由"),
        required=False,
        rows=2,
        help_text=_lazy("补正期限届满后才收到补正的，必须填写。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_date", today())


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_lazy("承办单位"), queryset=Unit.objects.none())
    assignee = forms.ModelChoiceField(
        label=_lazy("承办人（可选）"), queryset=User.objects.none(), required=False
    )
    internal_due_date = _date(
        _lazy("内部办理期限（可选）"),
        required=False,
        help_text=_lazy("应早于法定答复期限，留出审核、签发和送达的时间。"),
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organ = application.organ
        units = Unit.objects.subtree_of(organ).filter(is_active=True).order_by("path")
        department = _choice(self, "department")
        department.queryset = units
        department.label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
            "　" * (u.depth - organ.depth) + u.short_name
        )
        assignee = _choice(self, "assignee")
        assignee.queryset = (
            User.objects.filter(is_active=True, roles__unit__in=units)
            .distinct()
            .order_by("full_name", "username")
        )
        assignee.label_from_instance = lambda u: u.display_name  # type: ignore[method-assign,assignment]


class ConsultForm(forms.Form):
    party = forms.ChoiceField(
        label=_lazy("征求对象类型"),
        choices=Consultation.Party.choices,
        widget=forms.RadioSelect,
        initial=Consultation.Party.THIRD_PARTY,
    )
    party_name = forms.CharField(label=_lazy("征求对象名称"), max_length=100)
    party_contact = forms.CharField(label=_lazy("联系方式"), max_length=200, required=False)
    question = _text(_lazy("征求意见事项"), required=False)
    sent_date = _date(
        _lazy("发函日期"),
        help_text=_lazy(
            "次日起至收到意见之日或对方15个工作日届满之日（以先到者为准）不计入答复期限。"
        ),
    )
    delivery = forms.ChoiceField(
        label=_lazy("送达方式"),
        choices=Consultation.Delivery.choices,
        initial=Consultation.Delivery.MAIL,
        help_text=_lazy(
            "对方的15个工作日自送达之日起算。未填送达日期的：直接送达、电子邮件、传真按发函当日，"
            "邮寄按发函之日后第3个工作日送达计算，并写入征询函。"
        ),
    )
    delivered_date = _date(_lazy("送达日期"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("sent_date", today())


class ConsultationReplyForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_lazy("征求意见"), queryset=Consultation.objects.none(), empty_label=None
    )
    reply_date = _date(_lazy("收到意见日期"))
    opinion = forms.ChoiceField(
        label=_lazy("对方意见"),
        choices=[
            (Consultation.Opinion.CONSENT.value, Consultation.Opinion.CONSENT.label),
            (Consultation.Opinion.OBJECTION.value, Consultation.Opinion.OBJECTION.label),
            (Consultation.Opinion.PARTIAL.value, Consultation.Opinion.PARTIAL.label),
        ],
        widget=forms.RadioSelect,
    )
    opinion_text = _text(_lazy("意见内容"), required=False)

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "consultation").queryset = application.consultations.filter(
            closed_date__isnull=True
        )
        self.initial.setdefault("reply_date", today())


class ConsultationDeliveredForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_lazy("征求意见"), queryset=Consultation.objects.none(), empty_label=None
    )
    delivered_date = _date(_lazy("送达日期"))

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "consultation").queryset = application.consultations.filter(
            closed_date__isnull=True
        )
        self.initial.setdefault("delivered_date", today())


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_lazy("延长工作日数"), min_value=1, max_value=20, initial=20)
    reason = _text(_lazy("延期理由"), help_text=_lazy("将写入延期答复告知书。"))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_lazy("审批"),
        choices=[("1", _lazy("批准延期")), ("0", _lazy("不批准"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    note = _text(_lazy("审批意见"), required=False, rows=2)


class ExcessiveNoticeForm(forms.Form):
    notice_date = _date(_lazy("通知日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notice_date", today())


class ExcessiveAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_lazy("审查结果"), choices=ExcessiveOutcome.choices, widget=forms.RadioSelect
    )
    answer = _text(
        _lazy("申请人说明的理由"), required=False, rows=3, help_text=_lazy("未说明的，可不填。")
    )
    new_due_date = _date(_lazy("延迟答复的期限"), required=False)
    reason = _text(
        _lazy("确定延迟答复期限的理由"),
        required=False,
        rows=2,
        help_text=_lazy(
            "理由合理但无法按期答复的，写明申请数量和需要的时间，将写入延迟答复告知书。"
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == ExcessiveOutcome.HOLDS:
            if not data.get("new_due_date"):
                self.add_error("new_due_date", _("请确定延迟答复的期限。"))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("请写明确定延迟答复期限的理由。"))
        return data


class FeeForm(forms.Form):
    method = forms.ChoiceField(
        label=_lazy("计收方式"),
        choices=[
            (Fee.Method.PER_ITEM.value, Fee.Method.PER_ITEM.label),
            (Fee.Method.PER_PAGE.value, Fee.Method.PER_PAGE.label),
        ],
        widget=forms.RadioSelect,
        initial=Fee.Method.PER_PAGE,
    )
    quantity = forms.IntegerField(
        label=_lazy("计费数量"),
        min_value=1,
        required=False,
        help_text=_lazy("按量：页数；按件：可不填，系统按该申请人本月申请件数计算。"),
    )
    amount = forms.DecimalField(
        label=_lazy("调整后的收费金额（元）"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_lazy("一般不填：金额按收费标准自动计算。确需调整的，填写金额并写明理由。"),
    )
    override_reason = _text(
        _lazy("调整金额的理由"), required=False, rows=2, help_text=_lazy("将写入收费通知书。")
    )
    notice_date = _date(_lazy("收费通知日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notice_date", today())


class FeePaidForm(forms.Form):
    paid_date = _date(_lazy("缴费日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("paid_date", today())


def _coded(decision: Decision) -> tuple[str, Any]:
    return decision.value, format_lazy("{} {}", decision.value, decision.label)


DECISION_CHOICES = [
    ("", _lazy("请选择答复类型")),
    _coded(Decision.DISCLOSED),
    (Decision.PARTLY.value, _lazy("3.2 部分公开（区分处理）")),
    (_lazy("（三）不予公开"), [_coded(d) for d in Decision if d.value.startswith("3.3.")]),
    (_lazy("（四）无法提供"), [_coded(d) for d in Decision if d.value.startswith("3.4.")]),
    (_lazy("（五）不予处理"), [_coded(d) for d in Decision if d.value.startswith("3.5.")]),
    (
        _lazy("（六）其他处理"),
        [
            _coded(d)
            for d in Decision
            if d.value.startswith("3.6.") and d not in AUTOMATIC_DECISIONS
        ],
    ),
]


class DraftReplyForm(forms.Form):
    error_aliases = {"files": "provided_files"}

    decision = forms.ChoiceField(
        label=_lazy("答复类型"),
        choices=DECISION_CHOICES,
        help_text=_lazy("只能选一项，即年度报告中统计的办理结果。"),
        widget=forms.Select(attrs={"data-basis": "basis-defaults"}),
    )
    not_held = forms.ChoiceField(
        label=_lazy("本机关不掌握的情形"),
        choices=NotHeld.choices,
        required=False,
        initial=NotHeld.NONEXISTENT,
        widget=forms.RadioSelect,
    )
    other_organ = forms.CharField(
        label=_lazy("负责公开该信息的机关及联系方式"),
        max_length=200,
        required=False,
        help_text=_lazy("能够确定的，写明机关名称和联系方式（条例第三十六条第（五）项）。"),
    )
    legal_basis = _text(_lazy("法律依据"), rows=2)
    reasons = _text(
        _lazy("理由"),
        required=False,
        rows=4,
        help_text=_lazy("除予以公开外都必须写明理由；将写入告知书。"),
    )
    referral = forms.CharField(
        label=_lazy("查询或获取途径"),
        max_length=300,
        required=False,
        help_text=_lazy(
            "行政查询事项（3.3.8）写明办理查询的机关、地点和方式；公开出版物（3.5.3）写明获取途径。"
        ),
    )
    provided_files = MultipleFileField(
        label=_lazy("随答复提供的文件（可多选）"),
        required=False,
        help_text=_lazy("PDF、Word、Excel、OFD 或图片。部分公开须提供删去不应公开内容后的文件。"),
    )
    redacted = forms.BooleanField(
        label=_lazy("以上文件已作区分处理（删去了不应公开的内容）"), required=False
    )

    def __init__(self, *args: Any, application: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if application is not None and application.decision and not self.is_bound:
            self.initial.update(
                decision=application.decision,
                legal_basis=application.legal_basis,
                reasons=application.reasons,
                not_held=application.not_held or NotHeld.NONEXISTENT,
                other_organ=application.other_organ,
                referral=application.referral,
            )

    def clean_provided_files(self) -> list[Any]:
        return [_case_file(f) for f in self.cleaned_data.get("provided_files") or []]

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "legal_basis": data["legal_basis"],
            "reasons": data["reasons"],
            "files": [(f, data["redacted"]) for f in data["provided_files"]],
            "not_held": data.get("not_held") or "",
            "other_organ": data.get("other_organ") or "",
            "referral": data.get("referral") or "",
        }


def basis_defaults(organ: Any = None) -> dict[str, str]:
    """Decision → the legal basis the form pre-fills (read by applications.js); for 3.5.5 the
    organ's own reviewed text when it has one."""
    from gongkai.applications.letter_texts import NOT_THIS_ORGAN_BASIS

    defaults = {**{str(k): v for k, v in DEFAULT_BASIS.items()}}
    row = OrganSettings.objects.filter(organ=organ).first() if organ is not None else None
    if row is not None and row.confirm_obtained_text:
        defaults[Decision.CONFIRM_OBTAINED.value] = row.confirm_obtained_text
    return {**defaults, "not_this_organ": NOT_THIS_ORGAN_BASIS}


class SignOffForm(forms.Form):
    note = _text(_lazy("签发意见"), required=False, rows=2, help_text=_lazy("退回时必须填写。"))
    reference = forms.CharField(
        label=_lazy("告知书文号（可选）"),
        max_length=100,
        required=False,
        help_text=_lazy("如 诸政信告〔2026〕3号，印在告知书标题下方。"),
    )


class RepliedForm(forms.Form):
    reply_date = _date(_lazy("答复（送达）日期"))
    delivery = forms.ChoiceField(label=_lazy("送达方式"), choices=Delivery.choices)
    proof = forms.FileField(
        label=_lazy("送达凭证（可选）"),
        required=False,
        help_text=_lazy("邮寄回执、签收单或电子邮件发送记录的扫描件。"),
    )
    note = _text(_lazy("送达说明"), required=False, rows=2)

    def __init__(self, *args: Any, application: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reply_date", today())
        if application is not None:
            self.initial.setdefault("delivery", application.delivery)

    def clean_proof(self) -> Any:
        upload = self.cleaned_data.get("proof")
        return _case_file(upload) if upload else None


class WithdrawForm(forms.Form):
    withdrawal_date = _date(_lazy("收到撤回申请日期"))
    reason = _text(_lazy("说明"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawal_date", today())


class ArchiveForm(forms.Form):
    pass


class AddFileForm(forms.Form):
    file = forms.FileField(label=_lazy("文件"))
    purpose = forms.ChoiceField(
        label=_lazy("用途"), choices=CaseFile.Purpose.choices, widget=forms.RadioSelect
    )
    redacted = forms.BooleanField(label=_lazy("已作区分处理"), required=False)

    def clean_file(self) -> Any:
        return _case_file(self.cleaned_data["file"])


class RegisterPublishForm(forms.Form):
    """What of an answered request goes in the public register (never the applicant)."""

    subject = forms.CharField(
        label=_lazy("登记簿中的申请事项"),
        max_length=200,
        help_text=_lazy("用机关自己的话概括申请的信息，不得出现申请人姓名、证件号码和联系方式。"),
    )
    files = forms.ModelMultipleChoiceField(
        label=_lazy("一并公开的文件"),
        queryset=CaseFile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files_checked = forms.BooleanField(
        label=_lazy("无法自动检查的文件已逐页查看，不含个人信息和涉密内容"), required=False
    )

    def __init__(self, *args: Any, application: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if application is not None:
            self.fields["files"].queryset = application.files.filter(
                purpose=CaseFile.Purpose.PROVIDED
            )
            self.initial.setdefault(
                "subject", application.register_subject or application.description[:200]
            )


class RegisterWithdrawForm(forms.Form):
    pass


class PromoteForm(forms.Form):
    title = forms.CharField(label=_lazy("主动公开信息标题"), max_length=200)
    formed_date = _date(_lazy("成文日期"))
    summary = _text(_lazy("内容概述"), required=False, rows=2)

    def __init__(self, *args: Any, application: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if application is not None:
            self.initial.setdefault("title", application.description[:200])


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("类型"), choices=Remedy.Kind.choices)
    filed_date = _date(_lazy("提起日期"))
    body = forms.CharField(label=_lazy("复议机关或法院"), max_length=100, required=False)
    case_number = forms.CharField(label=_lazy("案号"), max_length=100, required=False)
    note = _text(_lazy("备注"), required=False, rows=2)


class RemedyResultForm(forms.Form):
    remedy = forms.ModelChoiceField(
        label=_lazy("复议或诉讼"), queryset=Remedy.objects.none(), empty_label=None
    )
    result = forms.ChoiceField(label=_lazy("结果"), choices=Remedy.Result.choices)
    result_date = _date(_lazy("审结日期"), required=False)
    note = _text(_lazy("备注"), required=False, rows=2)

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "remedy").queryset = application.remedies.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided = data.get("result") and data["result"] != Remedy.Result.PENDING
        if decided and not data.get("result_date"):
            self.add_error("result_date", _("请填写审结日期。"))
        return data


class OrganSettingsForm(forms.ModelForm):
    class Meta:
        model = OrganSettings
        fields = [
            "number_prefix",
            "reconsideration_body",
            "court",
            "reconsideration_first_broad",
            "name_court_after_reconsideration",
            "confirm_obtained_text",
            "fee_payment_method",
            "fee_account",
            "excessive_answer_days",
            "public_register",
        ]
        widgets = {"confirm_obtained_text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "reconsideration_body": _lazy(
                "如 乳山市人民政府。乡镇人民政府的行政复议机关为县级人民政府"
                "（行政复议法第二十四条）。"
            ),
            "court": _lazy("如 乳山市人民法院。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["excessive_answer_days"].required = False

    def clean_excessive_answer_days(self) -> int:
        value = self.cleaned_data.get("excessive_answer_days")
        return value if value is not None else self.instance.excessive_answer_days


class TemplateForm(forms.Form):
    title = forms.CharField(label=_lazy("标题"), max_length=100)
    body = forms.CharField(
        label=_lazy("正文"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 16})
    )

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key = key

    def clean(self) -> dict[str, Any]:
        from gongkai.applications.letters import check_template

        data = super().clean() or {}
        if "title" in data and "body" in data:
            try:
                data["title"], data["body"] = check_template(self.key, data["title"], data["body"])
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field, error.messages)
        return data


class CaseFilter(forms.Form):
    q = forms.CharField(label=_lazy("编号、申请人或内容"), required=False, max_length=100)
    state = forms.ChoiceField(label=_lazy("状态"), required=False)
    organ = forms.ModelChoiceField(
        label=_lazy("受理机关"), queryset=Unit.objects.none(), required=False
    )
    applicant_type = forms.ChoiceField(label=_lazy("申请人类型"), required=False)
    channel = forms.ChoiceField(label=_lazy("申请方式"), required=False)
    decision = forms.ChoiceField(label=_lazy("办理结果"), required=False)
    year = forms.IntegerField(
        label=_lazy("收到年份"), required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        from gongkai.applications.codes import ApplicantType, Channel
        from gongkai.applications.models import State

        super().__init__(*args, **kwargs)
        every = [("", _lazy("全部"))]
        choices: dict[str, list[tuple[str, Any]]] = {
            "state": list(State.choices),
            "applicant_type": list(ApplicantType.choices),
            "channel": list(Channel.choices),
            "decision": [(d.value, f"{d.value} {d.label}") for d in Decision],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = every + options
        organ = _choice(self, "organ")
        organ.queryset = organs
        organ.empty_label = _("全部")
