"""Forms of the program admin's cycle pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import Round
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.models import Cohort, Region


class OpenCycleForm(forms.Form):
    framework_version = forms.ModelChoiceField(
        label=_("Versi instrumen"), queryset=FrameworkVersion.objects.order_by("code", "-version")
    )
    year = forms.IntegerField(label=_("Tahun"), min_value=2015, max_value=2100)
    round = forms.ChoiceField(label=_("Tahap"), choices=Round.choices)
    cohorts = forms.ModelMultipleChoiceField(
        label=_("Peserta menurut angkatan"),
        queryset=Cohort.objects.order_by("year"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region_codes = forms.CharField(
        label=_("Peserta tambahan (kode Kemendagri)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "64.02, 33.74"}),
        help_text=_("Pisahkan dengan koma, spasi atau baris baru."),
    )
    self_assessment_deadline = forms.DateField(
        label=_("Batas penilaian mandiri"), widget=forms.DateInput(attrs={"type": "date"})
    )
    review_deadline = forms.DateField(
        label=_("Batas reviu dokumen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    field_visit_deadline = forms.DateField(
        label=_("Batas peninjauan lapangan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    finalisation_deadline = forms.DateField(
        label=_("Batas finalisasi"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = [c for c in (data.get("region_codes") or "").replace(",", " ").split() if c]
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            self.add_error(
                "region_codes",
                _("Kode tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)},
            )
        regions = {r.pk: r for r in found.values()}
        for cohort in data.get("cohorts") or []:
            regions.update({r.pk: r for r in cohort.regions.all()})
        if not regions and not unknown:
            raise forms.ValidationError(_("Pilih setidaknya satu angkatan atau satu daerah."))
        deadlines = [
            data.get(name)
            for name in (
                "self_assessment_deadline",
                "review_deadline",
                "field_visit_deadline",
                "finalisation_deadline",
            )
        ]
        given = [d for d in deadlines if d is not None]
        if given != sorted(given):
            raise forms.ValidationError(_("Batas waktu tahapan harus berurutan."))
        data["regions"] = sorted(regions.values(), key=lambda r: r.code)
        return data


class AssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Asesor"),
        queryset=User.objects.filter(grants__role=Role.ASSESSOR, is_active=True).distinct(),
    )
    regions = forms.ModelMultipleChoiceField(label=_("Daerah"), queryset=Region.objects.none())
    is_lead = forms.BooleanField(label=_("Sebagai ketua tim"), required=False)

    def __init__(self, *args: Any, region_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["regions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Region.objects.filter(pk__in=region_ids).order_by("code")


class EntryExceptionForm(forms.Form):
    until = forms.DateField(
        label=_("Boleh mengisi sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
