"""The one test world is what `tests/world.py` says it is."""

from __future__ import annotations

from cityeval.evaluations.models import EvaluationStatus
from tests.world import PERSONAS, World


def test_the_world_holds_every_persona_and_each_cycle_in_its_stage(world: World) -> None:
    assert {"anonymous", *world.people} == set(PERSONAS)
    assert set(world.tokens) == set(world.people)
    assert world.published.status == EvaluationStatus.PUBLISHED
    assert world.finalised_b.status == EvaluationStatus.FINALISED
    assert world.reviewing.status == EvaluationStatus.CLARIFICATION
    assert world.reviewing_b.status == EvaluationStatus.DOCUMENT_REVIEW
    assert world.running.status == world.running_b.status == EvaluationStatus.SELF_ASSESSMENT
    assert world.clarification.answered_at is None


def test_the_objects_belong_where_the_personas_expect_them(world: World) -> None:
    assert world.item.evaluation_id == world.running.pk
    assert world.item.opd_id == world.health.pk
    assert world.other_item.opd_id == world.roads.pk
    assert world.item_b.evaluation_id == world.running_b.pk
    assert {world.evidence_file.item_id, world.evidence_link.item_id} == {world.item.pk}
    assert world.visit.evaluation_id == world.reviewing.pk
    assert world.photo.visit_id == world.visit.pk
    assert world.recommendation.evaluation_id == world.published.pk
    assert world.review_item.evaluation_id == world.reviewing.pk
    assert world.invited.invitation_pending
