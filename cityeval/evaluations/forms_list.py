"""The filters of the evaluation list: cycle, status, province and a search by region name or code.

Choices are read once per request (cycles and provinces: two queries) whatever the region count.
An unknown value is a form error and is ignored, never a silently empty list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityeval.evaluations.models import Cycle, EvaluationQuerySet, EvaluationStatus
from cityeval.regions.models import Province

PAGE_SIZE = 50


class EvaluationFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari daerah"), required=False, max_length=100)
    cycle = forms.TypedChoiceField(
        label=pgettext_lazy("singular", "Siklus"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    province = forms.ChoiceField(label=_("Provinsi"), required=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        cycles = Cycle.objects.order_by("-year", "-round", "program")
        self._choices("cycle", [("", _("Semua siklus"))] + [(c.pk, str(c)) for c in cycles])
        self._choices("status", [("", _("Semua status")), *EvaluationStatus.choices])
        provinces = Province.objects.order_by("name").values_list("code", "name")
        self._choices("province", [("", _("Semua provinsi")), *provinces])
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Nama atau kode, misalnya Kutai atau 64.02")}
        )

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def apply(self, evaluations: EvaluationQuerySet) -> EvaluationQuerySet:
        """The evaluations narrowed by every valid filter (an invalid one narrows nothing)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("cycle"):
            evaluations = evaluations.filter(cycle_id=data["cycle"])
        if data.get("status"):
            evaluations = evaluations.filter(status=data["status"])
        if data.get("province"):
            evaluations = evaluations.filter(region__province__code=data["province"])
        words = (data.get("q") or "").strip()
        if words:
            evaluations = evaluations.filter(
                Q(region__full_name__icontains=words) | Q(region__code__startswith=words)
            )
        return evaluations
