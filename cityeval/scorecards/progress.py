"""Progress of a region's measured items over its cycles: the Open SDG bands of `scoring.progress`.

Which items: quantitative items (a measure with a unit) and percentage items (e.g. the share of
masterplan programs running). Maturity levels are ordinal choices against a rubric; a growth
rate of levels would mean nothing, so they are left out.

Which values: the verified values the engine scored (`ResultSnapshot.inputs`) of the region's
results that the scorecard's trend shows: published results of earlier cycles and this one. One
value per year (the latest round of the year, since growth is per year); the first and the
latest year with a value are compared, so at least two years are needed.

Which target: the framework's `target` of a quantitative item (distance-to-target items have
one). The framework does not say by when, so the target is read as due `TARGET_YEARS` after the
first value: the five years of a regional medium-term plan (RPJMD). Without a target the observed
compound annual growth is compared with the fixed rates of `scoring.progress`. Compound growth
needs positive values: with a target, a series that starts or ends at zero (or below) uses linear
growth; without one it cannot be banded and is listed as such, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityeval.frameworks.models import FrameworkVersion, pick_language
from cityeval.results.figures import decimal_of
from scoring.model import Direction
from scoring.progress import Growth, Observation, ProgressBand, assess_progress

TARGET_YEARS = 5
MEASURED = ("quantitative", "percentage")

BAND_LABELS = {
    ProgressBand.TARGET_ACHIEVED: gettext_lazy("Target tercapai"),
    ProgressBand.ON_TRACK: gettext_lazy("Sesuai jalur"),
    ProgressBand.ACCELERATION_NEEDED: gettext_lazy("Perlu percepatan"),
    ProgressBand.LIMITED_PROGRESS: gettext_lazy("Kemajuan terbatas"),
    ProgressBand.DETERIORATION: gettext_lazy("Memburuk"),
}


@dataclass(frozen=True)
class Measured:
    """A measured item of the framework, as the table names it."""

    code: str
    name: str
    kind: str
    unit: str
    direction: Direction
    target: Decimal | None


@dataclass(frozen=True)
class ItemProgress:
    item: Measured
    band: ProgressBand
    start: Observation
    latest: Observation
    target_year: int | None
    growth: Growth
    observed: Decimal  # annual growth in the desired direction (rate, or units per year)
    required: Decimal | None  # annual growth needed to reach the target on time

    @property
    def observed_percent(self) -> Decimal:
        return self.observed * 100  # compound growth as a percentage a year

    @property
    def required_percent(self) -> Decimal | None:
        return None if self.required is None else self.required * 100


@dataclass(frozen=True)
class BandGroup:
    band: ProgressBand
    label: str
    rows: list[ItemProgress]


@dataclass(frozen=True)
class Unbanded:
    item: Measured
    reason: str


@dataclass(frozen=True)
class ProgressTable:
    groups: list[BandGroup]  # in band order (achieved first), only bands with items
    unbanded: list[Unbanded]
    measured: int  # measured items in the framework
    years: list[int]  # years with a result in the history

    @property
    def empty(self) -> bool:
        return not self.groups and not self.unbanded


def measured_items(version: FrameworkVersion) -> list[Measured]:
    """The framework's quantitative and percentage items, in document order (no query)."""
    found: list[Measured] = []

    def walk(node: Mapping[str, Any]) -> None:
        for child in node.get("children") or []:
            if child.get("kind") in MEASURED:
                names = child.get("name") or {}
                target = child.get("target")
                found.append(
                    Measured(
                        code=str(child["code"]),
                        name=pick_language(names.get("id", ""), names.get("en", "")),
                        kind=str(child["kind"]),
                        unit=str(
                            child.get("unit") or ("%" if child["kind"] == "percentage" else "")
                        ),
                        direction=Direction(child.get("direction") or Direction.HIGHER_IS_BETTER),
                        target=None if target is None else Decimal(str(target)),
                    )
                )
            elif child.get("children"):
                walk(child)

    walk(version.document.get("tree") or {})
    return found


def progress_table(
    version: FrameworkVersion, history: Iterable[tuple[int, Mapping[str, object]]]
) -> ProgressTable:
    """Bands for the measured items of `version` from `history`: (year, inputs) in cycle order.

    A later round of the same year replaces an earlier one (growth is per year).
    """
    by_year: dict[int, Mapping[str, object]] = {}
    for year, inputs in history:
        by_year[year] = inputs
    items = measured_items(version)
    groups: dict[ProgressBand, list[ItemProgress]] = {}
    unbanded: list[Unbanded] = []
    for item in items:
        series = [
            Observation(year, value)
            for year, inputs in sorted(by_year.items())
            if (value := decimal_of(inputs.get(item.code))) is not None
        ]
        if len(series) < 2:
            continue
        found = _assess(item, series[0], series[-1])
        if isinstance(found, Unbanded):
            unbanded.append(found)
        else:
            groups.setdefault(found.band, []).append(found)
    return ProgressTable(
        groups=[BandGroup(b, str(BAND_LABELS[b]), groups[b]) for b in ProgressBand if b in groups],
        unbanded=unbanded,
        measured=len(items),
        years=sorted(by_year),
    )


def _assess(item: Measured, start: Observation, latest: Observation) -> ItemProgress | Unbanded:
    positive = start.value > 0 and latest.value > 0
    if item.target is None:
        if not positive:
            return Unbanded(
                item,
                _(
                    "Nilai nol atau negatif: laju pertumbuhan tahunan tidak dapat dihitung "
                    "tanpa target."
                ),
            )
        growth = Growth.COMPOUND
        target = None
    else:
        growth = Growth.COMPOUND if positive and item.target > 0 else Growth.LINEAR
        target = Observation(start.year + TARGET_YEARS, item.target)
    progress = assess_progress(
        base=start, latest=latest, target=target, direction=item.direction, growth=growth
    )
    return ItemProgress(
        item=item,
        band=progress.band,
        start=start,
        latest=latest,
        target_year=target.year if target else None,
        growth=growth,
        observed=progress.observed,
        required=progress.required,
    )
