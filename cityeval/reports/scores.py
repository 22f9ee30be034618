"""An evaluation's values as the scoring engine takes them, and the scores they give.

The official figures come from the VERIFIED values: an item the assessors have not verified is
missing, and the framework's missing-value policy decides what it counts as. Carry-forward takes
the previous cycle's values from that evaluation's current snapshot, the official record of what
was scored then.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cityeval.evaluations.models import Evaluation, ItemValue, cycle_order
from cityeval.frameworks.convert import to_scoring
from cityeval.results.figures import decimals
from cityeval.results.models import ResultSnapshot
from scoring.engine import RegionScore, score_region
from scoring.model import Framework, MissingPolicy

Values = dict[str, Decimal | None]


@dataclass(frozen=True)
class Scored:
    framework: Framework
    values: Values
    previous: Values | None
    score: RegionScore


def verified_values(evaluation: Evaluation) -> Values:
    """Item code -> verified value (None when not verified), for every item of the evaluation."""
    return dict(
        ItemValue.objects.filter(evaluation=evaluation).values_list(
            "indicator__code", "verified_value"
        )
    )


def working_values(evaluation: Evaluation) -> Values:
    """The best value known now: verified where the assessors have verified, else self-assessed.

    Used while the review is still running (proposed recommendations), never for official figures.
    """
    rows = ItemValue.objects.filter(evaluation=evaluation).values_list(
        "indicator__code", "verified_value", "self_value"
    )
    return {code: verified if verified is not None else own for code, verified, own in rows}


def earlier_evaluations(evaluation: Evaluation) -> list[Evaluation]:
    """The region's evaluations in earlier cycles of the same program, latest first."""
    cycle = evaluation.cycle
    here = cycle_order(cycle.year, cycle.round)
    candidates = Evaluation.objects.filter(
        region_id=evaluation.region_id, cycle__program=cycle.program, cycle__year__lte=cycle.year
    ).select_related("cycle")
    earlier = [e for e in candidates if cycle_order(e.cycle.year, e.cycle.round) < here]
    return sorted(earlier, key=lambda e: cycle_order(e.cycle.year, e.cycle.round), reverse=True)


def previous_values(evaluation: Evaluation) -> Values | None:
    """Last cycle's scored inputs for carry-forward; None when the region has no earlier result."""
    for earlier in earlier_evaluations(evaluation):
        snapshot = ResultSnapshot.objects.current().filter(evaluation=earlier).first()
        if snapshot is not None:
            return decimals(snapshot.inputs)
    return None


def score_evaluation(evaluation: Evaluation, values: Values | None = None) -> Scored:
    """Score the evaluation's verified values (or `values`) exactly as finalisation does."""
    framework = to_scoring(evaluation.cycle.framework_version)
    values = verified_values(evaluation) if values is None else values
    previous = (
        previous_values(evaluation) if framework.missing is MissingPolicy.CARRY_FORWARD else None
    )
    return Scored(framework, values, previous, score_region(framework, values, previous=previous))


def as_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
