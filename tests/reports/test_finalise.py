"""Finalisation: the lead assessor fixes the verified values' scores as an immutable snapshot."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ItemValue, ReviewStatus, Round
from cityeval.evaluations.services import assign_assessor
from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.loader import load_framework_text
from cityeval.frameworks.services import store_document
from cityeval.reports.services import finalise_evaluation
from cityeval.results.models import ImmutableSnapshotError, ResultSnapshot
from scoring.engine import score_region
from tests.world import TeamWorld as World
from tests.world import open_test_cycle

S = EvaluationStatus
CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_it_stores_exactly_what_the_engine_computes_from_the_verified_values(world: World) -> None:
    values = world.verify()
    # Self-assessed values differ: only the verified ones may count.
    ItemValue.objects.filter(evaluation=world.evaluation).update(self_value=Decimal(5))
    first = ItemValue.objects.filter(
        evaluation=world.evaluation, indicator__kind="maturity"
    ).first()
    assert first is not None
    ItemValue.objects.filter(pk=first.pk).update(verified_value=None)  # accepted but no value
    values[first.indicator.code] = None  # type: ignore[assignment]
    world.at(S.FIELD_VISIT)

    snapshot = finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])

    expected = score_region(to_scoring(world.cycle.framework_version), values)
    assert snapshot.index == expected.index
    assert snapshot.predicate == expected.predicate
    assert snapshot.node_indices == {k: str(v) for k, v in expected.nodes.items()}
    assert snapshot.tag_indices == {
        k: None if v is None else str(v) for k, v in expected.tags.items()
    }
    assert snapshot.missing == [first.indicator.code]
    assert snapshot.inputs[first.indicator.code] is None
    assert snapshot.framework_version == world.cycle.framework_version
    assert snapshot.created_by == world.people["lead"]
    assert snapshot.is_current
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FINALISED
    assert world.evaluation.finalised_at is not None


def test_it_refuses_while_items_are_pending_or_in_clarification_and_names_them(
    world: World,
) -> None:
    world.verify()
    items = list(
        ItemValue.objects.filter(evaluation=world.evaluation)
        .select_related("indicator")
        .order_by("indicator__sequence")[:3]
    )
    for item, status in zip(
        items,
        [ReviewStatus.PENDING, ReviewStatus.CLARIFICATION, ReviewStatus.ANSWERED],
        strict=True,
    ):
        ItemValue.objects.filter(pk=item.pk).update(review_status=status)
    world.at(S.FIELD_VISIT)

    with pytest.raises(WorkflowError) as refused:
        finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])

    message = str(refused.value)
    assert "3 butir" in message
    for item in items:
        assert item.indicator.code in message
    assert not ResultSnapshot.objects.exists()
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FIELD_VISIT


@pytest.mark.parametrize("persona", ["member", "admin", "coordinator", "stranger_assessor"])
def test_only_the_lead_assessor_may_finalise(world: World, persona: str) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    with pytest.raises(WorkflowError, match="ketua tim asesor"):
        finalise_evaluation(evaluation=world.evaluation, user=world.people[persona])
    assert not ResultSnapshot.objects.exists()


@pytest.mark.parametrize("status", [S.DOCUMENT_REVIEW, S.CLARIFICATION, S.FINALISED, S.PUBLISHED])
def test_it_refuses_outside_the_field_visit_with_a_clear_message(
    world: World, status: EvaluationStatus
) -> None:
    world.verify()
    world.at(status)
    with pytest.raises(TransitionError, match="Final"):
        finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    assert not ResultSnapshot.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluation.status.finalised").exists()


def test_the_snapshot_cannot_be_changed_afterwards(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    snapshot = finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    snapshot.index = Decimal("4.99")
    with pytest.raises(ImmutableSnapshotError):
        snapshot.save()
    snapshot.refresh_from_db()
    assert snapshot.index != Decimal("4.99")


def test_it_writes_one_audit_entry_with_the_figures(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    snapshot = finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    entry = AuditEntry.objects.get(action="evaluation.status.finalised")
    assert entry.actor == world.people["lead"]
    assert entry.before == {"status": "field_visit"}
    assert entry.after is not None
    assert entry.after["index"] == str(snapshot.index)
    assert entry.after["snapshot"] == snapshot.pk
    assert entry.evaluation_id == world.evaluation.pk


def test_it_mails_the_coordinator_and_the_admins_after_commit(
    world: World, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    with django_capture_on_commit_callbacks(execute=True):
        finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["admin@example.id", "coordinator@example.id"]
    assert "difinalkan" in mail.outbox[0].subject


def test_a_refused_finalisation_sends_nothing(
    world: World, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    world.at(S.FIELD_VISIT)  # nothing reviewed
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    assert mail.outbox == []


def test_carry_forward_uses_last_cycles_values_of_the_same_region(world: World) -> None:
    # A variant of the shipped framework whose missing policy is carry_forward.
    text = Path(settings.FRAMEWORKS_DIR / "g100sc-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("missing: lowest", "missing: carry_forward").replace(
        "version: '2022'", "version: 2022-cf"
    )
    version = store_document(document=load_framework_text(text, filename="cf.yaml")).version
    admin, lead = world.people["admin"], world.people["lead"]
    cycles = []
    for year in (2025, 2026):
        cycle = open_test_cycle(
            year=year, round=Round.ANNUAL, version=version, regions=[world.kukar], admin=admin
        )
        assign_assessor(cycle=cycle, region=world.kukar, assessor=lead, is_lead=True, user=admin)
        cycles.append(cycle)
    last_year = cycles[0].evaluations.get()
    before = world.verify(last_year, seed=3)
    world.at(S.FIELD_VISIT, last_year)
    finalise_evaluation(evaluation=last_year, user=lead)

    this_year = cycles[1].evaluations.get()
    now = world.verify(this_year, seed=4)
    gap = ItemValue.objects.filter(evaluation=this_year, indicator__kind="maturity").first()
    assert gap is not None
    ItemValue.objects.filter(pk=gap.pk).update(verified_value=None)
    now[gap.indicator.code] = None  # type: ignore[assignment]
    world.at(S.FIELD_VISIT, this_year)
    snapshot = finalise_evaluation(evaluation=this_year, user=lead)

    framework = to_scoring(version)
    expected = score_region(framework, now, previous=before)
    assert snapshot.index == expected.index
    assert expected.carried_forward == (gap.indicator.code,)
