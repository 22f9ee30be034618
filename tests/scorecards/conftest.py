"""A finalised Kutai Kartanegara evaluation plus stored results for other regions of its cycle.

The personas and cycles come from the reports app's fixtures; other regions' results are plain
rows (an evaluation and its current snapshot), since only their index matters to the scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.regions.models import Region
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.results.models import ResultSnapshot
from tests.reports.conftest import World, last_year, world  # noqa: F401 (fixtures)
from tests.results.conftest import ranked  # noqa: F401 (fixture)


@dataclass
class Finalised:
    world: World
    snapshot: ResultSnapshot
    values: dict[str, Decimal]

    @property
    def index(self) -> Decimal:
        return self.snapshot.index


def add_result(
    cycle: Cycle, region: Region, index: Decimal, tags: dict[str, str] | None = None
) -> Evaluation:
    """Another region's published result in `cycle` (an evaluation row and its snapshot)."""
    evaluation, _ = Evaluation.objects.update_or_create(
        cycle=cycle, region=region, defaults={"status": EvaluationStatus.PUBLISHED}
    )
    ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=cycle.framework_version,
        index=index,
        tag_indices=tags or {},
    )
    return evaluation


@pytest.fixture
def finalised(world: World) -> Finalised:  # noqa: F811
    """Kutai Kartanegara's 2024 evaluation, verified (self values all 5) and finalised."""
    values = world.verify()
    from cityeval.evaluations.models import ItemValue

    ItemValue.objects.filter(evaluation=world.evaluation).update(self_value=Decimal(5))
    world.at(EvaluationStatus.FIELD_VISIT)
    snapshot = finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    return Finalised(world, snapshot, values)


def publish(finalised: Finalised) -> None:
    publish_evaluation(evaluation=finalised.world.evaluation, user=finalised.world.people["admin"])
    finalised.world.evaluation.refresh_from_db()
