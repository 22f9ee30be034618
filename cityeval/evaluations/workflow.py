"""The state machine of a region's evaluation.

    self_assessment ─submit─► submitted ─start_review─► document_review ─► field_visit
                                                          │      ▲              │
                                          request_clarification  answer        finalise
                                                          ▼      │              ▼
                                                        clarification       finalised ─► published

A program admin may send an evaluation back (reopen) from any later state, with a reason.
Every transition is a function here or in a service that calls `move`, which refuses a move the
table does not allow with a message naming both states. The table is the one place that says
what may follow what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.errors import TransitionError
from cityeval.evaluations.models import Evaluation, EvaluationStatus

S = EvaluationStatus

ALLOWED: Mapping[EvaluationStatus, frozenset[EvaluationStatus]] = {
    S.SELF_ASSESSMENT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.DOCUMENT_REVIEW, S.SELF_ASSESSMENT}),
    S.DOCUMENT_REVIEW: frozenset({S.CLARIFICATION, S.FIELD_VISIT, S.SELF_ASSESSMENT}),
    S.CLARIFICATION: frozenset({S.DOCUMENT_REVIEW, S.SELF_ASSESSMENT}),
    S.FIELD_VISIT: frozenset({S.FINALISED, S.DOCUMENT_REVIEW, S.CLARIFICATION}),
    S.FINALISED: frozenset({S.PUBLISHED, S.DOCUMENT_REVIEW}),
    S.PUBLISHED: frozenset({S.DOCUMENT_REVIEW}),
}


def can_move(evaluation: Evaluation, to: EvaluationStatus) -> bool:
    return to in ALLOWED[EvaluationStatus(evaluation.status)]


def lock_for_move(
    evaluation: Evaluation, to: EvaluationStatus, *, related: tuple[str, ...] = ()
) -> Evaluation:
    """The evaluation re-read under a row lock, refused unless it may move to `to`.

    A service that works before it moves (finalising scores the items) locks and checks here
    first, so that the person hears about the state before anything else, then calls
    `apply_move` with the instance this returns: one read, one lock, one check.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_for_move() must run inside the service's transaction")
    rows = Evaluation.objects.select_for_update(of=("self",))
    locked = (rows.select_related(*related) if related else rows).get(pk=evaluation.pk)
    current = EvaluationStatus(locked.status)
    if to not in ALLOWED[current]:
        raise TransitionError(
            _("Status tidak dapat diubah dari “%(current)s” menjadi “%(to)s”.")
            % {"current": current.label, "to": to.label}
        )
    return locked


def apply_move(
    *,
    locked: Evaluation,
    to: EvaluationStatus,
    user: Actor,
    note: str = "",
    extra: Mapping[str, Any] | None = None,
) -> list[str]:
    """Change the status of an evaluation `lock_for_move` returned; audit the change.

    Returns the fields it changed, so that a caller can bring its own instance up to date.
    """
    current = EvaluationStatus(locked.status)
    changes = Changes(locked, ["status"])
    now = timezone.now()
    locked.status = to
    stamps = {
        S.SUBMITTED: "submitted_at",
        S.FINALISED: "finalised_at",
        S.PUBLISHED: "published_at",
    }
    fields = ["status", "updated_at"]
    if to in stamps:
        setattr(locked, stamps[to], now)
        fields.append(stamps[to])
    if to == S.DOCUMENT_REVIEW and current in (S.FINALISED, S.PUBLISHED):
        # Reopened: the result is no longer final; the audit entry keeps when it had been.
        locked.finalised_at = None
        locked.published_at = None
        fields += ["finalised_at", "published_at"]
    locked.save(update_fields=fields)
    audited(
        actor=user,
        action=f"evaluation.status.{to.value}",
        target=locked,
        changes=changes,
        after=extra,
        note=note,
    )
    return fields


def move(
    *,
    evaluation: Evaluation,
    to: EvaluationStatus,
    user: Actor,
    note: str = "",
    extra: Mapping[str, Any] | None = None,
) -> Evaluation:
    """Change the status in the caller's transaction, after locking the row; audit the change.

    The row is re-read under a lock so that two people pressing buttons at once cannot both
    move the evaluation from the same state.
    """
    locked = lock_for_move(evaluation, to)
    apply_move(locked=locked, to=to, user=user, note=note, extra=extra)
    evaluation.refresh_from_db()
    return locked
