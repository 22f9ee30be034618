"""The clarification loop: ask about some items, the region revises exactly those, answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ItemValue, ReviewStatus
from cityeval.evaluations.services import save_self_assessment
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.evidence.samples import tiny_pdf
from cityeval.evidence.services import add_file_evidence, remove_evidence
from cityeval.reviews.changes import changed_counts, changes_for
from cityeval.reviews.models import ClarificationItem, ClarificationRequest, Verdict, VerdictKind
from cityeval.reviews.services import (
    accept_item,
    answer_clarification,
    flag_item,
    request_clarification,
    start_field_visit,
)
from tests.world import TeamWorld as World


def ask(world: World, items: list[ItemValue], message: str = "Mohon lengkapi bukti.") -> Any:
    return request_clarification(
        evaluation=world.evaluation, items=items, message=message, user=world.people["lead"]
    )


def link(item: ItemValue, url: str) -> Evidence:
    """Evidence the region attached before submitting (set-up only)."""
    return Evidence.objects.create(
        item=item, kind=EvidenceKind.LINK, url=url, original_name=url.removeprefix("https://")
    )


def test_a_request_reopens_only_the_flagged_items_and_keeps_a_snapshot(in_review: World) -> None:
    filled = in_review.maturity_items()
    link(filled[0], "https://kukar.example/sk-tim")
    flag_item(item=filled[0], user=in_review.people["member"], question="SK mana?")

    request = ask(in_review, filled[:2])

    assert in_review.reload().status == EvaluationStatus.CLARIFICATION
    statuses = {i.pk: i.review_status for i in in_review.items()}
    assert {pk for pk, s in statuses.items() if s == ReviewStatus.CLARIFICATION} == {
        filled[0].pk,
        filled[1].pk,
    }
    first, second = ClarificationItem.objects.filter(request=request).order_by("item_id")
    assert (first.self_value, first.narrative) == (
        Decimal(3),
        "Program berjalan di tiga kecamatan.",
    )
    assert first.question == "SK mana?"  # the flag's question goes with the request
    assert second.question == ""
    assert [e["name"] for e in first.evidence] == ["kukar.example/sk-tim"]
    assert in_review.fresh(filled[0]).review_note == "SK mana?"
    assert in_review.fresh(filled[1]).review_note == "Mohon lengkapi bukti."
    assert Verdict.objects.filter(kind=VerdictKind.CLARIFY).count() == 2
    moved = AuditEntry.objects.get(action="evaluation.status.clarification")
    assert (moved.after or {})["items"] == [filled[0].indicator.code, filled[1].indicator.code]
    assert AuditEntry.objects.filter(action="item.review.clarify").count() == 2


def test_the_coordinator_is_mailed_the_request_after_commit(
    in_review: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = in_review.maturity_items()[0]
    with django_capture_on_commit_callbacks(execute=True):
        ask(in_review, [item], message="Mohon lampirkan SK Bupati.")

    # The coordinator, and the contributor of the OPD that holds the flagged item.
    assert item.opd_id is not None
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor@example.id",
        "coordinator@example.id",
    ]
    for message in mail.outbox:
        assert item.indicator.code in message.body
        assert "Mohon lampirkan SK Bupati." in message.body


def test_the_region_may_revise_a_flagged_item_but_no_other(in_review: World) -> None:
    filled = in_review.maturity_items()
    flagged, untouched = filled[0], filled[1]
    ask(in_review, [flagged])
    coordinator = in_review.people["coordinator"]

    saved = save_self_assessment(
        item=flagged,
        user=coordinator,
        value=Decimal(2),
        narrative="Klaim diturunkan.",
        expected_version=in_review.fresh(flagged).version,
    )
    assert saved.self_value == Decimal(2)

    with pytest.raises(WorkflowError, match="hanya butir yang diminta klarifikasi"):
        save_self_assessment(
            item=untouched,
            user=coordinator,
            value=Decimal(5),
            narrative="",
            expected_version=untouched.version,
        )
    assert in_review.fresh(untouched).self_value == Decimal(3)


def test_a_contributor_may_revise_a_flagged_item_of_their_own_opd(in_review: World) -> None:
    health_item = next(i for i in in_review.maturity_items() if i.opd_id == in_review.health.pk)
    roads_item = next(i for i in in_review.maturity_items() if i.opd_id == in_review.roads.pk)
    ask(in_review, [health_item, roads_item])

    save_self_assessment(
        item=health_item,
        user=in_review.people["contributor"],
        value=Decimal(4),
        narrative="Layanan sudah terintegrasi.",
        expected_version=in_review.fresh(health_item).version,
    )
    with pytest.raises(WorkflowError, match="tidak ditugaskan"):
        save_self_assessment(
            item=roads_item,
            user=in_review.people["contributor"],
            value=Decimal(4),
            narrative="",
            expected_version=in_review.fresh(roads_item).version,
        )


@pytest.mark.parametrize("message", ["", "  \n "])
def test_it_refuses_a_request_without_a_message(in_review: World, message: str) -> None:
    with pytest.raises(WorkflowError, match="pesan"):
        ask(in_review, in_review.maturity_items()[:1], message=message)
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW
    assert not ClarificationRequest.objects.exists()


def test_it_refuses_a_request_without_items(in_review: World) -> None:
    with pytest.raises(WorkflowError, match="setidaknya satu butir"):
        ask(in_review, [])


def test_it_refuses_a_request_naming_another_regions_item(in_review: World) -> None:
    foreign = in_review.items(in_review.other)[0]
    with pytest.raises(WorkflowError, match="bukan butir evaluasi ini"):
        ask(in_review, [in_review.maturity_items()[0], foreign])
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW


def test_it_refuses_a_request_before_the_review_starts(world: World) -> None:
    with pytest.raises(TransitionError, match="Diserahkan"):
        ask(world, world.maturity_items()[:1])
    assert world.reload().status == EvaluationStatus.SUBMITTED
    assert not ClarificationRequest.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="item.review").exists()


@pytest.mark.parametrize("persona", ["coordinator", "stranger_assessor", "viewer"])
def test_only_the_team_may_ask_for_clarification(in_review: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        request_clarification(
            evaluation=in_review.evaluation,
            items=in_review.maturity_items()[:1],
            message="?",
            user=in_review.people[persona],
        )


def test_answering_returns_to_the_review_and_marks_the_items_answered(
    in_review: World, django_capture_on_commit_callbacks: Any
) -> None:
    filled = in_review.maturity_items()
    request = ask(in_review, filled[:2])
    with django_capture_on_commit_callbacks(execute=True):
        answer_clarification(
            evaluation=in_review.evaluation,
            user=in_review.people["coordinator"],
            answer="  Bukti sudah dilengkapi.  ",
        )

    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW
    assert {in_review.fresh(i).review_status for i in filled[:2]} == {ReviewStatus.ANSWERED}
    assert in_review.fresh(filled[2]).review_status == ReviewStatus.PENDING
    request.refresh_from_db()
    assert (request.answer, request.answered_by) == (
        "Bukti sudah dilengkapi.",
        in_review.people["coordinator"],
    )
    assert not request.is_open
    assert AuditEntry.objects.filter(action="item.review.answered").count() == 2
    assert AuditEntry.objects.filter(action="clarification.answer").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.id", "member@example.id"]


def test_it_refuses_an_answer_without_text(in_review: World) -> None:
    ask(in_review, in_review.maturity_items()[:1])
    with pytest.raises(WorkflowError, match="jawaban"):
        answer_clarification(
            evaluation=in_review.evaluation, user=in_review.people["coordinator"], answer=" "
        )
    assert in_review.reload().status == EvaluationStatus.CLARIFICATION


def test_it_refuses_an_answer_when_nothing_was_asked(in_review: World) -> None:
    with pytest.raises(TransitionError, match="Klarifikasi"):
        answer_clarification(
            evaluation=in_review.evaluation, user=in_review.people["coordinator"], answer="Ok."
        )
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW


@pytest.mark.parametrize("persona", ["contributor", "viewer", "lead", "other_coordinator"])
def test_only_the_coordinator_may_answer(in_review: World, persona: str) -> None:
    ask(in_review, in_review.maturity_items()[:1])
    with pytest.raises(PermissionDenied):
        answer_clarification(
            evaluation=in_review.evaluation, user=in_review.people[persona], answer="Ok."
        )


def test_changes_since_review_show_value_narrative_and_evidence(
    in_review: World, media: Any
) -> None:
    filled = in_review.maturity_items()
    item, unchanged = filled[0], filled[1]
    old_link = link(item, "https://kukar.example/lama")
    ask(in_review, [item, unchanged])
    coordinator = in_review.people["coordinator"]
    save_self_assessment(
        item=item,
        user=coordinator,
        value=Decimal(2),
        narrative="Program berjalan di dua kecamatan.",
        expected_version=in_review.fresh(item).version,
    )
    remove_evidence(evidence=old_link, user=coordinator)
    upload = SimpleUploadedFile("sk-tim.pdf", tiny_pdf(["SK Tim Pelaksana"]), "application/pdf")
    add_file_evidence(item=in_review.fresh(item), user=coordinator, upload=upload, description="")
    answer_clarification(evaluation=in_review.evaluation, user=coordinator, answer="Sudah.")

    changes = changes_for(in_review.items())

    change = changes[item.pk]
    assert change.value_changed
    assert (change.value_before, change.value_now) == (Decimal(3), Decimal(2))
    assert ("removed", "tiga ") in change.narrative_diff
    assert ("added", "dua ") in change.narrative_diff
    assert [f.name for f in change.added] == ["sk-tim.pdf"]
    assert [e["name"] for e in change.removed] == ["kukar.example/lama"]
    assert not changes[unchanged.pk].changed
    assert changed_counts([in_review.evaluation.pk])[in_review.evaluation.pk] == 1


def test_a_new_verdict_ends_changed_since_review(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    ask(in_review, [item])
    coordinator = in_review.people["coordinator"]
    save_self_assessment(
        item=item,
        user=coordinator,
        value=Decimal(4),
        narrative="",
        expected_version=in_review.fresh(item).version,
    )
    answer_clarification(evaluation=in_review.evaluation, user=coordinator, answer="Naik.")
    assert changed_counts([in_review.evaluation.pk])[in_review.evaluation.pk] == 1

    fresh = in_review.fresh(item)
    accept_item(item=fresh, user=in_review.people["lead"], expected_version=fresh.version)

    assert changed_counts([in_review.evaluation.pk])[in_review.evaluation.pk] == 0
    assert in_review.fresh(item).verified_value == Decimal(4)


def test_the_field_visit_waits_for_open_clarifications(in_review: World) -> None:
    ask(in_review, in_review.maturity_items()[:2])
    with pytest.raises(WorkflowError, match="2 butir yang menunggu jawaban"):
        start_field_visit(evaluation=in_review.evaluation, user=in_review.people["lead"])
    assert in_review.reload().status == EvaluationStatus.CLARIFICATION


def test_the_field_visit_starts_after_the_document_review(in_review: World) -> None:
    start_field_visit(evaluation=in_review.evaluation, user=in_review.people["member"])

    assert in_review.reload().status == EvaluationStatus.FIELD_VISIT
    entry = AuditEntry.objects.get(action="evaluation.status.field_visit")
    assert (entry.after or {})["pending_items"] == len(in_review.items())


def test_the_field_visit_cannot_start_before_the_review(world: World) -> None:
    with pytest.raises(TransitionError, match="Reviu dokumen"):
        start_field_visit(evaluation=world.evaluation, user=world.people["lead"])
    assert world.reload().status == EvaluationStatus.SUBMITTED


def test_only_the_team_may_start_the_field_visit(in_review: World) -> None:
    with pytest.raises(PermissionDenied):
        start_field_visit(evaluation=in_review.evaluation, user=in_review.people["coordinator"])
