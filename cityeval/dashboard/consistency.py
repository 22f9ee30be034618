"""Assessor consistency: how far regions' self-assessments sit from the verified values.

For the ministry (admins and national viewers; never on the public dashboard): by smart
dimension, by region (who claims most above or below what is verified) and by assessor team (a
team that adjusts nothing, or far more than the others, stands out).

Counted items: maturity items the assessors settled (accepted or adjusted) with both a
self-assessed and a verified level. Percentage and quantitative items are left out: their units
differ (a gap of 10 percentage points is not a gap of 10 levels), and most are computed from the
masterplan registry rather than claimed. The gap is self minus verified, in levels: positive
means the region claimed more than the assessors verified.

A team is the assessors assigned to a region in the cycle, named by its lead: regions with the
same lead are one team's workload. Figures are aggregated in the database (three grouped queries:
per item, per evaluation, the cycle's assignments), whatever the number of regions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from cityeval.evaluations.models import AssessorAssignment, Cycle, ItemValue, ReviewStatus
from cityeval.frameworks.axes import comparison_axis, item_members

SHOWN = 5  # regions listed as over- and under-claimers
SETTLED = (ReviewStatus.ACCEPTED, ReviewStatus.ADJUSTED)
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Tally:
    items: int = 0  # settled items
    adjusted: int = 0  # of which the assessors adjusted
    compared: int = 0  # with both a self-assessed and a verified level
    gap_sum: Decimal = Decimal(0)  # sum of self - verified over the compared items

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.items + other.items,
            self.adjusted + other.adjusted,
            self.compared + other.compared,
            self.gap_sum + other.gap_sum,
        )

    @property
    def mean_gap(self) -> Decimal | None:
        return (self.gap_sum / self.compared).quantize(PLACES) if self.compared else None

    @property
    def adjusted_percent(self) -> Decimal | None:
        return (Decimal(100 * self.adjusted) / self.items).quantize(PLACES) if self.items else None


@dataclass(frozen=True)
class DimensionLine:
    code: str
    name: str
    tally: Tally


@dataclass(frozen=True)
class RegionLine:
    evaluation_id: int
    region: str
    tally: Tally


@dataclass(frozen=True)
class TeamLine:
    lead: str  # the lead assessor's name; "" for regions without a recorded team
    members: list[str]
    regions: int
    tally: Tally


@dataclass(frozen=True)
class Consistency:
    overall: Tally
    dimensions: list[DimensionLine]
    over: list[RegionLine]  # the largest positive mean gaps first
    under: list[RegionLine]  # the largest negative mean gaps first
    teams: list[TeamLine]

    @property
    def empty(self) -> bool:
        return self.overall.items == 0


def consistency(cycle: Cycle, regions: Mapping[int, tuple[int, str]]) -> Consistency:
    """`regions`: evaluation id -> (region id, region name) of the rows the dashboard shows."""
    settled = ItemValue.objects.filter(
        evaluation_id__in=list(regions),
        indicator__kind="maturity",
        review_status__in=SETTLED,
    ).order_by()
    per_item = _tallies(settled.values("indicator__code"), "indicator__code")
    per_evaluation = _tallies(settled.values("evaluation_id"), "evaluation_id")

    axis = comparison_axis(cycle.framework_version)
    dimension_of = item_members(cycle.framework_version, axis)
    by_dimension: dict[str, Tally] = defaultdict(Tally)
    for code, tally in per_item.items():
        dimension = dimension_of.get(str(code))
        if dimension:
            by_dimension[dimension] += tally
    dimensions = [
        DimensionLine(code, name, by_dimension[code])
        for code, name in axis.names.items()
        if code in by_dimension
    ]

    lines = [
        RegionLine(pk, regions[int(pk)][1], tally)
        for pk, tally in per_evaluation.items()
        if tally.compared
    ]
    over = sorted(
        (r for r in lines if (r.tally.mean_gap or 0) > 0),
        key=lambda r: (-(r.tally.mean_gap or 0), r.region),
    )
    under = sorted(
        (r for r in lines if (r.tally.mean_gap or 0) < 0),
        key=lambda r: (r.tally.mean_gap or 0, r.region),
    )
    return Consistency(
        overall=sum(per_evaluation.values(), Tally()),
        dimensions=dimensions,
        over=over[:SHOWN],
        under=under[:SHOWN],
        teams=_teams(cycle, regions, per_evaluation),
    )


def _tallies(rows: Any, key: str) -> dict[Any, Tally]:
    gap = ExpressionWrapper(
        F("self_value") - F("verified_value"),
        output_field=DecimalField(max_digits=16, decimal_places=4),
    )
    both = Q(self_value__isnull=False, verified_value__isnull=False)
    grouped = rows.annotate(
        items=Count("pk"),
        adjusted=Count("pk", filter=Q(review_status=ReviewStatus.ADJUSTED)),
        compared=Count("pk", filter=both),
        gap_sum=Sum(gap, filter=both),
    )
    return {
        row[key]: Tally(
            row["items"],
            row["adjusted"],
            row["compared"],
            Decimal(str(row["gap_sum"])) if row["gap_sum"] is not None else Decimal(0),
        )
        for row in grouped
    }


def _teams(
    cycle: Cycle, regions: Mapping[int, tuple[int, str]], tallies: Mapping[Any, Tally]
) -> list[TeamLine]:
    region_ids = {region for region, _name in regions.values()}
    assignments = AssessorAssignment.objects.filter(
        cycle=cycle, region_id__in=region_ids
    ).values_list("region_id", "user__full_name", "user__username", "is_lead")
    lead_of: dict[int, str] = {}
    members: dict[int, set[str]] = defaultdict(set)
    for region, full_name, username, is_lead in assignments:
        name = full_name or username
        members[region].add(name)
        if is_lead:
            lead_of[region] = name
    teams: dict[str, tuple[set[str], set[int], list[Tally]]] = {}
    for evaluation_id, (region, _name) in regions.items():
        tally = tallies.get(evaluation_id)
        if tally is None:
            continue
        lead = lead_of.get(region, "")
        team = teams.setdefault(lead, (set(), set(), []))
        team[0].update(members.get(region, set()) if lead else set())
        team[1].add(region)
        team[2].append(tally)
    lines = [
        TeamLine(lead, sorted(names - {lead}), len(reviewed), sum(found, Tally()))
        for lead, (names, reviewed, found) in teams.items()
    ]
    # Named teams by name, the regions without a recorded team last.
    return sorted(lines, key=lambda t: (t.lead == "", t.lead))


def region_map(rows: Iterable[Any]) -> dict[int, tuple[int, str]]:
    """Evaluation id -> (region id, region name) from dashboard rows."""
    return {row.evaluation_id: (row.region_id, row.region) for row in rows}
