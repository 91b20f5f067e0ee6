"""Forms of the synonym pages; they validate only (gongkai.search.actions cleans and saves)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.search.synonyms import MAX_GROUP_WORDS, MAX_WORD_CHARS


class SynonymForm(forms.Form):
    # Neither required nor max_length: the action's own messages say what is wanted.
    terms = forms.CharField(
        label=_("同义词"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    note = forms.CharField(
        label=_("说明"), required=False, help_text=_("可不填，如：群众常用简称。")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, so the numbers go into the text in the language of the request.
        self.fields["terms"].help_text = gettext(
            "同一个意思的几种说法，用空格、顿号或逗号分隔，如：新农合 新型农村合作医疗。"
            "一组 2 至 %(n)s 个词，每个词最多 %(c)s 个字。"
        ) % {"n": MAX_GROUP_WORDS, "c": MAX_WORD_CHARS}


class SynonymEditForm(SynonymForm):
    is_active = forms.BooleanField(
        label=_("启用"), required=False, help_text=_("停用的词组留在表中，但搜索时不再使用。")
    )
