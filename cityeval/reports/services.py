"""The end of an evaluation's workflow: finalise, publish (one or a whole cycle), reopen.

Each runs in one transaction and changes the status only through `workflow.move`, which writes
the audit entry (with the figures, the snapshot and the reason in it). E-mails go out after the
transaction commits. Whatever changes the set of published results (publishing, reopening a
published result) recomputes the cycle's rank intervals in the same transaction
(`results.uncertainty`), so published ranks and their intervals always describe the same set.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityeval.accounts.access import Actor, require_admin
from cityeval.evaluations.access import Can, capabilities
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.evaluations.notify import notify_finalised, notify_published, notify_reopened
from cityeval.evaluations.workflow import apply_move, lock_for_move, move
from cityeval.jobs.runner import enqueue
from cityeval.reports.scores import Scored, as_text, score_evaluation
from cityeval.results.models import ResultSnapshot
from cityeval.results.uncertainty import refresh_rank_intervals
from scoring.errors import ScoringError

S = EvaluationStatus
# An item is settled once the assessors accepted or adjusted it. "Answered" still waits for the
# assessors to read the region's answer, so it blocks finalisation like an open clarification.
UNSETTLED = (ReviewStatus.PENDING, ReviewStatus.CLARIFICATION, ReviewStatus.ANSWERED)
CODES_SHOWN = 15


@transaction.atomic
def finalise_evaluation(*, evaluation: Evaluation, user: Actor) -> ResultSnapshot:
    """The lead assessor closes the review: score the verified values and keep the result."""
    if Can.LEAD not in capabilities(user, evaluation):
        raise WorkflowError(_("Hanya ketua tim asesor daerah ini yang dapat memfinalkan evaluasi."))
    current = lock_for_move(evaluation, S.FINALISED, related=("cycle__framework_version",))
    problem = unsettled_problem(current)
    if problem:
        raise WorkflowError(problem)
    try:
        scored = score_evaluation(current)
    except ScoringError as error:
        # E.g. an item normalised over the cycle's regions, which one region alone cannot score.
        raise WorkflowError(
            _("Nilai terverifikasi tidak dapat dihitung: %(error)s") % {"error": error}
        ) from error
    retired = _retire_current(current)
    snapshot = _store_snapshot(current, scored, user)
    moved = _apply(
        evaluation,
        current,
        S.FINALISED,
        user,
        {
            "index": snapshot.index,
            "predicate": snapshot.predicate,
            "snapshot": snapshot.pk,
            "retired_snapshot": retired,
            "missing_items": len(snapshot.missing),
        },
    )
    notify_finalised(moved)
    return snapshot


@transaction.atomic
def publish_evaluation(*, evaluation: Evaluation, user: Actor) -> Evaluation:
    require_admin(
        user, WorkflowError(_("Hanya admin program yang dapat mempublikasikan hasil evaluasi."))
    )
    published = _publish(evaluation, user)
    refresh_rank_intervals(cycle=published.cycle, user=user)
    queue_publication_files(published.cycle)
    return published


@transaction.atomic
def publish_cycle(*, cycle: Cycle, user: Actor) -> int:
    """Publish every finalised evaluation of the cycle at once; returns how many."""
    require_admin(
        user, WorkflowError(_("Hanya admin program yang dapat mempublikasikan hasil evaluasi."))
    )
    # The whole cycle is locked and its current results read once: a national cycle publishes
    # some 500 results in one request, so each evaluation costs only its status change (with
    # its audit entry) and its notification, not two more reads of its own.
    finalised = list(
        Evaluation.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, status=S.FINALISED)
        .select_related("region")
        .order_by("region__code")
    )
    current = {
        evaluation_id: (pk, index)
        for evaluation_id, pk, index in ResultSnapshot.objects.current()
        .filter(evaluation__in=finalised)
        .values_list("evaluation_id", "pk", "index")
    }
    # Refused before anything changes, naming every region concerned.
    missing = [e.region.full_name for e in finalised if e.pk not in current]
    if missing:
        raise WorkflowError(
            _("Belum ada hasil final untuk dipublikasikan: %(regions)s.")
            % {"regions": ", ".join(missing)}
        )
    for evaluation in finalised:
        snapshot, index = current[evaluation.pk]
        moved = move(
            evaluation=evaluation,
            to=S.PUBLISHED,
            user=user,
            extra={"index": index, "snapshot": snapshot},
        )
        notify_published(moved)
    if finalised:  # once for the whole cycle, not per region
        refresh_rank_intervals(cycle=cycle, user=user)
        queue_publication_files(cycle)
    return len(finalised)


@transaction.atomic
def reopen_evaluation(*, evaluation: Evaluation, user: Actor, reason: str) -> Evaluation:
    """Send a finalised or published evaluation back to document review; the result retires."""
    require_admin(
        user, WorkflowError(_("Hanya admin program yang dapat membuka kembali evaluasi."))
    )
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan membuka kembali evaluasi ini."))
    current = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    if current.status not in (S.FINALISED, S.PUBLISHED):
        raise WorkflowError(
            _(
                "Hanya evaluasi yang sudah final atau dipublikasikan yang dapat dibuka kembali; "
                "evaluasi ini berstatus “%(status)s”."
            )
            % {"status": S(current.status).label}
        )
    was_published = current.status == S.PUBLISHED
    retired = _retire_current(current)
    moved = move(
        evaluation=evaluation,
        to=S.DOCUMENT_REVIEW,
        user=user,
        note=reason,
        extra={"reason": reason, "retired_snapshot": retired},
    )
    if was_published:  # a finalised result never counted in the published ranks
        refresh_rank_intervals(cycle=moved.cycle, user=user)
        queue_publication_files(moved.cycle)
    notify_reopened(moved, reason)
    return moved


def queue_publication_files(cycle: Cycle) -> None:
    """The published state of the cycle changed (every scorecard's ranks with it): queue the
    rendering of the files kept for it, after commit: its published scorecard PDFs
    (`scorecards/stored.py`) and its open-data files (`exports/stored.py`)."""
    kinds = {
        "publication_pdfs": settings.CITYEVAL_PDFS_AT_PUBLISH,
        "publication_open_data": settings.CITYEVAL_OPEN_DATA_AT_PUBLISH,
    }
    for kind, wanted in kinds.items():
        if wanted:
            enqueue(
                kind=kind,
                key=f"{kind.replace('_', '-')}:{cycle.pk}:{uuid.uuid4().hex}",
                params={"cycle": cycle.pk},
            )


def unsettled_problem(evaluation: Evaluation) -> str:
    """Why the review is not finished, naming the items ('' when every item is settled)."""
    rows = list(
        ItemValue.objects.filter(evaluation=evaluation, review_status__in=UNSETTLED)
        .order_by("indicator__sequence")
        .values_list("review_status", "indicator__code")
    )
    if not rows:
        return ""
    parts = []
    for status in UNSETTLED:
        codes = [code for s, code in rows if s == status]
        if codes:
            shown = ", ".join(codes[:CODES_SHOWN]) + (" …" if len(codes) > CODES_SHOWN else "")
            parts.append(f"{status.label} ({len(codes)}): {shown}.")
    head = ngettext(
        "Evaluasi belum dapat difinalkan: %(count)d butir belum selesai direviu.",
        "Evaluasi belum dapat difinalkan: %(count)d butir belum selesai direviu.",
        len(rows),
    ) % {"count": len(rows)}
    return " ".join([head, *parts])


def _publish(evaluation: Evaluation, user: Actor) -> Evaluation:
    current = lock_for_move(evaluation, S.PUBLISHED)
    snapshot = ResultSnapshot.objects.current().filter(evaluation=current).first()
    if snapshot is None:
        raise WorkflowError(_("Evaluasi ini belum memiliki hasil final untuk dipublikasikan."))
    moved = _apply(
        evaluation, current, S.PUBLISHED, user, {"index": snapshot.index, "snapshot": snapshot.pk}
    )
    notify_published(moved)
    return moved


def _apply(
    evaluation: Evaluation,
    locked: Evaluation,
    to: EvaluationStatus,
    user: Actor,
    extra: dict[str, Any],
) -> Evaluation:
    """Move the locked row and bring the caller's instance up to date without reading again."""
    fields = apply_move(locked=locked, to=to, user=user, extra=extra)
    if evaluation is not locked:
        for field in fields:
            setattr(evaluation, field, getattr(locked, field))
    return locked


def _retire_current(evaluation: Evaluation) -> int | None:
    """Retire the evaluation's current snapshot (it is kept, never deleted); returns its id."""
    snapshot = ResultSnapshot.objects.current().filter(evaluation=evaluation).first()
    if snapshot is None:
        return None
    snapshot.is_current = False
    snapshot.save(update_fields=["is_current"])
    return snapshot.pk


def _store_snapshot(evaluation: Evaluation, scored: Scored, user: Actor) -> ResultSnapshot:
    score = scored.score
    return ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        # Nothing scored at all (reweight with no verified value) publishes as 0, as the demo does.
        index=score.index if score.index is not None else Decimal(0),
        predicate=score.predicate or "",
        node_indices={code: as_text(value) for code, value in score.nodes.items()},
        tag_indices={code: as_text(value) for code, value in score.tags.items()},
        missing=list(score.missing),
        inputs={code: as_text(value) for code, value in scored.values.items()},
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
