"""Forms of the masterplan pages. They validate input; the services write it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.core.dates import CalendarDateField
from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.masterplans.services import MasterplanData, ProgramData
from cityeval.masterplans.upload import size_problem
from cityeval.regions.models import OPD

if TYPE_CHECKING:
    _MasterplanForm = forms.ModelForm[Masterplan]
    _ProgramForm = forms.ModelForm[Program]
    _YearForm = forms.ModelForm[ProgramYear]
    _ModelChoiceField = forms.ModelChoiceField[OPD]
else:  # ModelForm and ModelChoiceField are generic only in the type stubs
    _MasterplanForm = _ProgramForm = _YearForm = forms.ModelForm
    _ModelChoiceField = forms.ModelChoiceField


class MasterplanForm(_MasterplanForm):
    class Meta:
        model = Masterplan
        fields = ["title", "start_year", "end_year", "regulation", "regulation_date", "notes"]
        field_classes = {"regulation_date": CalendarDateField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def data_for_service(self) -> MasterplanData:
        return MasterplanData(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class OwnerField(_ModelChoiceField):
    def label_from_instance(self, obj: OPD) -> str:
        # The code too: two OPDs may share a short name across a merger.
        return f"{obj} ({obj.code})"


class ProgramForm(_ProgramForm):
    """The element is chosen from a list grouped by dimension; the dimension follows from it."""

    element = forms.ChoiceField(label=_("elemen smart city"))
    owner = OwnerField(queryset=OPD.objects.none(), label=_("OPD pengampu"))
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "description",
            "element",
            "owner",
            "quick_win",
            "budget",
            "start_year",
            "end_year",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.masterplan = masterplan
        self.axis = smart_axis()
        element_field = self.fields["element"]
        assert isinstance(element_field, forms.ChoiceField)
        element_field.choices = [
            ("", "—"),
            *[
                (d.name, [(e.code, f"{e.code} · {e.name}") for e in d.elements])
                for d in self.axis.dimensions
            ],
        ]
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, OwnerField)
        # Active OPDs of the region, plus the current owner even if it has since been merged away.
        owners = OPD.objects.of_region(masterplan.region).active()
        if self.instance.owner_id:
            owners = owners | OPD.objects.filter(pk=self.instance.owner_id)
        owner_field.queryset = owners.order_by("code")
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean_code(self) -> str:
        # The model's unique constraint involves the masterplan, which is not a form field, so
        # ModelForm would skip it; the person should hear about it here, not as a server error.
        code: str = self.cleaned_data["code"]
        taken = (
            Program.objects.filter(masterplan=self.instance.masterplan, code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(_("Kode ini sudah dipakai program lain di masterplan ini."))
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dimension = self.axis.dimension_of(cleaned.get("element") or "")
        # Set before the model's clean() runs (in _post_clean), which checks the pair.
        self.instance.dimension = dimension.code if dimension else ""
        return cleaned

    def data_for_service(self) -> ProgramData:
        data = self.cleaned_data
        return ProgramData(
            code=data["code"],
            name=data["name"],
            description=data["description"],
            element=data["element"],
            dimension=self.instance.dimension,
            owner=data["owner"],
            quick_win=data["quick_win"],
            budget=data["budget"],
            start_year=data["start_year"],
            end_year=data["end_year"],
        )


class YearStatusForm(_YearForm):
    class Meta:
        model = ProgramYear
        fields = ["status", "progress", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, program: Program, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.instance.year = year

    @property
    def status(self) -> ProgramStatus:
        return ProgramStatus(self.cleaned_data["status"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("berkas Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before reading: the size is known from the request without loading the file.
        problem = size_problem(upload.size or 0)
        if problem:
            raise forms.ValidationError(problem)
        return upload
