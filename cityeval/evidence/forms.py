"""Forms of evidence and field visits. They validate input; the services decide and write."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cityeval.core.dates import CalendarDateField
from cityeval.core.decimals import FiniteDecimalField
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES, accept_attribute
from cityeval.evidence.models import (
    FieldVisit,
    VisitKind,
)
from cityeval.evidence.visit_services import VisitData, coordinates_problem
from cityeval.masterplans.models import Program

MAX_FILES_PER_UPLOAD = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EvidenceFilesForm(forms.Form):
    # Not "files": that name belongs to the form's uploaded-files dictionary.
    uploads = MultipleFileField(
        label=_("Berkas"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
    )
    description = forms.CharField(label=_("Keterangan"), max_length=500, required=False)

    def clean_uploads(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["uploads"]
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Paling banyak %(count)d berkas sekaligus.") % {"count": MAX_FILES_PER_UPLOAD}
            )
        return files


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Tautan"),
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={
            "invalid": _("Tautan harus alamat web lengkap yang diawali http:// atau https://.")
        },
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    description = forms.CharField(label=_("Keterangan"), max_length=500, required=False)


class RoundedDecimalField(FiniteDecimalField):
    """Rounds to the field's places instead of refusing more digits: a phone's position
    arrives with ten or more decimals, and a micro-degree (about 11 cm) is precise enough."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number: Decimal | None = super().to_python(value)
        # Huge values are left to the range validators (quantize would overflow on them).
        if number is None or self.decimal_places is None or not abs(number) < 10**6:
            return number
        return number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)


def _decimal(label: Any, places: int, **attrs: str) -> FiniteDecimalField:
    return RoundedDecimalField(
        label=label,
        required=False,
        decimal_places=places,
        error_messages={"invalid": _("Tulis angka desimal dengan titik, misalnya -0.4234.")},
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", **attrs}),
    )


class FieldVisitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=VisitKind.choices, widget=forms.RadioSelect, initial="field_visit"
    )
    date = CalendarDateField(label=_("Tanggal"))
    place = forms.CharField(
        label=_("Tempat"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Misalnya: Mal Pelayanan Publik Tenggarong, ruang rapat Diskominfo."),
    )
    # Ranges are checked in clean() by the service's own rule, with one message for each.
    latitude = _decimal(_("Lintang"), 6, min="-90", max="90")
    longitude = _decimal(_("Bujur"), 6, min="-180", max="180")
    accuracy_m = _decimal(_("Akurasi (meter)"), 1, min="0")
    participants = forms.CharField(
        label=_("Peserta"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu orang per baris: nama dan jabatan atau perangkat daerah."),
    )
    findings = forms.CharField(
        label=_("Temuan"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Butir terkait"),
        queryset=ItemValue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Program masterplan terkait"),
        queryset=Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = MultipleFileField(
        label=_("Foto"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment"},
        ),
    )
    photo_caption = forms.CharField(label=_("Keterangan foto"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = ItemValue.objects.filter(evaluation=evaluation)
        programs = self.fields["programs"]
        assert isinstance(programs, forms.ModelMultipleChoiceField)
        programs.queryset = (
            Program.objects.filter(
                masterplan__region_id=evaluation.region_id, masterplan__is_current=True
            )
            .select_related("masterplan")
            .order_by("dimension", "code")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = coordinates_problem(
            data.get("latitude"), data.get("longitude"), data.get("accuracy_m")
        )
        if problem:
            self.add_error("latitude", problem)
        return data

    def visit_data(self) -> VisitData:
        data = self.cleaned_data
        return VisitData(
            kind=VisitKind(data["kind"]),
            date=data["date"],
            place=data["place"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            accuracy_m=data["accuracy_m"],
            participants=data["participants"],
            findings=data["findings"],
            items=list(data["items"]),
            programs=list(data["programs"]),
        )

    @staticmethod
    def initial_for(visit: FieldVisit) -> dict[str, Any]:
        return {
            "kind": visit.kind,
            "date": visit.date,
            "place": visit.place,
            "latitude": visit.latitude,
            "longitude": visit.longitude,
            "accuracy_m": visit.accuracy_m,
            "participants": visit.participants,
            "findings": visit.findings,
            "items": list(visit.items.values_list("pk", flat=True)),
            "programs": list(visit.programs.values_list("pk", flat=True)),
            "version": visit.version,
        }
