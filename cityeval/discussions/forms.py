"""Forms of the discussion pages: a thread's first post, a reply, an edit, a data request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.core.dates import CalendarDateField
from cityeval.evaluations.models import ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES, accept_attribute
from cityeval.evidence.models import Evidence
from cityeval.regions.models import OPD

BODY = forms.CharField(
    label=_("Pesan"),
    max_length=5000,
    widget=forms.Textarea(attrs={"rows": 3}),
    help_text=_("Sebut @nama_pengguna atau @KODE_OPD untuk memberi tahu mereka."),
)


class EvidenceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.url if not obj.is_file else obj.original_name)


def _evidence_field(item: ItemValue) -> EvidenceChoice:
    return EvidenceChoice(
        label=_("Lampirkan bukti dukung butir ini"),
        queryset=Evidence.objects.filter(item=item).current().order_by("uploaded_at", "pk"),
        required=False,
        empty_label=_("(tanpa lampiran)"),
    )


class PostForm(forms.Form):
    def __init__(self, *args: Any, item: ItemValue, uploads: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = BODY
        self.fields["attachment"] = _evidence_field(item)
        if uploads:
            self.fields["upload"] = forms.FileField(
                label=_("atau unggah berkas baru"),
                required=False,
                help_text=_("Berkas menjadi bukti dukung butir ini dan terlampir pada pesan."),
                widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
            )


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Judul (opsional)"), max_length=200, required=False)
    shared = forms.BooleanField(
        label=_("Bagikan dengan tim asesor"),
        required=False,
        help_text=_("Tanpa centang, utas hanya terbaca oleh daerah Anda."),
    )
    field_order = ["title", "body", "attachment", "shared"]


class EditForm(forms.Form):
    body = BODY


class DataRequestForm(forms.Form):
    to_opd = forms.ModelChoiceField(
        label=_("Perangkat daerah yang diminta"), queryset=OPD.objects.none()
    )
    due_on = CalendarDateField(label=_("Batas waktu"), not_before_today=True)
    body = forms.CharField(
        label=_("Data yang diminta"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, item: ItemValue, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_opd"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            OPD.objects.filter(region_id=region_id, active=True)
            .exclude(pk=item.opd_id or 0)
            .order_by("name")
        )
