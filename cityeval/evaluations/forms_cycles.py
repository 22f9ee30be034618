"""Forms of the program admin's cycle pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.models import Role, User
from cityeval.core.dates import CalendarDateField
from cityeval.evaluations.models import Round
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.models import Cohort, Region

DEADLINES = (
    "self_assessment_deadline",
    "review_deadline",
    "field_visit_deadline",
    "finalisation_deadline",
)


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
    self_assessment_deadline = CalendarDateField(
        label=_("Batas penilaian mandiri"), not_before_today=True
    )
    review_deadline = CalendarDateField(
        label=_("Batas reviu dokumen"), required=False, not_before_today=True
    )
    field_visit_deadline = CalendarDateField(
        label=_("Batas peninjauan lapangan"), required=False, not_before_today=True
    )
    finalisation_deadline = CalendarDateField(
        label=_("Batas finalisasi"), required=False, not_before_today=True
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
            # Beside the participants' fields, where the choice is made, not only at the top.
            self.add_error("cohorts", _("Pilih setidaknya satu angkatan atau satu daerah."))
        self._check_order(data)
        data["regions"] = sorted(regions.values(), key=lambda r: r.code)
        return data

    def _check_order(self, data: dict[str, Any]) -> None:
        """A stage's deadline comes after every earlier one; the error sits beside the later."""
        previous: tuple[str, date] | None = None
        for name in DEADLINES:
            day = data.get(name)
            if day is None:
                continue
            if previous is not None and day < previous[1]:
                self.add_error(
                    name,
                    _("Harus sesudah %(stage)s (%(date)s): batas waktu tahapan berurutan.")
                    % {
                        "stage": str(self.fields[previous[0]].label).lower(),
                        "date": formats.date_format(previous[1], "SHORT_DATE_FORMAT"),
                    },
                )
            else:
                previous = (name, day)


class AssessorForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label=_("Asesor"),
        queryset=User.objects.filter(grants__role=Role.ASSESSOR, is_active=True).distinct(),
    )
    # Without script: a tall native list (Ctrl/Cmd+click). With it, `data-picker` turns the list
    # into a searchable checklist (static/js/behaviours.js) that still submits this <select>.
    regions = forms.ModelMultipleChoiceField(
        label=_("Daerah"),
        queryset=Region.objects.none(),
        widget=forms.SelectMultiple(
            attrs={"size": 12, "data-picker": "", "data-picker-placeholder": _("Cari daerah…")}
        ),
        help_text=_("Ketik untuk mencari; pilih beberapa daerah sekaligus."),
    )
    is_lead = forms.BooleanField(
        label=_("Sebagai ketua tim"),
        required=False,
        help_text=_(
            "Satu daerah punya satu ketua tim: ketua yang sudah ada di daerah yang dipilih "
            "digantikan dan tetap menjadi anggota tim."
        ),
    )

    def __init__(self, *args: Any, region_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["regions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Region.objects.filter(pk__in=region_ids).order_by("code")


class EntryExceptionForm(forms.Form):
    until = CalendarDateField(label=_("Boleh mengisi sampai"), required=False)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=500)
