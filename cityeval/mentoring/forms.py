"""Forms of the evaluation visit. They validate input; the services decide and write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityeval.core.dates import CalendarDateField
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES, accept_attribute
from cityeval.evidence.forms import MAX_FILES_PER_UPLOAD, MultipleFileField, MultipleFileInput
from cityeval.evidence.models import FieldVisit
from cityeval.frameworks.tags import dimension_names
from cityeval.mentoring.models import AgendaKind, MinutePoint, Visit
from cityeval.mentoring.services import ActionData, AgendaEntry, PointData, VisitPlan, Walkin
from cityeval.regions.models import OPD

AGENDA_ROWS = 4


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return CalendarDateField(label=label, required=required)


def _region_opds(evaluation: Evaluation) -> Any:
    return OPD.objects.of_region(evaluation.region).active().order_by("name")


class ItemChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.indicator.code} {obj.indicator.name}"[:120]


class PointChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.sequence}. {obj.discussion}"[:100]


class VisitPlanForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    venue = forms.CharField(label=_("Tempat"), max_length=200)
    starts_on = _date_field(_("Tanggal mulai"))
    ends_on = _date_field(_("Tanggal selesai"))
    opds = forms.ModelMultipleChoiceField(
        label=_("Perangkat daerah yang diundang"),
        queryset=OPD.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    materials = MultipleFileField(
        label=_("Bahan"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
        help_text=_("Boleh dikosongkan: bahan juga dapat diunggah di halaman kunjungan."),
    )

    def __init__(self, *args: Any, evaluation: Evaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opds = _region_opds(evaluation)
        field = self.fields["opds"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = opds
        if not self.is_bound:
            self.initial["opds"] = list(opds)  # every OPD, as in the model case
        for n in range(AGENDA_ROWS):
            self.fields[f"agenda_{n}_day"] = _date_field(_("Hari"), required=False)
            self.fields[f"agenda_{n}_kind"] = forms.ChoiceField(
                label=_("Jenis"), choices=AgendaKind.choices, required=False
            )
            self.fields[f"agenda_{n}_title"] = forms.CharField(
                label=_("Acara"), max_length=200, required=False
            )

    def agenda_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"agenda_{n}_day"], self[f"agenda_{n}_kind"], self[f"agenda_{n}_title"])
            for n in range(AGENDA_ROWS)
        ]

    def clean_materials(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["materials"]
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("Paling banyak %(count)d berkas sekaligus.") % {"count": MAX_FILES_PER_UPLOAD}
            )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(AGENDA_ROWS):
            title = data.get(f"agenda_{n}_title")
            if title and not (data.get(f"agenda_{n}_day") and data.get(f"agenda_{n}_kind")):
                self.add_error(f"agenda_{n}_day", _("Isi hari dan jenis acara ini."))
        return data

    def plan(self) -> VisitPlan:
        data = self.cleaned_data
        agenda = [
            AgendaEntry(
                day=data[f"agenda_{n}_day"],
                kind=AgendaKind(data[f"agenda_{n}_kind"]),
                title=data[f"agenda_{n}_title"],
            )
            for n in range(AGENDA_ROWS)
            if data.get(f"agenda_{n}_title")
        ]
        return VisitPlan(
            title=data["title"],
            venue=data["venue"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            agenda=agenda,
            opds=list(data["opds"]),
            notes=data["notes"],
            materials=data.get("materials") or [],
        )


class PointForm(forms.Form):
    dimension = forms.ChoiceField(
        label=pgettext_lazy("singular", "Dimensi smart city"), required=False
    )
    item = ItemChoiceField(
        label=pgettext_lazy("singular", "Butir"), queryset=ItemValue.objects.none(), required=False
    )
    discussion = forms.CharField(label=_("Pembahasan"), widget=forms.Textarea(attrs={"rows": 3}))
    question = forms.CharField(
        label=_("Pertanyaan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    answer = forms.CharField(
        label=_("Jawaban"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evaluation = visit.evaluation
        names = dimension_names(evaluation.cycle.framework_version)
        dimension = self.fields["dimension"]
        assert isinstance(dimension, forms.ChoiceField)
        dimension.choices = [("", _("Umum")), *names.items()]
        item = self.fields["item"]
        assert isinstance(item, forms.ModelChoiceField)
        item.queryset = (
            ItemValue.objects.filter(evaluation=evaluation)
            .select_related("indicator")
            .order_by("indicator__sequence")
        )

    def data_(self) -> PointData:
        data = self.cleaned_data
        return PointData(
            discussion=data["discussion"],
            dimension=data["dimension"],
            item=data["item"],
            question=data["question"],
            answer=data["answer"],
        )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}))
    opd = forms.ModelChoiceField(label=_("Penanggung jawab"), queryset=OPD.objects.none())
    due_on = _date_field(_("Batas waktu"))
    point = PointChoiceField(
        label=_("Pokok bahasan"), queryset=MinutePoint.objects.none(), required=False
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opd = self.fields["opd"]
        assert isinstance(opd, forms.ModelChoiceField)
        opd.queryset = _region_opds(visit.evaluation)
        point = self.fields["point"]
        assert isinstance(point, forms.ModelChoiceField)
        point.queryset = visit.points.all()

    def data_(self) -> ActionData:
        data = self.cleaned_data
        return ActionData(
            text=data["text"], opd=data["opd"], due_on=data["due_on"], point=data["point"]
        )


class WalkinForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=OPD.objects.none(), required=False
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opd = self.fields["opd"]
        assert isinstance(opd, forms.ModelChoiceField)
        opd.queryset = _region_opds(visit.evaluation)

    def data_(self, day: date | None = None) -> Walkin:
        data = self.cleaned_data
        return Walkin(name=data["name"], opd=data["opd"], position=data["position"], day=day)


class MaterialForm(forms.Form):
    upload = forms.FileField(
        label=_("Bahan"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
    )


class AttachFieldVisitForm(forms.Form):
    field_visit = forms.ModelChoiceField(
        label=_("Peninjauan lapangan"), queryset=FieldVisit.objects.none()
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["field_visit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FieldVisit.objects.of_evaluation(visit.evaluation_id).filter(
            mentoring_link__isnull=True
        )
