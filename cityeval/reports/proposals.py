"""Which recommendations to propose: the items whose next rubric level raises the index most.

The gains come from the engine (`scoring.improve`); this module adds what only the database
knows: which dimension each item is reported under, which items already have a recommendation,
and the text (the next level's rubric and evidence).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.dimensions import item_dimensions
from cityeval.reports.models import Priority, Recommendation
from cityeval.reports.scores import previous_values, working_values
from scoring.improve import StepGain, gains_per_step
from scoring.model import MissingPolicy

PER_DIMENSION = 3
# The best step in a dimension is the most urgent; the rest follow.
PRIORITY_BY_RANK = (Priority.HIGH, Priority.MEDIUM)


@dataclass(frozen=True)
class Pick:
    code: str
    dimension: str
    level: int
    priority: Priority


def pick(
    gains: Sequence[StepGain],
    dimension_of: Mapping[str, str],
    *,
    per_dimension: int = PER_DIMENSION,
    skip: Collection[str] = (),
) -> list[Pick]:
    """The best `per_dimension` steps of each dimension that would raise the index at all."""
    taken: dict[str, int] = {}
    found = []
    for step in gains:
        dimension = dimension_of.get(step.code)
        if step.gain <= 0 or dimension is None or step.code in skip:
            continue
        rank = taken.get(dimension, 0)
        if rank >= per_dimension:
            continue
        taken[dimension] = rank + 1
        priority = PRIORITY_BY_RANK[rank] if rank < len(PRIORITY_BY_RANK) else Priority.LOW
        found.append(Pick(step.code, dimension, step.next_level, priority))
    return found


def proposals_for(evaluation: Evaluation, *, per_dimension: int = PER_DIMENSION) -> list[Pick]:
    """Proposals for one evaluation from the values known now, skipping items already covered.

    While the review runs many items are not verified yet, so the self-assessed value stands in
    for a missing verified one; the official figures never do this.
    """
    version = evaluation.cycle.framework_version
    framework = to_scoring(version)
    previous = (
        previous_values(evaluation) if framework.missing is MissingPolicy.CARRY_FORWARD else None
    )
    gains = gains_per_step(framework, working_values(evaluation), previous=previous)
    return pick(
        gains,
        dimension_by_code(evaluation),
        per_dimension=per_dimension,
        skip=covered_codes(evaluation),
    )


def dimension_by_code(evaluation: Evaluation) -> dict[str, str]:
    by_node = item_dimensions(evaluation.cycle.framework_version)
    rows = ItemValue.objects.filter(evaluation=evaluation).values_list(
        "indicator_id", "indicator__code"
    )
    return {code: by_node[node] for node, code in rows if node in by_node}


def covered_codes(evaluation: Evaluation) -> set[str]:
    return set(
        Recommendation.objects.filter(evaluation=evaluation, item__isnull=False).values_list(
            "item__indicator__code", flat=True
        )
    )
