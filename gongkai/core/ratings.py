"""How a citizen found an answer: the rating of an application's reply and of a mailbox letter's
answer (one scale, so the dashboard and the annual report add them up)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    MOSTLY = "mostly", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对这份答复的评价"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    comment = forms.CharField(
        label=_("意见和建议（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
