"""Rules shared by the review services: who may decide, when, and how a verdict is written."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.access import Can, require_can
from cityeval.evaluations.errors import StaleEditError, TransitionError, WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, ReviewStatus
from cityeval.reviews.models import Verdict, VerdictKind

# Verdicts are given during the document review, and adjusted after the field visit.
REVIEWABLE = (EvaluationStatus.DOCUMENT_REVIEW, EvaluationStatus.FIELD_VISIT)
REVIEW_FIELDS = ["review_status", "verified_value", "review_note"]


class StaleVerdictError(StaleEditError):
    """Someone changed the item after this assessor opened it; the verdict was not saved."""

    def explain(self) -> str:
        if self.change.by_me:
            return _(
                "Anda sendiri sudah mengubah butir ini pada %(when)s (di tab atau jendela lain) "
                "sejak halaman ini dibuka. Keputusan di sini belum disimpan: periksa keadaan "
                "terbaru, lalu putuskan lagi."
            ) % {"when": self.change.when}
        return _(
            "Butir ini sudah diubah oleh %(who)s pada %(when)s sejak Anda membukanya. Keputusan "
            "Anda belum disimpan: periksa keadaan terbaru, lalu putuskan lagi."
        ) % {"who": self.change.who, "when": self.change.when}


# The one check of a capability on an evaluation, as the workflow services call it.
require = require_can


def check_reviewable(evaluation: Evaluation) -> None:
    if evaluation.status not in REVIEWABLE:
        raise WorkflowError(
            _(
                "Keputusan reviu hanya dapat diberikan selama reviu dokumen atau wawancara dan "
                "peninjauan lapangan; evaluasi ini berstatus “%(status)s”."
            )
            % {"status": EvaluationStatus(evaluation.status).label}
        )


def expect_status(evaluation: Evaluation, *allowed: EvaluationStatus) -> None:
    """Refuse unless the evaluation, read under lock, is in one of `allowed`.

    The workflow table alone is not enough here: it also lets a program admin send a finalised
    evaluation back to the document review, which an assessor must not do by "starting" one.
    """
    current = EvaluationStatus(
        Evaluation.objects.select_for_update(of=("self",))
        .values_list("status", flat=True)
        .get(pk=evaluation.pk)
    )
    if current not in allowed:
        raise TransitionError(
            _(
                "Langkah ini hanya dapat dilakukan saat evaluasi berstatus %(allowed)s; "
                "evaluasi ini berstatus “%(current)s”."
            )
            % {
                "allowed": ", ".join(f"“{status.label}”" for status in allowed),
                "current": current.label,
            }
        )


def locked_item(item: ItemValue, user: Actor) -> ItemValue:
    locked = (
        ItemValue.objects.select_for_update(of=("self",))
        .select_related("evaluation__cycle", "indicator", "reviewed_by", "updated_by")
        .get(pk=item.pk)
    )
    require(user, locked.evaluation, Can.REVIEW)
    check_reviewable(locked.evaluation)
    if locked.review_status == ReviewStatus.CLARIFICATION:
        raise WorkflowError(_("Butir ini sedang menunggu jawaban klarifikasi dari daerah."))
    return locked


def apply_verdict(
    item: ItemValue,
    *,
    user: Actor,
    kind: VerdictKind,
    status: ReviewStatus,
    value: Decimal | None,
    reason: str,
) -> Verdict:
    """Set the item's current verdict, keep it in the history, audit it."""
    changes = Changes(item, REVIEW_FIELDS)
    item.review_status = status
    item.verified_value = value
    item.review_note = reason
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.version += 1
    item.save(update_fields=[*REVIEW_FIELDS, "reviewed_by", "reviewed_at", "version", "updated_at"])
    verdict = Verdict.objects.create(
        item=item,
        kind=kind,
        self_value=item.self_value,
        value=value,
        reason=reason,
        created_by=user,
    )
    audited(actor=user, action=f"item.review.{kind.value}", target=item, changes=changes)
    return verdict


def flagged_item_ids(item_ids: list[int]) -> set[int]:
    """Items whose latest verdict is a flag not yet sent to the region."""
    latest = Verdict.objects.latest_per_item(item_ids)
    return {pk for pk, verdict in latest.items() if verdict.kind == VerdictKind.FLAG}
