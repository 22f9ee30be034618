"""What each role's home page shows: the work that needs the person, and by when.

Every section reads with a fixed number of queries, however many evaluations, OPDs or items
the person has (tests/dashboard/test_home_roles.py counts them at two sizes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q

from cityeval.accounts.access import Scope
from cityeval.accounts.models import User
from cityeval.evaluations import completeness
from cityeval.evaluations.completeness import Gaps
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.reviews.models import ClarificationRequest

# Where the region still enters data (self-assessment, or items reopened for clarification).
ENTRY = (EvaluationStatus.SELF_ASSESSMENT, EvaluationStatus.CLARIFICATION)
# Where the assessor team has work: every stage from the region's submission to finalisation.
# The region's answer is awaited in CLARIFICATION, but the team still follows it.
ASSESSOR_WORK = (
    EvaluationStatus.SUBMITTED,
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.FIELD_VISIT,
)


@dataclass
class EntryWork:
    """One evaluation the person fills (their OPDs' items) or coordinates (all items)."""

    evaluation: Evaluation
    today: date
    gaps: Gaps = field(default_factory=lambda: Gaps(label=""))
    opds: list[Gaps] = field(default_factory=list)

    @property
    def deadline(self) -> date | None:
        return self.evaluation.entry_deadline

    @property
    def days_left(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None

    @property
    def days_overdue(self) -> int:
        left = self.days_left
        return -left if left is not None and left < 0 else 0


def contributor_work(user: User, scope: Scope, today: date) -> list[EntryWork]:
    """The evaluations in entry with items assigned to the person's OPDs, and what is missing."""
    if not scope.contributor_opds:
        return []
    items = (
        ItemValue.objects.for_opds(scope.contributor_opds)
        .filter(evaluation__status__in=ENTRY)
        .select_related("evaluation__region", "evaluation__cycle")
        .with_evidence_state()
        .order_by("evaluation_id")
    )
    work: dict[int, EntryWork] = {}
    for item in items:
        row = work.setdefault(item.evaluation_id, EntryWork(item.evaluation, today))
        row.gaps.add(item, set())
    return sorted(work.values(), key=_by_deadline)


def coordinator_work(scope: Scope, today: date) -> list[EntryWork]:
    """Each running evaluation of the regions the person coordinates, with progress per OPD."""
    if not scope.coordinator_regions:
        return []
    evaluations = (
        Evaluation.objects.with_region()
        .filter(region_id__in=scope.coordinator_regions)
        .exclude(status__in=[EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED])
    )
    work = {evaluation.pk: EntryWork(evaluation, today) for evaluation in evaluations}
    by_evaluation: dict[int, list[ItemValue]] = defaultdict(list)
    items = (
        ItemValue.objects.filter(evaluation_id__in=work)
        .select_related("opd")
        .with_evidence_state()
        .order_by()
    )
    for item in items:
        by_evaluation[item.evaluation_id].append(item)
    for pk, row in work.items():
        row.gaps = completeness.whole(by_evaluation[pk], set())
        row.opds = completeness.by_opd(by_evaluation[pk], set())
    return sorted(work.values(), key=_by_deadline)


def open_clarifications(scope: Scope) -> list[ClarificationRequest]:
    """Clarification requests the person's regions have not answered yet, the earliest due first."""
    if not scope.coordinator_regions:
        return []
    return list(
        ClarificationRequest.objects.open()
        .filter(evaluation__region_id__in=scope.coordinator_regions)
        .select_related("evaluation__region", "evaluation__cycle")
        .annotate(items_count=Count("items"))
        .order_by(F("due_date").asc(nulls_last=True), "requested_at")
    )


def assessor_queue(user: User, scope: Scope) -> list[Evaluation]:
    """Every evaluation of the person's teams between submission and finalisation.

    No cap and no ordering by region code: the most recently submitted comes first, so a region
    that has just submitted is at the top (it was once cut off the list by a limit of 8).
    """
    if not scope.assessor:
        return []
    team = AssessorAssignment.objects.filter(
        cycle_id=OuterRef("cycle_id"), region_id=OuterRef("region_id"), user=user.pk
    )
    lead = team.filter(is_lead=True)
    return list(
        Evaluation.objects.with_region()
        .filter(Exists(team), status__in=ASSESSOR_WORK)
        .annotate(
            is_lead=Exists(lead),
            pending=Count("items", filter=Q(items__review_status=ReviewStatus.PENDING)),
        )
        .order_by(F("submitted_at").desc(nulls_last=True), "region__code")
    )


@dataclass(frozen=True)
class CycleStatus:
    cycle: Cycle
    participants: int
    by_status: list[tuple[str, int]]  # (status label, evaluations in it), in workflow order


def cycle_status() -> list[CycleStatus]:
    """Every cycle with the number of its evaluations in each status (one query)."""
    counts = {
        f"n_{status.value}": Count("evaluations", filter=Q(evaluations__status=status))
        for status in EvaluationStatus
    }
    cycles = Cycle.objects.select_related("framework_version").annotate(
        participants=Count("evaluations"), **counts
    )
    return [
        CycleStatus(
            cycle=cycle,
            participants=cycle.participants,
            by_status=[
                (str(status.label), getattr(cycle, f"n_{status.value}"))
                for status in EvaluationStatus
            ],
        )
        for cycle in cycles
    ]


def _by_deadline(row: EntryWork) -> tuple[date, str]:
    return (row.deadline or date.max, row.evaluation.region.code)
