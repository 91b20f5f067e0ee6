"""Forms of the calendar pages. They only validate; the actions change data."""

from __future__ import annotations

import datetime
import hashlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.workdays.models import NAME_MAX_LENGTH, DayKind
from gongkai.workdays.notice import MAX_TEXT_LENGTH

ORDINARY = ""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NoticeForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"),
        min_value=2000,
        max_value=2200,
        help_text=_("通知所安排的年份，如 2027"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    text = forms.CharField(
        label=_("通知原文"),
        max_length=MAX_TEXT_LENGTH,
        strip=False,
        help_text=_(
            "从中国政府网复制《国务院办公厅关于某年部分节假日安排的通知》全文粘贴到这里；"
            "标题、落款等内容会被自动忽略。"
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    # The digest of the text the preview showed: confirming a text nobody previewed is refused.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year + 1


class DayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("这一天"),
        choices=[
            (ORDINARY, _("普通日（周一至周五上班、周末休息）")),
            (DayKind.HOLIDAY, _("放假")),
            (DayKind.WORKDAY, _("调休上班")),
        ],
        required=False,
    )
    name = forms.CharField(
        label=_("名称"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("如 春节、国庆节；普通日不用填"),
    )

    def clean_date(self) -> datetime.date:
        value = self.cleaned_data["date"]
        if not 1949 <= value.year <= 2200:
            raise forms.ValidationError(_("日期超出范围。"))
        return value


class CountForm(forms.Form):
    """The deadline calculator on the calendar page."""

    start = forms.DateField(label=_("起算日期"), widget=forms.DateInput(attrs={"type": "date"}))
    n = forms.IntegerField(
        label=_("工作日数"),
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
