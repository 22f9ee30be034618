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
    cycle = forms.TypedChoiceField(label=_("Siklus"), coerce=int, required=False)
    cohort = forms.TypedChoiceField(
        label=_("Angkatan"), coerce=int, required=False, empty_value=None
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    kind = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    peer_group = forms.ChoiceField(label=_("Kelompok pembanding"), required=False)

    def __init__(self, data: Any, *, cycles: list[Cycle]) -> None:
        super().__init__(data)
        self.cycles = {cycle.pk: cycle for cycle in cycles}
        every = [("", _("Semua"))]
        self._choices("cycle", [(c.pk, str(c)) for c in cycles])
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
        """The chosen cycle, or the latest one when none (or an unknown one) is chosen."""
        pk = self.cleaned_data.get("cycle") if self.is_valid() else None
        if pk and pk in self.cycles:
            return self.cycles[pk]
        return next(iter(self.cycles.values()), None)

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
