"""The team world (`tests/world.py`) with both self-assessments submitted: Dinkes and PUPR of
Kutai Kartanegara hold six maturity items each, and twelve items of each region are filled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.evaluations.services import submit_evaluation
from cityeval.reviews.services import start_review
from tests.world import TEAM_PERSONAS, TeamWorld, build_team_world

PERSONAS = [p for p in TEAM_PERSONAS if p not in {"other_contributor", "national_viewer"}]


@pytest.fixture
def team_world(db: None, media: object) -> TeamWorld:
    return build_team_world(opd_items=6)


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    world = team_world
    for target, coordinator in [
        (world.evaluation, "coordinator"),
        (world.other, "other_coordinator"),
    ]:
        # Set-up only: the self-assessment's own tests cover saving values.
        filled = [i.pk for i in world.items(target) if i.indicator.kind == "maturity"][:12]
        ItemValue.objects.filter(pk__in=filled).update(
            self_value=Decimal(3), narrative="Program berjalan di tiga kecamatan."
        )
        submit_evaluation(evaluation=target, user=world.people[coordinator])
        target.refresh_from_db()
    return world


@pytest.fixture
def in_review(world: TeamWorld) -> TeamWorld:
    """The Kutai Kartanegara evaluation in document review (Semarang too)."""
    start_review(evaluation=world.evaluation, user=world.people["lead"])
    start_review(evaluation=world.other, user=world.people["stranger_assessor"])
    world.reload()
    world.other.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.DOCUMENT_REVIEW
    return world
