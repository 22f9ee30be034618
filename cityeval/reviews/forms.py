"""Forms of the review: verdicts on one item, choices over many, the clarification loop."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.core.dates import CalendarDateField
from cityeval.core.decimals import FiniteDecimalField
from cityeval.evaluations.models import ItemValue
from cityeval.frameworks.models import FrameworkNode


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AdjustForm(forms.Form):
    """The verified value follows the indicator's kind: a level, a percentage or a number."""

    reason = forms.CharField(
        label=_("Alasan penyesuaian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib diisi; daerah membaca alasan ini."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicator: FrameworkNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"] = value_field(indicator)
        self.order_fields(["value", "reason", "version"])


def value_field(indicator: FrameworkNode) -> forms.Field:
    if indicator.kind == "maturity":
        levels = sorted(int(level) for level in indicator.levels)
        return forms.TypedChoiceField(
            label=_("Tingkat terverifikasi"),
            coerce=Decimal,
            choices=[(str(level), str(level)) for level in levels],
            widget=forms.RadioSelect,
        )
    percentage = indicator.kind == "percentage"
    return FiniteDecimalField(
        label=_("Persentase terverifikasi") if percentage else _("Nilai terverifikasi"),
        max_digits=14,
        decimal_places=4,
        min_value=Decimal(0) if percentage else None,
        max_value=Decimal(100) if percentage else None,
    )


class FlagForm(forms.Form):
    question = forms.CharField(
        label=_("Pertanyaan untuk daerah"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dikirim bersama permintaan klarifikasi berikutnya dari halaman reviu."),
    )


class ItemChoiceForm(forms.Form):
    """Several items of one evaluation, ticked in the review workspace."""

    items = forms.ModelMultipleChoiceField(
        queryset=ItemValue.objects.none(),
        error_messages={"required": _("Pilih setidaknya satu butir.")},
    )
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Empty: the default answer period (CLARIFICATION_ANSWER_DAYS).
    due_date = CalendarDateField(required=False)

    def __init__(self, *args: Any, evaluation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = ItemValue.objects.filter(evaluation_id=evaluation_id)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Jawaban untuk asesor"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ringkas apa yang sudah diperbaiki pada butir yang diminta klarifikasi."),
    )
