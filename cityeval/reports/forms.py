"""Forms of the report editor, the follow-up page and the reopen page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.core.dates import CalendarDateField
from cityeval.regions.models import OPD
from cityeval.reports.editing import FindingTexts
from cityeval.reports.models import FindingKind, FollowUpStatus, Priority, Recommendation

KINDS = (FindingKind.STRENGTH, FindingKind.WEAKNESS)


class ReportForm(forms.Form):
    """The summary and, per dimension, strengths and weaknesses written one per line."""

    summary = forms.CharField(
        label=_("Ringkasan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, dimensions: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for code in dimensions:
            for kind in KINDS:
                self.fields[self.field_name(code, kind)] = forms.CharField(
                    label=kind.label,
                    required=False,
                    max_length=20000,
                    # The fields sit beside the recommendations of their dimension, outside
                    # the <form> element of the summary; `form` ties them to it.
                    widget=forms.Textarea(attrs={"rows": 4, "form": "report-form"}),
                )

    @staticmethod
    def field_name(code: str, kind: FindingKind) -> str:
        return f"{kind.value}__{code}"

    @staticmethod
    def initial_for(version: int, summary: str, texts: dict[str, list[str]]) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version, "summary": summary}
        for key, lines in texts.items():
            code, kind = key.split(":")
            initial[ReportForm.field_name(code, FindingKind(kind))] = "\n".join(lines)
        return initial

    def findings(self) -> FindingTexts:
        return {
            (code, kind): self.cleaned_data[self.field_name(code, kind)].splitlines()
            for code in self.dimensions
            for kind in KINDS
        }

    def sections_by_code(self) -> dict[str, tuple[forms.BoundField, forms.BoundField]]:
        """Dimension code -> (strengths field, weaknesses field), for the template."""
        return {
            code: (
                self[self.field_name(code, FindingKind.STRENGTH)],
                self[self.field_name(code, FindingKind.WEAKNESS)],
            )
            for code in self.dimensions
        }


class RecommendationForm(forms.Form):
    """A recommendation; `item_choices` are the items of its dimension (id, label)."""

    dimension = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Rekomendasi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"), choices=Priority.choices, initial=Priority.MEDIUM
    )
    item = forms.TypedChoiceField(
        label=_("Butir terkait"), coerce=int, required=False, empty_value=None
    )
    responsible_opd = forms.ModelChoiceField(
        label=_("Penanggung jawab"),
        queryset=OPD.objects.none(),
        required=False,
        empty_label=_("— belum ditentukan —"),
    )
    target_date = CalendarDateField(label=_("Target selesai"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args: Any, item_choices: list[tuple[int, str]], region_id: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        item = self.fields["item"]
        assert isinstance(item, forms.TypedChoiceField)
        item.choices = [("", _("— tanpa butir —")), *item_choices]
        # Only the region's own OPDs are offered; another region's is refused as an invalid choice.
        opd = self.fields["responsible_opd"]
        assert isinstance(opd, forms.ModelChoiceField)
        opd.queryset = OPD.objects.of_region_id(region_id)

    @staticmethod
    def initial_for(recommendation: Recommendation) -> dict[str, Any]:
        return {
            "dimension": recommendation.dimension,
            "text": recommendation.text,
            "priority": recommendation.priority,
            "item": recommendation.item_id or "",
            "responsible_opd": recommendation.responsible_opd_id,
            "target_date": recommendation.target_date,
            "version": recommendation.version,
        }


class FollowUpForm(forms.Form):
    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alasan dicatat dalam log audit dan dapat dibaca tim asesor."),
    )
