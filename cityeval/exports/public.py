"""The public results page: cycles with published results and a short leaderboard of each.

Read in a fixed number of queries (cycles, then every published current snapshot at once),
whatever the number of cycles and regions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles
from cityeval.exports.builder import published_figure, rounding_places
from cityeval.reports.texts import predicate_label
from cityeval.results.models import ResultSnapshot
from scoring.rank import competition_ranks

LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class Standing:
    evaluation_id: int
    rank: int | None
    region: str
    province: str
    index: Decimal | None
    predicate: str


@dataclass
class PublicCycle:
    cycle: Cycle
    published_count: int
    leaders: list[Standing] = field(default_factory=list)


def public_results(size: int = LEADERBOARD_SIZE) -> list[PublicCycle]:
    cycles = public_cycles()
    snapshots = (
        ResultSnapshot.objects.published()
        .filter(evaluation__cycle__in=[c.pk for c in cycles])
        .select_related("evaluation__region__province")
        .only(
            "index",
            "predicate",
            "evaluation_id",
            "evaluation__cycle_id",
            "evaluation__region__full_name",
            "evaluation__region__code",
            "evaluation__region__province__name",
        )
    )
    by_cycle: defaultdict[int, list[ResultSnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        by_cycle[snapshot.evaluation.cycle_id].append(snapshot)
    found = []
    for cycle in cycles:
        version = cycle.framework_version
        places = rounding_places(version)
        figures = {s.pk: published_figure(s.index, places) for s in by_cycle[cycle.pk]}
        ranks = competition_ranks(figures)
        ordered = sorted(
            by_cycle[cycle.pk],
            key=lambda s: (ranks[s.pk] or 10**9, s.evaluation.region.code),
        )
        leaders = [
            Standing(
                evaluation_id=s.evaluation_id,
                rank=ranks[s.pk],
                region=s.evaluation.region.full_name,
                province=s.evaluation.region.province.name,
                index=figures[s.pk],
                predicate=predicate_label(version, s.predicate) if s.predicate else "",
            )
            for s in ordered[:size]
        ]
        count = getattr(cycle, "published_count", len(figures))
        found.append(PublicCycle(cycle=cycle, published_count=count, leaders=leaders))
    return found
