"""Rank intervals of a cycle's published results: how much each official rank owes to the method.

`refresh_rank_intervals` runs the Monte Carlo analysis of `scoring.uncertainty` over the cycle's
PUBLISHED results (their snapshots' inputs, the values the engine scored) and replaces the stored
`RankAnalysis` and its `RankInterval` rows: one per result nationally, one in its province and
one in each of its peer groups, all three from the same draws (`groups=`).

It runs inside the transaction that changes the published set (publish one, publish a cycle,
reopen a published result), not after commit: a reader then never sees ranks published without
their intervals, or intervals of a set that no longer exists, and a failure rolls the
publication back instead of leaving stale intervals behind with nobody to retry. The cost is
small (2,000 draws over 514 regions take well under a second, see `bench/`), and publishing is a
rare admin action.

Draws and seed are fixed and recorded with the analysis, so the same published set always gives
the same intervals. Earlier cycles' published inputs are passed as `previous`, so carry-forward
is one of the missing-value policies drawn when the region has an earlier result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cityeval.accounts.access import Actor
from cityeval.audit.log import audited
from cityeval.evaluations.models import Cycle, cycle_order
from cityeval.frameworks.convert import to_scoring
from cityeval.regions.models import PeerGroup
from cityeval.results.figures import decimals
from cityeval.results.models import RankAnalysis, RankInterval, RankScope, ResultSnapshot
from scoring.uncertainty import MonteCarlo, Uncertainty, rank_uncertainty_matrix
from scoring.vector import compile_framework, value_matrix

# 2,000 draws keep the 5% and 95% percentiles stable to about a rank for a few hundred regions
# and still take well under a second for 514 (bench/bench_rank_intervals.py).
DRAWS = 2000
SEED = 2017  # the program's first cohort; recorded with every analysis
SETTINGS = MonteCarlo(draws=DRAWS, seed=SEED)


@dataclass(frozen=True)
class _Result:
    evaluation_id: int
    region_id: int
    province: str
    inputs: dict[str, Decimal | None]


def refresh_rank_intervals(*, cycle: Cycle, user: Actor | None) -> RankAnalysis | None:
    """Replace the cycle's analysis with one of its published results now (None: none are).

    Call inside the transaction that changed what is published.
    """
    RankAnalysis.objects.filter(cycle=cycle).delete()
    results = _published(cycle)
    if not results:
        audited(
            actor=user,
            action="results.rank_intervals.cleared",
            target=cycle,
            note="no published results",
        )
        return None
    uncertainty = analyse(cycle, results)
    analysis = RankAnalysis.objects.create(
        cycle=cycle,
        draws=SETTINGS.draws,
        seed=SETTINGS.seed,
        weight_spread=SETTINGS.weight_spread,
        geometric_share=SETTINGS.geometric_share,
        policies=[str(p) for p in uncertainty.policies],
        interval=list(SETTINGS.interval),
        regions=len(results),
        mean_shift=uncertainty.mean_shift,
        sensitivity=[
            {"input": s.input, "mean_shift": s.mean_shift, "max_shift": s.max_shift}
            for s in uncertainty.sensitivity
        ],
    )
    RankInterval.objects.bulk_create(_intervals(analysis, results, uncertainty), batch_size=1000)
    top = uncertainty.most_influential
    audited(
        actor=user,
        action="results.rank_intervals.computed",
        target=analysis,
        after={
            "cycle": cycle.pk,
            "regions": len(results),
            "draws": SETTINGS.draws,
            "seed": SETTINGS.seed,
            "most_influential": top.input if top else None,
        },
    )
    return analysis


def analyse(cycle: Cycle, results: list[_Result]) -> Uncertainty:
    """The Monte Carlo run over `results`, with provinces and peer groups as groups."""
    framework = to_scoring(cycle.framework_version)
    compiled = compile_framework(framework)
    raw = value_matrix(compiled, [r.inputs for r in results])
    earlier = _earlier_inputs(cycle, [r.region_id for r in results])
    previous = None
    if earlier:
        previous = value_matrix(compiled, [earlier.get(r.region_id, {}) for r in results])
    return rank_uncertainty_matrix(
        framework,
        raw,
        regions=[str(r.evaluation_id) for r in results],
        previous=previous,
        settings=SETTINGS,
        groups=_groups(results),
    )


def _published(cycle: Cycle) -> list[_Result]:
    rows = (
        ResultSnapshot.objects.for_cycle(cycle.pk)
        .published()
        .order_by("evaluation__region__code")
        .values_list(
            "evaluation_id", "evaluation__region_id", "evaluation__region__province__code", "inputs"
        )
    )
    return [
        _Result(pk, region, province, decimals(inputs)) for pk, region, province, inputs in rows
    ]


def _earlier_inputs(cycle: Cycle, region_ids: list[int]) -> dict[int, dict[str, Decimal | None]]:
    """Region id -> the inputs of its latest published result in an earlier cycle (one query)."""
    here = cycle_order(cycle.year, cycle.round)
    rows = (
        ResultSnapshot.objects.published()
        .filter(
            evaluation__region_id__in=region_ids,
            evaluation__cycle__program=cycle.program,
            evaluation__cycle__year__lte=cycle.year,
        )
        .exclude(evaluation__cycle=cycle)
        .values_list(
            "evaluation__region_id", "evaluation__cycle__year", "evaluation__cycle__round", "inputs"
        )
    )
    latest: dict[int, tuple[tuple[int, int], dict[str, Any]]] = {}
    for region, year, round_, inputs in rows:
        order = cycle_order(year, round_)
        if order < here and (region not in latest or order > latest[region][0]):
            latest[region] = (order, inputs)
    return {region: decimals(inputs) for region, (_order, inputs) in latest.items()}


def _groups(results: list[_Result]) -> dict[str, list[int]]:
    """'province:<code>' and 'peer:<code>' -> row positions of their published results."""
    groups: dict[str, list[int]] = defaultdict(list)
    row_of = {r.region_id: row for row, r in enumerate(results)}
    for row, result in enumerate(results):
        groups[f"{RankScope.PROVINCE}:{result.province}"].append(row)
    memberships = PeerGroup.regions.through.objects.filter(region_id__in=row_of).values_list(
        "peergroup__code", "region_id"
    )
    for code, region in memberships.order_by("peergroup__code", "region_id"):
        groups[f"{RankScope.PEER}:{code}"].append(row_of[region])
    return {name: sorted(rows) for name, rows in groups.items()}


def _intervals(
    analysis: RankAnalysis, results: list[_Result], found: Uncertainty
) -> list[RankInterval]:
    rows = [
        RankInterval(
            analysis=analysis,
            evaluation_id=result.evaluation_id,
            scope=RankScope.NATIONAL,
            group="",
            nominal=int(found.nominal[row]),
            median=int(found.median[row]),
            low=int(found.low[row]),
            high=int(found.high[row]),
            of=len(results),
        )
        for row, result in enumerate(results)
    ]
    for name, group in found.groups.items():
        scope, code = name.split(":", 1)
        for position, row in enumerate(group.members):
            rows.append(
                RankInterval(
                    analysis=analysis,
                    evaluation_id=results[int(row)].evaluation_id,
                    scope=scope,
                    group=code,
                    nominal=int(group.nominal[position]),
                    median=int(group.median[position]),
                    low=int(group.low[position]),
                    high=int(group.high[position]),
                    of=len(group.members),
                )
            )
    return rows
