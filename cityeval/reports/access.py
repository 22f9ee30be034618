"""Who may read and edit an evaluation's report and results.

Reading follows the one policy of `cityeval.evaluations.visibility.sees_results`:
- The assessors on the region's team, program admins and national viewers read them at any
  stage (the team writes them; the ministry oversees).
- The region's own members (coordinator, contributors, viewers) read them once the evaluation is
  published: until then the figures and texts may still change.
- Everyone else gets 404, as for any object outside their scope.

The team edits the report while the review runs (document review, clarification, field visit);
from finalisation on it is read-only, and reopening makes it editable again.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.access import evaluation_for
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.evaluations.visibility import sees_results

EDITABLE = frozenset(
    {
        EvaluationStatus.DOCUMENT_REVIEW,
        EvaluationStatus.CLARIFICATION,
        EvaluationStatus.FIELD_VISIT,
    }
)


def report_for(user: AnyUser, pk: int) -> Evaluation:
    """The evaluation whose report and results this person may read; 404 otherwise."""
    evaluation = evaluation_for(user, pk)
    if not sees_results(user, evaluation):
        raise Http404
    return evaluation


def edit_lock_reason(evaluation: Evaluation) -> str:
    """Why the report cannot be edited in the evaluation's current state ('' when it can)."""
    if evaluation.status in EDITABLE:
        return ""
    return _(
        "Laporan asesor hanya dapat diubah selama reviu dokumen, klarifikasi, atau peninjauan "
        "lapangan; evaluasi ini berstatus “%(status)s”."
    ) % {"status": EvaluationStatus(evaluation.status).label}
