"""A cycle named on the command line: by its year when that year has one cycle, else by id."""

from __future__ import annotations

from cityeval.evaluations.models import Cycle


class CycleNotFound(ValueError):
    """No cycle, or more than one, answers to what was given; the message says which exist."""


def find_cycle(ref: str) -> Cycle:
    """A cycle by year (when the year has exactly one cycle) or by id."""
    if not ref.isdigit():
        raise CycleNotFound(f"--cycle must be a year or a cycle id, not {ref!r}")
    number = int(ref)
    in_year = list(Cycle.objects.filter(year=number).select_related("framework_version"))
    if len(in_year) == 1:
        return in_year[0]
    if len(in_year) > 1:
        listed = "; ".join(f"{c.pk}: {c}" for c in in_year)
        raise CycleNotFound(f"{number} has {len(in_year)} cycles, give its id instead: {listed}")
    found = Cycle.objects.filter(pk=number).select_related("framework_version").first()
    if found is None:
        known = "; ".join(f"{c.pk}: {c}" for c in Cycle.objects.all())
        raise CycleNotFound(f"no cycle with year or id {number}; cycles: {known or 'none'}")
    return found
