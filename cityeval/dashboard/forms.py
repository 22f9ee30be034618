"""The dashboard's filters: a cycle and the groups a leaderboard can be narrowed to.

The choices are read once per request (cycles, cohorts, provinces, peer groups: four queries)
whatever the number of regions; only peer groups with members are offered. An unknown value is
a form error, never a silent empty table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cityeval.dashboard.programs import default_program, newest_cycle, programs_of
from cityeval.evaluations.models import Cycle
from cityeval.regions.models import Cohort, PeerGroup, Province, Region


@dataclass(frozen=True)
class Filters:
    cohort: int | None = None  # cohort year
    province: str = ""  # province code
    kind: str = ""  # Region.Kind
    peer_group: str = ""  # peer group code

    @property
    def active(self) -> bool:
        return bool(self.cohort or self.province or self.kind or self.peer_group)


class DashboardForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), required=False)
    cycle = forms.TypedChoiceField(
        label=pgettext_lazy("singular", "Siklus"), coerce=int, required=False
    )
    cohort = forms.TypedChoiceField(
        label=_("Angkatan"), coerce=int, required=False, empty_value=None
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    kind = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    peer_group = forms.ChoiceField(label=_("Kelompok pembanding"), required=False)

    def __init__(self, data: Any, *, cycles: list[Cycle]) -> None:
        self.programs = programs_of(cycles)
        asked = data.get("program") if data is not None else None
        if not asked and data is not None:
            # A link to a cycle alone (older links, the open-data pages) shows that cycle.
            asked = next((c.program for c in cycles if str(c.pk) == data.get("cycle")), None)
        self.program_code = asked if asked in self.programs else default_program(cycles)
        mine = [c for c in cycles if c.program == self.program_code]
        others = {str(c.pk) for c in cycles if c.program != self.program_code}
        if data is not None and data.get("cycle") in others:
            # A cycle of another program (the reader switched programs): the program's own
            # default instead, never one program's results under another's name.
            data = data.copy()
            data.pop("cycle", None)
        super().__init__(data)
        self.cycles = {cycle.pk: cycle for cycle in mine}
        newest = newest_cycle(mine, self.program_code)
        self.initial = {"program": self.program_code, "cycle": newest.pk if newest else None}
        every = [("", _("Semua"))]
        self._choices("program", list(self.programs.items()))
        self._choices("cycle", [(c.pk, str(c)) for c in mine])
        self._choices("cohort", every + [(c.year, c.name) for c in Cohort.objects.order_by("year")])
        self._choices(
            "province", every + [(p.code, p.name) for p in Province.objects.order_by("name")]
        )
        self._choices("kind", every + list(Region.Kind.choices))
        # A group without members (a population band while no population is known) would
        # only ever show an empty leaderboard.
        groups = PeerGroup.objects.filter(regions__isnull=False).distinct().order_by("code")
        self._choices("peer_group", every + [(g.code, g.display_name) for g in groups])

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen_cycle(self) -> Cycle | None:
        """The chosen cycle of the chosen program, else that program's newest one."""
        pk = self.cleaned_data.get("cycle") if self.is_valid() else None
        if pk and pk in self.cycles:
            return self.cycles[pk]
        return newest_cycle(list(self.cycles.values()), self.program_code)

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            cohort=data.get("cohort"),
            province=data.get("province") or "",
            kind=data.get("kind") or "",
            peer_group=data.get("peer_group") or "",
        )


class BoundaryUploadForm(forms.Form):
    upload = forms.FileField(
        label=_("Berkas batas wilayah (GeoJSON atau TopoJSON)"),
        help_text=_(
            "Setiap fitur membawa kode Kemendagri kabupaten/kota pada properti kode, code atau "
            "kode_kemendagri (misalnya 64.02)."
        ),
    )
