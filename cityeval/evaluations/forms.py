"""Forms of the self-assessment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.core.decimals import FiniteDecimalField
from cityeval.evaluations.models import ItemValue
from cityeval.frameworks.models import FrameworkNode
from cityeval.regions.models import OPD


class SelfAssessmentForm(forms.Form):
    """The value field follows the indicator's kind: levels as radio buttons, else a number."""

    narrative = forms.CharField(
        label=_("Narasi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Jelaskan kondisi yang mendukung nilai ini dan rujuk bukti dukungnya."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicator: FrameworkNode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.kind == "maturity":
            levels = sorted(int(level) for level in indicator.levels)
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Tingkat"),
                required=False,
                coerce=Decimal,
                empty_value=None,
                choices=[(str(level), str(level)) for level in levels],
                widget=forms.RadioSelect,
            )
        else:
            self.fields["value"] = FiniteDecimalField(
                label=_("Persentase") if indicator.kind == "percentage" else _("Nilai"),
                required=False,
                max_digits=14,
                decimal_places=4,
                min_value=Decimal(0) if indicator.kind == "percentage" else None,
                max_value=Decimal(100) if indicator.kind == "percentage" else None,
            )
        self.order_fields(["value", "narrative", "version"])

    @classmethod
    def initial_for(cls, item: ItemValue) -> dict[str, Any]:
        value: Any = item.self_value
        if value is not None and item.indicator.kind == "maturity":
            value = str(int(value))
        return {"value": value, "narrative": item.narrative, "version": item.version}


class AssignItemsForm(forms.Form):
    items = forms.ModelMultipleChoiceField(queryset=ItemValue.objects.none())
    opd = forms.ModelChoiceField(
        label=_("Tugaskan ke perangkat daerah"),
        queryset=OPD.objects.none(),
        required=False,
        empty_label=_("— tanpa penugasan —"),
    )

    def __init__(self, *args: Any, evaluation_id: int, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = ItemValue.objects.filter(evaluation_id=evaluation_id)
        opd = self.fields["opd"]
        assert isinstance(opd, forms.ModelChoiceField)
        opd.queryset = OPD.objects.filter(region_id=region_id, active=True)
