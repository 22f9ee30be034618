"""The one test world is what `tests/world.py` says it is."""

from __future__ import annotations

import pytest

from cityeval.accounts.models import Role
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.regions.models import Cohort
from tests.matrix import Row, check, expect, no_args
from tests.world import PERSONAS, TEAM_PASSWORD, TEAM_PERSONAS, TeamWorld, World


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


def test_the_team_world_holds_its_people_and_one_open_cycle(team_world: TeamWorld) -> None:
    world = team_world
    assert {"anonymous", *world.people} == set(TEAM_PERSONAS)
    assert world.evaluation.status == world.other.status == EvaluationStatus.SELF_ASSESSMENT
    assert (world.evaluation.region, world.other.region) == (world.kukar, world.semarang)
    assert world.item().opd_id == world.health.pk
    assert world.item(world.roads).opd_id == world.roads.pk
    assert ItemValue.objects.filter(evaluation=world.evaluation, opd=world.health).count() == 10
    grant = world.people["roads_contributor"].grants.get()
    assert (grant.role, grant.region, grant.opd) == (Role.CONTRIBUTOR, world.kukar, world.roads)
    assert world.people["coordinator"].check_password(TEAM_PASSWORD)


def test_the_matrix_compares_every_persona_and_rolls_each_request_back(
    team_world: TeamWorld,
) -> None:
    personas = ["admin", "viewer", "anonymous"]
    row = Row("profile", no_args, expect(200), effect=lambda world, persona: note(persona))
    check(row, team_world, personas)
    assert not Cohort.objects.exists()  # each persona's writes were rolled back
    wrong = Row("profile", no_args, {"admin": 200, "viewer": 403, "anonymous": 302})
    with pytest.raises(AssertionError):
        check(wrong, team_world, personas)


def note(persona: str) -> None:
    """A write inside the request's savepoint (the matrix must roll it back)."""
    Cohort.objects.create(year=2000, name=f"Angkatan {persona}")
