"""Forms: they validate only; the actions decide."""

from __future__ import annotations

import re
import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Unit, User
from gongkai.interaction import uploads
from gongkai.interaction.models import CallerType, HotlineCall, Letter, MailboxSettings
from gongkai.lib.captcha import CaptchaForm

_PHONE = re.compile(r"^\+?[\d\s\-()（）]{5,25}$")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# The formats the browser's date and time pickers need, whatever the language.
DATE_FORMAT = "%Y-%m-%d"


class ChoiceFieldsMixin:
    """Typed access to a field whose choices or queryset are set per request."""

    fields: dict[str, forms.Field]

    def _choice(self, name: str) -> Any:
        return self.fields[name]


class LetterForm(CaptchaForm):
    """The public form of the mayor's mailbox."""

    writer_name = forms.CharField(label=_("姓名"), max_length=50)
    writer_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("电话和电子邮箱至少填写一项"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    writer_email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        help_text=_("留下邮箱的，答复后会发邮件通知您"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("标题"), max_length=100)
    content = forms.CharField(
        label=_("来信内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写清事情经过、发生地点和您的诉求，不超过 5000 字"),
    )
    attachment = forms.FileField(label=_("附件（选填）"), required=False)
    consent_publish = forms.BooleanField(
        label=_("同意在答复后公开这封信和答复（公开时隐去您的姓名和联系方式）"),
        required=False,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = gettext(
            "PDF、Word（.docx）、Excel（.xlsx）或照片，不超过 %(mb)s MB"
        ) % {"mb": settings.MAILBOX_ATTACHMENT_MAX_MB}
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_writer_phone(self) -> str:
        phone = self.cleaned_data["writer_phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(_("请填写正确的电话号码，如 13812345678 或 0631-6366000。"))
        return phone

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not IDEMPOTENCY_KEY.match(key):
            raise forms.ValidationError(_("页面已失效，请核对内容后重新提交。"))
        return key

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return uploads.check(upload)

    def clean(self):
        data = super().clean()
        if (
            not self.errors.get("writer_phone")
            and not self.errors.get("writer_email")
            and not ((data or {}).get("writer_phone") or (data or {}).get("writer_email"))
        ):
            self.add_error(
                "writer_phone", _("请至少留下一种联系方式（电话或电子邮箱），以便答复。")
            )
        if self.errors.pop("idempotency_key", None) is not None:
            # A hidden field: say so where the visitor reads it, and carry a fresh token so
            # the corrected form can be sent.
            self.add_error(None, _("页面已失效，请核对内容后重新提交。"))
            fresh = cast(Any, self.data).copy()  # a QueryDict (or a dict in tests)
            fresh["idempotency_key"] = uuid.uuid4().hex
            self.data = fresh
        return data


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("信件编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class PublicListFilter(ChoiceFieldsMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("全部单位"),
    )
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._choice("unit").queryset = units if units is not None else Unit.objects.organs()


# --- staff: letters -----------------------------------------------------------------------------


class ForwardForm(ChoiceFieldsMixin, forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("转给"), queryset=Unit.objects.none(), empty_label=_("请选择科室或站所")
    )
    workdays = forms.IntegerField(label=_("办理期限（工作日）"), min_value=1, max_value=60)
    note = forms.CharField(
        label=_("转办意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, targets=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._choice("to_unit").queryset = targets if targets is not None else Unit.objects.none()
        self.fields["workdays"].initial = settings.MAILBOX_FORWARD_WORKDAYS


class AnswerForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("答复将通过网站查询和电子邮件（如来信人留了邮箱）告知来信人"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(forms.Form):
    note = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicationForm(forms.Form):
    public_subject = forms.CharField(label=_("公开标题"), max_length=100)
    public_content = forms.CharField(
        label=_("公开的来信内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    public_reply = forms.CharField(
        label=_("公开的答复内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    publish_attachment = forms.BooleanField(label=_("同时公开附件"), required=False)
    attachment_checked = forms.BooleanField(
        label=_("我已逐页查看附件，确认其中没有来信人的个人信息"), required=False
    )


class LetterFilter(ChoiceFieldsMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    q = forms.CharField(label=_("编号或标题"), required=False, max_length=50)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs) -> None:
        from gongkai.interaction.models import LetterStatus

        super().__init__(*args, **kwargs)
        self._choice("status").choices = [("", _("全部")), *LetterStatus.choices]


class MailboxSettingsForm(forms.ModelForm):
    class Meta:
        model = MailboxSettings
        fields = ["is_open", "title", "handler_role", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}


# --- staff: hotline and reading point -----------------------------------------------------------


def _unit_field(units) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("单位"), queryset=units, empty_label=None)


class HotlineCallForm(ChoiceFieldsMixin, forms.ModelForm):
    application_number = forms.CharField(
        label=_("关联的依申请公开编号"),
        required=False,
        max_length=40,
        help_text=_("来电询问某件政府信息公开申请的，填写申请编号"),
    )
    letter_number = forms.CharField(
        label=_("关联来信编号"),
        required=False,
        max_length=20,
        help_text=_("来电询问某封信箱来信的，填写信件编号"),
    )

    class Meta:
        model = HotlineCall
        fields = [
            "unit",
            "called_at",
            "caller_type",
            "caller_name",
            "caller_contact",
            "topic",
            "summary",
            "answer",
            "follow_up_needed",
            "follow_up_done",
            "follow_up_note",
        ]
        widgets = {
            "called_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "answer": forms.Textarea(attrs={"rows": 4}),
            "follow_up_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, units=None, letters=None, applications=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(units if units is not None else Unit.objects.none())
        cast(forms.DateTimeField, self.fields["called_at"]).input_formats = [
            DATETIME_FORMAT,
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ]
        self._choice("caller_type").choices = [("", _("未说明")), *CallerType.choices]
        self._letters = letters if letters is not None else Letter.objects.none()
        self._applications = applications
        if self.instance.pk and self.instance.letter_id:
            self.initial["letter_number"] = self.instance.letter.number
        if self.instance.pk and self.instance.application_id:
            self.initial["application_number"] = self.instance.application.number

    def clean_application_number(self):
        number = self.cleaned_data["application_number"].strip()
        if not number:
            return None
        found = self._applications.filter(number=number).first() if self._applications else None
        if found is None:
            raise forms.ValidationError(
                _("找不到编号为 %(n)s 的政府信息公开申请（或不属于本单位）。") % {"n": number}
            )
        return found

    def clean_letter_number(self):
        number = self.cleaned_data["letter_number"].strip()
        if not number:
            return None
        letter = self._letters.filter(number=number).first()
        if letter is None:
            raise forms.ValidationError(
                _("找不到编号为 %(n)s 的来信（或不属于本单位）。") % {"n": number}
            )
        return letter

    def clean(self):
        data = super().clean()
        if data and data.get("follow_up_done") and not data.get("follow_up_needed"):
            self.add_error("follow_up_done", _("只有标记为需要回访的来电才能标记已回访。"))
        return data

    def action_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "unit"}
        data["letter"] = self.cleaned_data.get("letter_number")
        data["application"] = self.cleaned_data.get("application_number")
        return data


class HotlineFilter(ChoiceFieldsMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
    follow_up = forms.ChoiceField(
        label=_("回访"),
        required=False,
        choices=[
            ("", _("全部")),
            ("open", _("待回访")),
            ("done", _("已回访")),
            ("none", _("无需回访")),
        ],
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), required=False, queryset=Unit.objects.none(), empty_label=_("全部单位")
    )

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._choice("unit").queryset = units if units is not None else Unit.objects.none()


class ReadingVisitForm(ChoiceFieldsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), empty_label=None)
    visited_on = forms.DateField(
        label=_("查阅日期"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)
    )
    visitor_name = forms.CharField(label=_("查阅人（选填，不公开）"), required=False, max_length=50)
    visitor_contact = forms.CharField(
        label=_("联系方式（选填，不公开）"), required=False, max_length=30
    )
    sought = forms.CharField(
        label=_("查阅需求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    items: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("提供查阅的目录信息"),
        required=False,
        queryset=None,
        widget=forms.MultipleHiddenInput,
    )
    other_material = forms.CharField(label=_("其他提供的材料"), required=False, max_length=300)
    copies_pages = forms.IntegerField(
        label=_("提供复印件（页）"), min_value=0, max_value=100000, initial=0
    )
    staff = forms.ModelChoiceField(
        label=_("接待人员"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELDS = [
        "visited_on",
        "visitor_name",
        "visitor_contact",
        "sought",
        "other_material",
        "copies_pages",
        "staff",
        "note",
    ]

    def __init__(self, *args, units=None, staff=None, **kwargs) -> None:
        from gongkai.catalog.models import Item

        super().__init__(*args, **kwargs)
        self._choice("unit").queryset = units if units is not None else Unit.objects.none()
        self._choice("items").queryset = Item.objects.published()
        self._choice("staff").queryset = staff if staff is not None else User.objects.none()

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def items_queryset(self) -> Any:
        return self._choice("items").queryset


class VisitFilter(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )
