"""Forms of the library pages. Filters are read leniently: an unknown value finds nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityeval.evidence.models import Evidence
from cityeval.library.queries import LibraryFilters, ProgramFilters
from cityeval.library.services import MAX_NARRATIVE


def _text(data: Mapping[str, Any], key: str, limit: int = 200) -> str:
    value = data.get(key) or ""
    return str(value).strip()[:limit]


def library_filters(data: Mapping[str, Any]) -> LibraryFilters:
    level = _text(data, "level", 3)
    return LibraryFilters(
        q=_text(data, "q"),
        program=_text(data, "program", 20),
        item=_text(data, "item", 40),
        dimension=_text(data, "dimension", 40),
        level=int(level) if level.isdigit() else None,
        kind=_text(data, "kind", 10),
        province=_text(data, "province", 10),
        peer_group=_text(data, "peer_group", 50),
        region=_text(data, "region", 10),
    )


def program_filters(data: Mapping[str, Any]) -> ProgramFilters:
    return ProgramFilters(
        q=_text(data, "q"),
        dimension=_text(data, "dimension", 40),
        status=_text(data, "status", 12),
        band=_text(data, "band", 10),
        quick_win=bool(data.get("quick_win")),
        kind=_text(data, "kind", 10),
        province=_text(data, "province", 10),
    )


class ShareForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narasi praktik baik"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_NARRATIVE,
        help_text=_(
            "Ceritakan bagaimana daerah Anda mencapai tingkat ini: langkah, OPD yang terlibat, "
            "kendala dan cara mengatasinya. Teks ini dibaca oleh daerah lain."
        ),
    )
    evidence = forms.MultipleChoiceField(
        label=_("Bukti dukung yang dibagikan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, evidence: list[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(e.pk), e.original_name or e.url) for e in evidence]

    def evidence_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["evidence"]]


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan menyembunyikan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
