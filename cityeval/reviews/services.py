"""Workflow services of the assessors' review and of the clarification loop.

Each is a typed function with keyword-only arguments that runs in one transaction and writes
audit entries; status changes go through `workflow.move` only. Views fetch the evaluation with
the capability they need; the services check it again, because they are also called from
elsewhere (the demo, the API, the shell).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.access import Can
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    EvidenceState,
    ItemValue,
    ReviewStatus,
)
from cityeval.evaluations.notify import notify_answered, notify_clarification
from cityeval.evaluations.values import check_value
from cityeval.evaluations.workflow import move
from cityeval.reviews.evidence import evidence_by_item
from cityeval.reviews.models import ClarificationItem, ClarificationRequest, Verdict, VerdictKind
from cityeval.reviews.rules import (
    REVIEWABLE,
    StaleVerdictError,
    apply_verdict,
    check_reviewable,
    expect_status,
    flagged_item_ids,
    locked_item,
    require,
)

__all__ = [
    "BulkAcceptPlan",
    "BulkAcceptResult",
    "StaleVerdictError",
    "WorkflowError",
    "flagged_item_ids",
]


@dataclass
class BulkAcceptResult:
    accepted: list[str] = field(default_factory=list)  # indicator codes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (code, why)


@dataclass(frozen=True)
class BulkAcceptPlan:
    """What a bulk accept of the chosen items would do, read before the assessor confirms."""

    accept: list[ItemValue]  # annotated with `evidence_count`
    skipped: list[tuple[ItemValue, str]]  # (item, why)

    @property
    def without_evidence(self) -> int:
        return sum(item.evidence_state == EvidenceState.NO_EVIDENCE for item in self.accept)

    def skipped_by_reason(self) -> list[tuple[str, list[ItemValue]]]:
        grouped: dict[str, list[ItemValue]] = {}
        for item, why in self.skipped:
            grouped.setdefault(why, []).append(item)
        return list(grouped.items())


def plan_bulk_accept(*, evaluation: Evaluation, items: Iterable[ItemValue]) -> BulkAcceptPlan:
    """The same choice `bulk_accept` makes, without writing: for the confirmation step."""
    rows = list(
        ItemValue.objects.filter(evaluation=evaluation, pk__in={item.pk for item in items})
        .for_list()
        .with_evidence_state()
    )
    flagged = flagged_item_ids([item.pk for item in rows])
    plan = BulkAcceptPlan(accept=[], skipped=[])
    for item in rows:
        why = _bulk_skip_reason(item, flagged)
        if why:
            plan.skipped.append((item, why))
        else:
            plan.accept.append(item)
    return plan


@transaction.atomic
def start_review(*, evaluation: Evaluation, user: Actor) -> Evaluation:
    """An assessor of the team opens the document review of a submitted self-assessment."""
    require(user, evaluation, Can.REVIEW)
    expect_status(evaluation, EvaluationStatus.SUBMITTED)
    return move(evaluation=evaluation, to=EvaluationStatus.DOCUMENT_REVIEW, user=user)


@transaction.atomic
def accept_item(*, item: ItemValue, user: Actor, expected_version: int) -> ItemValue:
    """The region's value stands: it becomes the verified value."""
    locked = locked_item(item, user)
    if locked.version != expected_version:
        raise StaleVerdictError(locked, user)
    if locked.self_value is None:
        raise WorkflowError(
            _("Daerah belum mengisi butir ini; tetapkan nilainya dengan penyesuaian.")
        )
    if locked.review_status == ReviewStatus.ACCEPTED and locked.verified_value == locked.self_value:
        return locked  # accepting twice is not a new decision
    apply_verdict(
        locked,
        user=user,
        kind=VerdictKind.ACCEPT,
        status=ReviewStatus.ACCEPTED,
        value=locked.self_value,
        reason="",
    )
    return locked


@transaction.atomic
def adjust_item(
    *,
    item: ItemValue,
    user: Actor,
    verified_value: Decimal | None,
    reason: str,
    expected_version: int,
) -> ItemValue:
    """The assessor sets another value than the region's, and says why."""
    locked = locked_item(item, user)
    if locked.version != expected_version:
        raise StaleVerdictError(locked, user)
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan penyesuaian; daerah akan membacanya."))
    if verified_value is None:
        raise WorkflowError(_("Isi nilai verifikasi."))
    problem = check_value(locked.indicator, verified_value)
    if problem:
        raise WorkflowError(problem)
    if locked.self_value is not None and verified_value == locked.self_value:
        raise WorkflowError(
            _("Nilai verifikasi sama dengan nilai mandiri daerah; gunakan “Terima”.")
        )
    apply_verdict(
        locked,
        user=user,
        kind=VerdictKind.ADJUST,
        status=ReviewStatus.ADJUSTED,
        value=verified_value,
        reason=reason,
    )
    return locked


@transaction.atomic
def flag_item(*, item: ItemValue, user: Actor, question: str) -> Verdict:
    """Note a question about an item; it is sent with the next clarification request."""
    locked = locked_item(item, user)
    question = question.strip()
    if not question:
        raise WorkflowError(_("Tuliskan pertanyaan untuk daerah."))
    verdict = Verdict.objects.create(
        item=locked,
        kind=VerdictKind.FLAG,
        self_value=locked.self_value,
        value=locked.verified_value,
        reason=question,
        created_by=user,
    )
    audited(actor=user, action="item.review.flag", target=locked, after={"question": question})
    return verdict


@transaction.atomic
def bulk_accept(
    *, evaluation: Evaluation, items: Iterable[ItemValue], user: Actor
) -> BulkAcceptResult:
    """Accept many items at once; only items not yet decided (pending or answered) qualify."""
    require(user, evaluation, Can.REVIEW)
    check_reviewable(evaluation)
    wanted = {item.pk for item in items}
    locked = list(
        ItemValue.objects.select_for_update(of=("self",))
        .filter(evaluation=evaluation, pk__in=wanted)
        .select_related("evaluation", "indicator")
        .order_by("indicator__sequence")
    )
    if len(locked) != len(wanted):
        raise WorkflowError(_("Sebagian butir yang dipilih bukan butir evaluasi ini."))
    flagged = flagged_item_ids([item.pk for item in locked])
    result = BulkAcceptResult()
    for item in locked:
        why = _bulk_skip_reason(item, flagged)
        if why:
            result.skipped.append((item.indicator.code, why))
            continue
        apply_verdict(
            item,
            user=user,
            kind=VerdictKind.ACCEPT,
            status=ReviewStatus.ACCEPTED,
            value=item.self_value,
            reason="",
        )
        result.accepted.append(item.indicator.code)
    return result


def _bulk_skip_reason(item: ItemValue, flagged: set[int]) -> str:
    if item.review_status == ReviewStatus.CLARIFICATION:
        return _("menunggu jawaban klarifikasi")
    if item.review_status not in (ReviewStatus.PENDING, ReviewStatus.ANSWERED):
        return _("sudah diputuskan (%(status)s)") % {
            "status": ReviewStatus(item.review_status).label
        }
    if item.self_value is None:
        return _("belum diisi daerah")
    if item.pk in flagged:
        return _("ditandai untuk klarifikasi")
    return ""


@transaction.atomic
def request_clarification(
    *,
    evaluation: Evaluation,
    items: Iterable[ItemValue],
    message: str,
    user: Actor,
    due_date: date | None = None,
) -> ClarificationRequest:
    """Ask the region about some items: only those reopen for editing until it answers.

    The region answers by `due_date`; without one, `CLARIFICATION_ANSWER_DAYS` from today.
    """
    require(user, evaluation, Can.REVIEW)
    message = message.strip()
    if not message:
        raise WorkflowError(_("Tuliskan pesan klarifikasi untuk daerah."))
    wanted = {item.pk for item in items}
    if not wanted:
        raise WorkflowError(_("Pilih setidaknya satu butir yang perlu diklarifikasi."))
    locked = list(
        ItemValue.objects.select_for_update(of=("self",))
        .filter(evaluation=evaluation, pk__in=wanted)
        .select_related("evaluation", "indicator")
        .order_by("indicator__sequence")
    )
    if len(locked) != len(wanted):
        raise WorkflowError(_("Sebagian butir yang dipilih bukan butir evaluasi ini."))
    codes = [item.indicator.code for item in locked]
    expect_status(evaluation, *REVIEWABLE)
    move(
        evaluation=evaluation,
        to=EvaluationStatus.CLARIFICATION,
        user=user,
        note=message,
        extra={"items": codes},
    )
    latest = Verdict.objects.latest_per_item([item.pk for item in locked])
    evidence = evidence_by_item(locked)
    if due_date is None:
        due_date = timezone.localdate() + timedelta(days=settings.CLARIFICATION_ANSWER_DAYS)
    elif due_date < timezone.localdate():
        raise WorkflowError(_("Batas jawaban klarifikasi tidak boleh sebelum hari ini."))
    request = ClarificationRequest.objects.create(
        evaluation=evaluation,
        message=message,
        requested_by=user,
        requested_at=timezone.now(),
        due_date=due_date,
    )
    snapshots = []
    for item in locked:
        flag = latest.get(item.pk)
        question = flag.reason if flag and flag.kind == VerdictKind.FLAG else ""
        snapshots.append(
            ClarificationItem(
                request=request,
                item=item,
                question=question,
                self_value=item.self_value,
                narrative=item.narrative,
                evidence=[file.as_snapshot() for file in evidence.get(item.pk, [])],
            )
        )
        apply_verdict(
            item,
            user=user,
            kind=VerdictKind.CLARIFY,
            status=ReviewStatus.CLARIFICATION,
            # The earlier verified value stays until the assessor decides again.
            value=item.verified_value,
            reason=question or message,
        )
    ClarificationItem.objects.bulk_create(snapshots)
    notify_clarification(
        evaluation, codes, message, due_date, opd_ids={i.opd_id for i in locked if i.opd_id}
    )
    return request


@transaction.atomic
def answer_clarification(
    *, evaluation: Evaluation, user: Actor, answer: str
) -> ClarificationRequest:
    """The coordinator hands the revised items back to the assessors."""
    require(user, evaluation, Can.COORDINATE)
    answer = answer.strip()
    if not answer:
        raise WorkflowError(_("Tuliskan jawaban klarifikasi untuk asesor."))
    expect_status(evaluation, EvaluationStatus.CLARIFICATION)
    move(evaluation=evaluation, to=EvaluationStatus.DOCUMENT_REVIEW, user=user, note=answer)
    request = evaluation.clarification_requests.select_for_update(of=("self",)).open().first()
    if request is None:
        raise WorkflowError(_("Tidak ada permintaan klarifikasi yang terbuka."))
    # Through the evaluation's manager: each item knows its evaluation, its audit scope.
    flagged = evaluation.items.select_for_update(of=("self",)).filter(
        review_status=ReviewStatus.CLARIFICATION
    )
    for item in flagged:
        changes = Changes(item, ["review_status"])
        item.review_status = ReviewStatus.ANSWERED
        item.version += 1
        item.save(update_fields=["review_status", "version", "updated_at"])
        audited(actor=user, action="item.review.answered", target=item, changes=changes)
    request.answer = answer
    request.answered_by = user
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    audited(actor=user, action="clarification.answer", target=request, after={"answer": answer})
    notify_answered(evaluation)
    return request


@transaction.atomic
def start_field_visit(*, evaluation: Evaluation, user: Actor) -> Evaluation:
    """The document review ends; interviews and the field visit begin."""
    require(user, evaluation, Can.REVIEW)
    counts = {
        status: ItemValue.objects.filter(evaluation=evaluation, review_status=status).count()
        for status in (ReviewStatus.CLARIFICATION, ReviewStatus.PENDING, ReviewStatus.ANSWERED)
    }
    waiting = counts[ReviewStatus.CLARIFICATION]
    if waiting:
        raise WorkflowError(
            _(
                "Masih ada %(count)d butir yang menunggu jawaban klarifikasi dari daerah; "
                "wawancara dan peninjauan lapangan dapat dimulai setelah daerah menjawab."
            )
            % {"count": waiting}
        )
    expect_status(evaluation, EvaluationStatus.DOCUMENT_REVIEW)
    return move(
        evaluation=evaluation,
        to=EvaluationStatus.FIELD_VISIT,
        user=user,
        extra={
            "pending_items": counts[ReviewStatus.PENDING],
            "answered_items": counts[ReviewStatus.ANSWERED],
        },
    )
