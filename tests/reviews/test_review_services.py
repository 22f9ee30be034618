"""Verdicts: start the review, accept, adjust, flag, accept many; their refusals and audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import StaleEditError, TransitionError, WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ReviewStatus
from cityeval.reviews.models import Verdict, VerdictKind
from cityeval.reviews.services import (
    accept_item,
    adjust_item,
    answer_clarification,
    bulk_accept,
    flag_item,
    request_clarification,
    start_field_visit,
    start_review,
)
from tests.world import TeamWorld as World


def test_it_starts_the_review_of_a_submitted_evaluation(world: World) -> None:
    start_review(evaluation=world.evaluation, user=world.people["member"])

    assert world.reload().status == EvaluationStatus.DOCUMENT_REVIEW
    entry = AuditEntry.objects.filter(action="evaluation.status.document_review").get()
    assert entry.actor == world.people["member"]
    assert entry.before == {"status": "submitted"}


def test_it_refuses_to_start_a_review_twice(in_review: World) -> None:
    with pytest.raises(TransitionError, match="Diserahkan"):
        start_review(evaluation=in_review.evaluation, user=in_review.people["lead"])


def test_it_refuses_to_start_the_review_of_a_finalised_evaluation(world: World) -> None:
    # The workflow table lets an admin send a finalised evaluation back to the document review;
    # "starting a review" must not be a way round that.
    world.evaluation.__class__.objects.filter(pk=world.evaluation.pk).update(
        status=EvaluationStatus.FINALISED
    )
    with pytest.raises(TransitionError, match="Final"):
        start_review(evaluation=world.reload(), user=world.people["lead"])
    assert world.reload().status == EvaluationStatus.FINALISED


@pytest.mark.parametrize("persona", ["coordinator", "stranger_assessor", "admin", "viewer"])
def test_it_refuses_to_start_a_review_outside_the_team(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        start_review(evaluation=world.evaluation, user=world.people[persona])
    assert world.reload().status == EvaluationStatus.SUBMITTED


def test_accepting_makes_the_self_value_the_verified_value(in_review: World) -> None:
    item = in_review.maturity_items()[0]

    accept_item(item=item, user=in_review.people["lead"], expected_version=item.version)

    item = in_review.fresh(item)
    assert item.review_status == ReviewStatus.ACCEPTED
    assert item.verified_value == item.self_value == Decimal(3)
    assert item.reviewed_by == in_review.people["lead"]
    verdict = Verdict.objects.get(item=item)
    assert (verdict.kind, verdict.value, verdict.created_by) == (
        VerdictKind.ACCEPT,
        Decimal(3),
        in_review.people["lead"],
    )
    entry = AuditEntry.objects.filter(action="item.review.accept").get()
    assert (entry.before or {})["review_status"] == "pending"
    assert (entry.after or {})["review_status"] == "accepted"
    assert Decimal((entry.after or {})["verified_value"]) == Decimal(3)


def test_it_refuses_to_accept_an_item_the_region_left_empty(in_review: World) -> None:
    empty = next(i for i in in_review.items() if i.self_value is None)
    with pytest.raises(WorkflowError, match="belum mengisi"):
        accept_item(item=empty, user=in_review.people["lead"], expected_version=empty.version)
    assert not Verdict.objects.exists()


def test_adjusting_sets_another_value_with_its_reason(in_review: World) -> None:
    item = in_review.maturity_items()[0]

    adjust_item(
        item=item,
        user=in_review.people["member"],
        verified_value=Decimal(2),
        reason="SK belum ditandatangani.",
        expected_version=item.version,
    )

    item = in_review.fresh(item)
    assert (item.review_status, item.verified_value) == (ReviewStatus.ADJUSTED, Decimal(2))
    assert item.review_note == "SK belum ditandatangani."
    assert item.self_value == Decimal(3)  # the region's claim stays as it was
    verdict = Verdict.objects.get(item=item)
    assert (verdict.kind, verdict.self_value, verdict.value) == (
        VerdictKind.ADJUST,
        Decimal(3),
        Decimal(2),
    )
    entry = AuditEntry.objects.filter(action="item.review.adjust").get()
    assert (entry.before or {})["verified_value"] is None
    assert Decimal((entry.after or {})["verified_value"]) == Decimal(2)


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_an_adjustment_without_a_reason(in_review: World, reason: str) -> None:
    item = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError, match="alasan"):
        adjust_item(
            item=item,
            user=in_review.people["lead"],
            verified_value=Decimal(2),
            reason=reason,
            expected_version=item.version,
        )
    assert in_review.fresh(item).review_status == ReviewStatus.PENDING
    assert not AuditEntry.objects.filter(action__startswith="item.review").exists()


@pytest.mark.parametrize("value", [Decimal(6), Decimal(0), Decimal("2.5"), Decimal("NaN")])
def test_it_refuses_a_verified_value_off_the_scale(in_review: World, value: Decimal) -> None:
    item = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError):
        adjust_item(
            item=item,
            user=in_review.people["lead"],
            verified_value=value,
            reason="Tidak sesuai.",
            expected_version=item.version,
        )
    assert in_review.fresh(item).verified_value is None


def test_it_refuses_an_adjustment_to_the_claimed_value(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError, match="Terima"):
        adjust_item(
            item=item,
            user=in_review.people["lead"],
            verified_value=Decimal(3),
            reason="Sama saja.",
            expected_version=item.version,
        )


def test_a_stale_verdict_is_refused_and_overwrites_nothing(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    opened = item.version
    adjust_item(
        item=item,
        user=in_review.people["member"],
        verified_value=Decimal(2),
        reason="Bukti kurang.",
        expected_version=opened,
    )

    with pytest.raises(StaleEditError, match="sudah diubah") as caught:
        accept_item(item=item, user=in_review.people["lead"], expected_version=opened)

    assert str(in_review.people["member"]) in str(caught.value)  # names who changed it
    item = in_review.fresh(item)
    assert (item.review_status, item.verified_value) == (ReviewStatus.ADJUSTED, Decimal(2))
    assert Verdict.objects.filter(item=item).count() == 1


@pytest.mark.parametrize(
    "status",
    [EvaluationStatus.SUBMITTED, EvaluationStatus.CLARIFICATION, EvaluationStatus.FINALISED],
)
def test_it_refuses_verdicts_outside_review_and_field_visit(
    in_review: World, status: EvaluationStatus
) -> None:
    in_review.evaluation.__class__.objects.filter(pk=in_review.evaluation.pk).update(status=status)
    item = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError, match="hanya dapat diberikan"):
        accept_item(item=item, user=in_review.people["lead"], expected_version=item.version)
    assert in_review.fresh(item).review_status == ReviewStatus.PENDING


def test_verdicts_may_be_adjusted_after_the_field_visit_starts(in_review: World) -> None:
    start_field_visit(evaluation=in_review.evaluation, user=in_review.people["lead"])
    item = in_review.maturity_items()[0]

    adjust_item(
        item=item,
        user=in_review.people["lead"],
        verified_value=Decimal(4),
        reason="Peninjauan lapangan menunjukkan layanan berjalan penuh.",
        expected_version=item.version,
    )

    assert in_review.fresh(item).verified_value == Decimal(4)


@pytest.mark.parametrize("persona", ["coordinator", "stranger_assessor", "admin", "contributor"])
def test_only_the_team_may_give_verdicts(in_review: World, persona: str) -> None:
    item = in_review.maturity_items()[0]
    with pytest.raises(PermissionDenied):
        accept_item(item=item, user=in_review.people[persona], expected_version=item.version)


def test_flagging_notes_a_question_without_changing_the_item(in_review: World) -> None:
    item = in_review.maturity_items()[0]

    flag_item(item=item, user=in_review.people["lead"], question="Mana SK-nya?")

    fresh = in_review.fresh(item)
    assert (fresh.review_status, fresh.version) == (ReviewStatus.PENDING, item.version)
    assert Verdict.objects.get(item=item).kind == VerdictKind.FLAG
    assert AuditEntry.objects.filter(action="item.review.flag").count() == 1


def test_it_refuses_a_flag_without_a_question(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError, match="pertanyaan"):
        flag_item(item=item, user=in_review.people["lead"], question=" ")


def test_bulk_accept_accepts_undecided_items_and_says_why_it_skipped_others(
    in_review: World,
) -> None:
    people = in_review.people
    filled = in_review.maturity_items()
    adjusted, flagged, plain = filled[0], filled[1], filled[2:5]
    adjust_item(
        item=adjusted,
        user=people["lead"],
        verified_value=Decimal(2),
        reason="Kurang bukti.",
        expected_version=adjusted.version,
    )
    flag_item(item=flagged, user=people["lead"], question="Mohon lampirkan SK.")
    empty = next(i for i in in_review.items() if i.self_value is None)

    result = bulk_accept(
        evaluation=in_review.evaluation,
        items=[adjusted, flagged, *plain, empty],
        user=people["member"],
    )

    assert result.accepted == [i.indicator.code for i in plain]
    skipped = dict(result.skipped)
    assert "sudah diputuskan" in skipped[adjusted.indicator.code]
    assert "ditandai" in skipped[flagged.indicator.code]
    assert "belum diisi" in skipped[empty.indicator.code]
    assert in_review.fresh(adjusted).verified_value == Decimal(2)
    assert AuditEntry.objects.filter(action="item.review.accept").count() == 3


def test_bulk_accept_skips_items_in_clarification(in_review: World) -> None:
    people = in_review.people
    filled = in_review.maturity_items()
    request_clarification(
        evaluation=in_review.evaluation,
        items=filled[:2],
        message="Mohon jelaskan.",
        user=people["lead"],
    )
    # Back in document review with one item still marked as in clarification (as after an
    # admin's correction): bulk accept must leave it alone.
    answer_clarification(evaluation=in_review.evaluation, user=people["coordinator"], answer="Ok.")
    type(filled[0]).objects.filter(pk=filled[0].pk).update(review_status=ReviewStatus.CLARIFICATION)

    result = bulk_accept(evaluation=in_review.reload(), items=filled[:3], user=people["lead"])

    assert dict(result.skipped)[filled[0].indicator.code] == "menunggu jawaban klarifikasi"
    assert result.accepted == [filled[1].indicator.code, filled[2].indicator.code]
    assert in_review.fresh(filled[0]).review_status == ReviewStatus.CLARIFICATION


def test_bulk_accept_refuses_items_of_another_evaluation(in_review: World) -> None:
    foreign = next(i for i in in_review.items(in_review.other) if i.self_value is not None)
    mine = in_review.maturity_items()[0]
    with pytest.raises(WorkflowError, match="bukan butir evaluasi ini"):
        bulk_accept(
            evaluation=in_review.evaluation, items=[mine, foreign], user=in_review.people["lead"]
        )
    assert in_review.fresh(mine).review_status == ReviewStatus.PENDING
    assert in_review.fresh(foreign).review_status == ReviewStatus.PENDING


def test_bulk_accept_refuses_outside_the_review(world: World) -> None:
    with pytest.raises(WorkflowError, match="hanya dapat diberikan"):
        bulk_accept(
            evaluation=world.evaluation, items=world.maturity_items(), user=world.people["lead"]
        )
