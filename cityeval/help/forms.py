from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 4000


class AskForm(forms.Form):
    text = forms.CharField(label=_("Pertanyaan"), max_length=MAX_TEXT, widget=forms.Textarea)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Jawaban"), max_length=MAX_TEXT, widget=forms.Textarea)
    is_general = forms.BooleanField(
        label=_("Umum: terbitkan di FAQ untuk semua daerah program ini (disamarkan)"),
        required=False,
    )
    faq_question = forms.CharField(
        label=_("Pertanyaan di FAQ (tanpa nama daerah atau orang)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    faq_answer = forms.CharField(
        label=_("Jawaban di FAQ (kosong: sama dengan jawaban)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari"), max_length=200, required=False)
    program = forms.CharField(label=_("Program"), max_length=20, required=False)
