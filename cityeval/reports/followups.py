"""The region's follow-up of last cycle's recommendations, reported with its next evaluation.

Only published recommendations are followed up: the latest earlier evaluation of the same
program that is published. The coordinator reports a status and a note for each while the
region can still enter data (the same lock as the self-assessment); the assessors read them
during the review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.access import Can, capabilities, entry_lock_reason
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.frameworks.dimensions import report_dimensions
from cityeval.reports.models import FollowUpStatus, Recommendation, RecommendationFollowUp
from cityeval.reports.scores import earlier_evaluations


class StaleFollowUpError(WorkflowError):
    def __init__(self, follow_up: RecommendationFollowUp | None) -> None:
        self.current = follow_up
        who = follow_up.updated_by if follow_up is not None else None
        super().__init__(
            _(
                "Tindak lanjut ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian Anda "
                "belum disimpan: periksa isi terbaru, lalu simpan lagi."
            )
            % {"who": who or _("orang lain")}
        )


@dataclass(frozen=True)
class FollowUpRow:
    recommendation: Recommendation
    follow_up: RecommendationFollowUp | None
    dimension_name: str

    @property
    def version(self) -> int:
        return self.follow_up.version if self.follow_up is not None else 0

    @property
    def overdue(self) -> bool:
        """The recommendation's target date has passed and the region has not reported it done."""
        target = self.recommendation.target_date
        done = self.follow_up is not None and self.follow_up.status == FollowUpStatus.DONE
        return target is not None and target < timezone.localdate() and not done


def previous_published(evaluation: Evaluation) -> Evaluation | None:
    """The region's latest earlier evaluation of the same program that is published."""
    return next(
        (e for e in earlier_evaluations(evaluation) if e.status == EvaluationStatus.PUBLISHED),
        None,
    )


def follow_up_rows(evaluation: Evaluation) -> list[FollowUpRow]:
    previous = previous_published(evaluation)
    if previous is None:
        return []
    # In the order of the framework's dimensions, as the report shows them.
    names = report_dimensions(previous.cycle.framework_version)
    rank = {code: i for i, code in enumerate(names)}
    recommendations = sorted(
        Recommendation.objects.filter(evaluation=previous).select_related(
            "item__indicator", "responsible_opd"
        ),
        key=lambda r: (rank.get(r.dimension, len(rank)), r.order, r.pk),
    )
    follow_ups = {
        f.recommendation_id: f
        for f in RecommendationFollowUp.objects.filter(
            evaluation=evaluation, recommendation__in=recommendations
        ).select_related("updated_by")
    }
    return [
        FollowUpRow(r, follow_ups.get(r.pk), names.get(r.dimension, r.dimension))
        for r in recommendations
    ]


def tally(rows: list[FollowUpRow]) -> dict[str, int]:
    """How many are reported, and how many of them in each status (for the page's summary)."""
    counts = {"total": len(rows), "reported": 0, **dict.fromkeys(FollowUpStatus.values, 0)}
    counts["overdue"] = sum(row.overdue for row in rows)
    for row in rows:
        if row.follow_up is not None:
            counts["reported"] += 1
            counts[row.follow_up.status] += 1
    return counts


@transaction.atomic
def save_follow_up(
    *,
    evaluation: Evaluation,
    recommendation: Recommendation,
    user: Actor,
    status: FollowUpStatus,
    note: str,
    expected_version: int,
) -> RecommendationFollowUp:
    """Record what the region did about one recommendation (version 0: not reported yet)."""
    # Locking the evaluation serialises reports on it, so two first reports cannot both create.
    current = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=evaluation.pk)
    )
    if Can.COORDINATE not in capabilities(user, current):
        raise WorkflowError(_("Hanya koordinator daerah yang dapat melaporkan tindak lanjut."))
    reason = entry_lock_reason(current)
    if reason:
        raise WorkflowError(reason)
    previous = previous_published(current)
    if previous is None or recommendation.evaluation_id != previous.pk:
        raise WorkflowError(
            _("Rekomendasi itu bukan rekomendasi evaluasi sebelumnya dari daerah ini.")
        )
    # Through the evaluation's manager: the row knows its evaluation, its audit scope.
    existing = (
        current.follow_ups.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(recommendation=recommendation)
        .first()
    )
    if (existing.version if existing else 0) != expected_version:
        raise StaleFollowUpError(existing)
    note = note.strip()
    after = {"status": status, "note": note}
    if existing is not None:
        changes = Changes(existing, ["status", "note"])
        if changes.before == after:
            return existing
        existing.status, existing.note = status, note
        existing.version += 1
        existing.updated_by = user
        existing.save()
        follow_up = existing
    else:
        follow_up = RecommendationFollowUp.objects.create(
            recommendation=recommendation,
            evaluation=current,
            status=status,
            note=note,
            updated_by=user,
        )
        changes = Changes(follow_up, ["status", "note"], created=True)
    audited(
        actor=user,
        action="recommendation.follow_up",
        target=follow_up,
        changes=changes,
        after={"recommendation": recommendation.pk},
    )
    return follow_up
