"""Publication (one, or every finalised evaluation of a cycle) and reopening with a reason."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.reports.services import (
    finalise_evaluation,
    publish_cycle,
    publish_evaluation,
    reopen_evaluation,
)
from cityeval.results.models import ResultSnapshot
from tests.world import TeamWorld as World

S = EvaluationStatus
CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _finalised(world: World, evaluation: Evaluation | None = None) -> Evaluation:
    target = evaluation or world.evaluation
    world.verify(target)
    world.at(S.FIELD_VISIT, target)
    lead = world.people["lead" if target == world.evaluation else "stranger_assessor"]
    finalise_evaluation(evaluation=target, user=lead)
    target.refresh_from_db()
    return target


def test_the_admin_publishes_a_finalised_evaluation_and_the_region_hears_of_it(
    world: World, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    evaluation = _finalised(world)
    with django_capture_on_commit_callbacks(execute=True):
        publish_evaluation(evaluation=evaluation, user=world.people["admin"])
    evaluation.refresh_from_db()
    assert evaluation.status == S.PUBLISHED
    assert evaluation.published_at is not None
    entry = AuditEntry.objects.get(action="evaluation.status.published")
    assert entry.actor == world.people["admin"]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["coordinator@example.id", "lead@example.id", "member@example.id"]


@pytest.mark.parametrize("persona", ["lead", "coordinator", "national_viewer"])
def test_only_a_program_admin_publishes(world: World, persona: str) -> None:
    evaluation = _finalised(world)
    with pytest.raises(WorkflowError, match="admin program"):
        publish_evaluation(evaluation=evaluation, user=world.people[persona])
    evaluation.refresh_from_db()
    assert evaluation.status == S.FINALISED


def test_it_refuses_to_publish_an_evaluation_that_is_not_final(world: World) -> None:
    world.at(S.FIELD_VISIT)
    with pytest.raises(TransitionError, match="Dipublikasikan"):
        publish_evaluation(evaluation=world.evaluation, user=world.people["admin"])


def test_publish_all_publishes_only_the_finalised_evaluations_of_the_cycle(
    world: World, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    _finalised(world)
    _finalised(world, world.other)
    publish_evaluation(evaluation=world.other, user=world.people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_cycle(cycle=world.cycle, user=world.people["admin"]) == 1
    statuses = dict(Evaluation.objects.values_list("region__code", "status"))
    assert statuses == {"64.02": S.PUBLISHED, "33.74": S.PUBLISHED}
    assert publish_cycle(cycle=world.cycle, user=world.people["admin"]) == 0
    assert AuditEntry.objects.filter(action="evaluation.status.published").count() == 2


def test_publish_all_leaves_evaluations_still_under_review_alone(world: World) -> None:
    _finalised(world)
    world.at(S.FIELD_VISIT, world.other)
    assert publish_cycle(cycle=world.cycle, user=world.people["admin"]) == 1
    world.other.refresh_from_db()
    assert world.other.status == S.FIELD_VISIT


def test_publish_all_needs_a_program_admin(world: World) -> None:
    _finalised(world)
    with pytest.raises(WorkflowError):
        publish_cycle(cycle=world.cycle, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FINALISED


def test_publish_all_records_each_result_in_its_audit_entry(world: World) -> None:
    _finalised(world)
    _finalised(world, world.other)
    publish_cycle(cycle=world.cycle, user=world.people["admin"])
    for evaluation in (world.evaluation, world.other):
        snapshot = ResultSnapshot.objects.get(evaluation=evaluation, is_current=True)
        entry = AuditEntry.objects.get(
            action="evaluation.status.published", evaluation_id=evaluation.pk
        )
        assert entry.after is not None
        assert entry.after["snapshot"] == snapshot.pk
        assert entry.after["index"] == str(snapshot.index)


def test_publish_all_refuses_before_any_change_when_a_result_is_missing_and_names_it(
    world: World,
) -> None:
    _finalised(world)
    _finalised(world, world.other)
    # Kutai Kartanegara (64.02) comes after Kota Semarang (33.74): nothing may be published first.
    ResultSnapshot.objects.filter(evaluation=world.evaluation).update(is_current=False)
    with pytest.raises(WorkflowError, match=world.evaluation.region.full_name):
        publish_cycle(cycle=world.cycle, user=world.people["admin"])
    statuses = set(Evaluation.objects.values_list("status", flat=True))
    assert statuses == {S.FINALISED}
    assert not AuditEntry.objects.filter(action="evaluation.status.published").exists()


@pytest.mark.parametrize("published", [False, True])
def test_reopening_retires_the_snapshot_keeps_it_and_records_the_reason(
    world: World, published: bool
) -> None:
    evaluation = _finalised(world)
    if published:
        publish_evaluation(evaluation=evaluation, user=world.people["admin"])
    old = ResultSnapshot.objects.get(evaluation=evaluation)

    reopen_evaluation(
        evaluation=evaluation, user=world.people["admin"], reason="  Bukti butir OUT-1 keliru. "
    )

    evaluation.refresh_from_db()
    assert evaluation.status == S.DOCUMENT_REVIEW
    old.refresh_from_db()
    assert not old.is_current
    entry = AuditEntry.objects.get(action="evaluation.status.document_review")
    assert entry.note == "Bukti butir OUT-1 keliru."
    assert entry.after is not None
    assert entry.after["reason"] == "Bukti butir OUT-1 keliru."
    assert entry.after["retired_snapshot"] == old.pk


def test_finalising_again_after_reopening_makes_a_new_current_snapshot(world: World) -> None:
    evaluation = _finalised(world)
    reopen_evaluation(evaluation=evaluation, user=world.people["admin"], reason="Koreksi.")
    world.at(S.FIELD_VISIT)
    finalise_evaluation(evaluation=evaluation, user=world.people["lead"])
    assert ResultSnapshot.objects.filter(evaluation=evaluation).count() == 2
    assert ResultSnapshot.objects.filter(evaluation=evaluation, is_current=True).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(world: World, reason: str) -> None:
    evaluation = _finalised(world)
    with pytest.raises(WorkflowError, match="alasan"):
        reopen_evaluation(evaluation=evaluation, user=world.people["admin"], reason=reason)
    evaluation.refresh_from_db()
    assert evaluation.status == S.FINALISED
    assert ResultSnapshot.objects.get(evaluation=evaluation).is_current


def test_only_a_finalised_or_published_evaluation_can_be_reopened_here(world: World) -> None:
    world.at(S.FIELD_VISIT)
    with pytest.raises(WorkflowError, match="final atau dipublikasikan"):
        reopen_evaluation(evaluation=world.evaluation, user=world.people["admin"], reason="x")
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FIELD_VISIT


@pytest.mark.parametrize("persona", ["lead", "coordinator"])
def test_only_a_program_admin_reopens(world: World, persona: str) -> None:
    evaluation = _finalised(world)
    with pytest.raises(WorkflowError, match="admin program"):
        reopen_evaluation(evaluation=evaluation, user=world.people[persona], reason="x")
    assert ResultSnapshot.objects.get(evaluation=evaluation).is_current


def test_reopening_clears_the_final_dates_and_tells_the_region_and_the_team(
    world: World, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    evaluation = _finalised(world)
    publish_evaluation(evaluation=evaluation, user=world.people["admin"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen_evaluation(evaluation=evaluation, user=world.people["admin"], reason="Data keliru.")
    evaluation.refresh_from_db()
    assert (evaluation.finalised_at, evaluation.published_at) == (None, None)
    assert [m.subject for m in mail.outbox if "dibuka kembali" in m.subject]
    assert any("Data keliru." in m.body for m in mail.outbox)
