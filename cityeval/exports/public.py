"""The public results page: cycles with published results and a short leaderboard of each.

Read in a fixed number of queries (cycles, then every published current snapshot at once),
whatever the number of cycles and regions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles
from cityeval.results.standings import Standing, published_standings_of

LEADERBOARD_SIZE = 10


@dataclass
class PublicCycle:
    cycle: Cycle
    published_count: int
    leaders: list[Standing] = field(default_factory=list)


def public_results(size: int = LEADERBOARD_SIZE) -> list[PublicCycle]:
    """Each cycle with published results, and its first `size` official standings."""
    cycles = public_cycles()
    standings = published_standings_of(cycles, figures=False)
    return [
        PublicCycle(
            cycle=cycle,
            published_count=getattr(cycle, "published_count", len(standings[cycle.pk])),
            leaders=standings[cycle.pk][:size],
        )
        for cycle in cycles
    ]
