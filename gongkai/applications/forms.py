"""Forms of 依申请公开 that take an application in: the public online form, the staff
registration form, the status look-up, and the checks on uploaded files. They validate only; the
rules on applicants (条例29, 身份证 and 统一社会信用代码 check characters) live in
actions.clean_applicant, which these forms call so that a page and the API refuse the same
input with the same words."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.applications import actions
from gongkai.applications.actions.intake import APPLICANT_FIELDS, REQUEST_FIELDS
from gongkai.applications.codes import (
    ApplicantType,
    Channel,
    Delivery,
    IdDocType,
    ProvideForm,
)
from gongkai.core.ratings import RatingForm  # noqa: F401  (the status page imports it here)
from gongkai.lib import textextract
from gongkai.lib.captcha import CaptchaField

APPLICANT_TYPE_CHOICES = [
    (ApplicantType.NATURAL_PERSON.value, ApplicantType.NATURAL_PERSON.label),
    (
        _lazy("法人或其他组织"),
        [(t.value, t.label) for t in ApplicantType if t != ApplicantType.NATURAL_PERSON],
    ),
]

# -- uploads -------------------------------------------------------------------------------------

CASE_FILE_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpg", "ofd"})
IDENTITY_KINDS = frozenset({"pdf", "png", "jpg"})


def identity_max_mb() -> int:
    return int(getattr(settings, "APPLICATION_IDENTITY_MAX_MB", 5))


def case_file_max_mb() -> int:
    return int(getattr(settings, "UPLOAD_MAX_MB", 50))


def sniff(data: bytes) -> str | None:
    """The kind of a file judged by its content (never by its name): pdf, docx, xlsx, ofd,
    png, jpg, or None."""
    kind = textextract.file_kind(data)
    kind = "jpg" if kind == "jpeg" else kind
    return kind if kind in {"pdf", "docx", "xlsx", "ofd", "png", "jpg"} else None


def check_upload(
    upload: UploadedFile, *, kinds: frozenset[str], max_mb: int, rename: str = ""
) -> UploadedFile:
    """Refuse empty, oversized or wrong-typed files with a clear message. With `rename` the
    stored name becomes `<rename>.<kind>` (an applicant's own file name may carry their name)."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("上传的文件是空文件。"), code="empty")
    if size > max_mb * 1024 * 1024:
        raise ValidationError(_("文件不能超过 %(mb)s MB。") % {"mb": max_mb}, code="too_large")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data)
    if kind not in kinds:
        names = {
            "pdf": "PDF",
            "docx": _("Word（.docx）"),
            "xlsx": _("Excel（.xlsx）"),
            "ofd": "OFD",
            "png": _("PNG 图片"),
            "jpg": _("JPG 图片"),
        }
        raise ValidationError(
            _("只能上传 %(kinds)s 文件（按文件内容判断，改扩展名无效）。")
            % {"kinds": "、".join(names[k] for k in sorted(kinds))},
            code="type",
        )
    if rename:
        upload.name = f"{rename}.{kind}"
    else:
        upload.name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][-120:]
    return upload


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: by field where the form has the field
    (under its own name, or the one in the form's `error_aliases`)."""
    aliases = getattr(form, "error_aliases", {})
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = aliases.get(field, field)
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages)
    else:
        form.add_error(None, exc.messages)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# -- the applicant and the request ----------------------------------------------------------------


class ApplicantForm(forms.Form):
    """The applicant and what they ask for (条例29). Used by the portal and by staff."""

    applicant_type = forms.ChoiceField(
        label=_lazy("申请人类型"),
        choices=APPLICANT_TYPE_CHOICES,
        initial=ApplicantType.NATURAL_PERSON,
    )
    applicant_name = forms.CharField(
        label=_lazy("申请人姓名或单位名称"),
        max_length=100,
        error_messages={"required": _lazy("请填写申请人姓名或单位名称。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_doc_type = forms.ChoiceField(
        label=_lazy("身份证件类型"),
        choices=IdDocType.choices,
        initial=IdDocType.ID_CARD,
        required=False,
    )
    id_doc_number = forms.CharField(
        label=_lazy("身份证件号码"),
        max_length=40,
        required=False,
        help_text=_lazy("自然人必填。居民身份证为18位，系统会核对出生日期和校验位。"),
    )
    credit_code = forms.CharField(
        label=_lazy("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_lazy("法人或其他组织必填，18位，系统会核对校验位。"),
    )
    legal_representative = forms.CharField(
        label=_lazy("法定代表人或负责人"), max_length=50, required=False
    )
    contact_name = forms.CharField(label=_lazy("联系人"), max_length=50, required=False)
    phone = forms.CharField(
        label=_lazy("联系电话"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_lazy("电子邮箱"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_lazy("通信地址"),
        max_length=200,
        required=False,
        help_text=_lazy("选择邮寄获取的，请填写能收到邮件的详细地址。"),
    )
    postcode = forms.CharField(
        label=_lazy("邮政编码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_lazy("所需政府信息的名称或内容描述"),
        max_length=2000,
        error_messages={
            "required": _lazy("请描述所需政府信息（名称、文号或便于查询的其他特征）。")
        },
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_lazy(
            "请写明所需信息的名称，或者便于查询的其他特征性描述（如制作机关、大致时间、涉及的事项）。"
            "一份申请只申请一项政府信息（一事一申请），多项信息请分别提交。"
        ),
    )
    document_number = forms.CharField(
        label=_lazy("文件名称或文号（知道的请填写）"), max_length=200, required=False
    )
    provide_form = forms.ChoiceField(
        label=_lazy("信息的提供形式"),
        choices=ProvideForm.choices,
        initial=ProvideForm.PAPER,
        widget=forms.RadioSelect,
    )
    delivery = forms.ChoiceField(
        label=_lazy("获取信息的方式"),
        choices=[c for c in Delivery.choices if c[0] != Delivery.ONLINE],
        initial=Delivery.MAIL,
        widget=forms.RadioSelect,
    )
    identity_proof = forms.FileField(
        label=_lazy("身份证明（可选）"),
        required=False,
        help_text=_lazy("身份证件或营业执照等的照片或扫描件，PDF、JPG 或 PNG，不超过 5 MB。"),
    )

    def clean_identity_proof(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("identity_proof")
        if not upload:
            return None
        return check_upload(
            upload, kinds=IDENTITY_KINDS, max_mb=identity_max_mb(), rename="identity"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(f in self.errors for f in ("applicant_type", "applicant_name", "description")):
            return data
        try:
            clean = actions.clean_applicant(data)
        except ValidationError as exc:
            apply_errors(self, exc)
            return data
        data.update(clean)
        return data

    def applicant_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) or "" for k in APPLICANT_FIELDS + REQUEST_FIELDS}


class ApplyForm(ApplicantForm):
    """The online form of the portal: CAPTCHA last, and a token against double submission."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    # Ticked by the applicant after being shown an earlier identical request: store it anyway.
    insist = forms.BooleanField(required=False, widget=forms.HiddenInput)
    captcha = CaptchaField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = secrets.token_urlsafe(16)


STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.ONLINE]


class RegisterForm(ApplicantForm):
    """Staff register an application that came in at the office."""

    organ: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_lazy("受理机关"),
        queryset=None,
        empty_label=None,  # type: ignore[arg-type]
    )
    channel = forms.ChoiceField(
        label=_lazy("申请方式"),
        choices=STAFF_CHANNELS,
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )
    received_date = forms.DateField(
        label=_lazy("收到申请日期"),
        required=False,
        widget=date_input(),
        help_text=_lazy(
            "当面提交、口头申请：提交当日；挂号信等邮寄：签收之日；平信：与申请人确认之日；"
            "传真：与申请人确认之日（尚未确认可暂不填写，确认后在案件页面登记）。"
        ),
    )

    field_order = ["organ", "channel", "received_date"]

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organ"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organs
        first = organs.first()
        if first is not None:
            field.initial = first.pk
        if not self.is_bound:
            self.initial.setdefault("received_date", timezone.localdate())
        self.fields["identity_proof"].label = _lazy("身份证明复印件扫描件（可选）")


class NoEchoInput(forms.TextInput):
    """A text box that is never filled back in: the query code is a secret."""

    def format_value(self, value: Any) -> None:
        return None


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_lazy("申请编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_lazy("查询码"),
        max_length=40,
        widget=NoEchoInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text=_lazy("提交申请后显示的12位查询码，如 ABCD-EFGH-JKMN，不区分大小写。"),
    )


class ResendCodeForm(forms.Form):
    number = forms.CharField(
        label=_lazy("申请编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_lazy("申请时填写的电子邮箱或手机号码"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    captcha = CaptchaField()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked in the form's clean_<field>."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class CorrectionForm(forms.Form):
    """The applicant's correction on the status page; files pass the checks of case files."""

    text = forms.CharField(
        label=_lazy("补正后的内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_lazy("按补正通知书的要求写明补正后的申请内容。"),
    )
    files = MultipleFileField(
        label=_lazy("补正材料"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.ofd,.png,.jpg,.jpeg"}),
        help_text=_lazy("可上传多个 PDF、Word、Excel、OFD 或图片文件。"),
    )
    MAX_FILES = 10

    def clean_files(self) -> list[UploadedFile]:
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > self.MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": self.MAX_FILES})
        return [
            check_upload(upload, kinds=CASE_FILE_KINDS, max_mb=case_file_max_mb())
            for upload in uploads
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("files"):
            raise ValidationError(_("请填写补正后的内容或上传补正材料。"))
        return data


def today() -> datetime.date:
    return timezone.localdate()
