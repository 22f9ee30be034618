"""The team world (`tests/world.py`) for the API; `in_review` moves Kutai Kartanegara to the
document review with twelve items filled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.evaluations.services import submit_evaluation
from cityeval.reviews.services import start_review
from tests.world import TeamWorld, build_team_world


@pytest.fixture
def team_world(db: None, media: object) -> TeamWorld:
    return build_team_world(shipped=True)  # with SPBE and G100SC 2018


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world


def move_to_review(world: TeamWorld) -> None:
    """Fill twelve maturity items with level 3, submit and open the document review."""
    filled = [item.pk for item in world.items() if item.indicator.kind == "maturity"][:12]
    # Set-up only: the self-assessment's own tests cover saving values.
    ItemValue.objects.filter(pk__in=filled).update(self_value=Decimal(3), narrative="Berjalan.")
    submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    start_review(evaluation=world.evaluation, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.DOCUMENT_REVIEW


@pytest.fixture
def in_review(world: TeamWorld) -> TeamWorld:
    move_to_review(world)
    return world
