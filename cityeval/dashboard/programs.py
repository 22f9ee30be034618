"""The programs (G100SC, SPBE) a reader chooses between on the dashboards and the home page.

Programs are separate: a newer cycle of one program never displaces the results of another.
Each program has its own default cycle, its newest among those offered (the public dashboard is
offered cycles with published results only). With no program chosen, the default program is the
one the platform has run longest, the program of the oldest cycle offered.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityeval.evaluations.models import Cycle, cycle_order


def programs_of(cycles: Sequence[Cycle]) -> dict[str, str]:
    """Program code -> its label (code and the name of its newest framework), oldest program
    first. `cycles` come newest first, as the dashboards list them."""
    found: dict[str, str] = {}
    for cycle in sorted(cycles, key=_order, reverse=True):
        found.setdefault(cycle.program, f"{cycle.program} · {cycle.framework_version.name}")
    return dict(sorted(found.items(), key=lambda item: _first(cycles, item[0])))


def default_program(cycles: Sequence[Cycle]) -> str:
    """The program of the oldest cycle offered; "" when none is."""
    oldest = min(cycles, key=_order, default=None)
    return oldest.program if oldest is not None else ""


def newest_cycle(cycles: Sequence[Cycle], program: str) -> Cycle | None:
    mine = [c for c in cycles if c.program == program]
    return max(mine, key=_order, default=None)


def _first(cycles: Sequence[Cycle], program: str) -> tuple[int, int]:
    return min(_order(c) for c in cycles if c.program == program)


def _order(cycle: Cycle) -> tuple[int, int]:
    return cycle_order(cycle.year, cycle.round)
