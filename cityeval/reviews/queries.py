"""Reads the review pages share: the assessor's queue, counts per review status, history."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.reviews.changes import AWAITING, ItemChange, changed_counts, changes_for
from cityeval.reviews.rules import flagged_item_ids

# The queue lists first what waits for the assessors, then what waits for the region, then
# what is done.
ATTENTION = [
    EvaluationStatus.SUBMITTED,
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.FIELD_VISIT,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.SELF_ASSESSMENT,
    EvaluationStatus.FINALISED,
    EvaluationStatus.PUBLISHED,
]


@dataclass(frozen=True)
class QueueRow:
    evaluation: Evaluation
    is_lead: bool
    counts: dict[str, int]  # review status value → number of items
    changed: int  # answered items that differ from what the region had when asked

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def decided(self) -> int:
        return self.counts[ReviewStatus.ACCEPTED] + self.counts[ReviewStatus.ADJUSTED]


def review_queue(user: AnyUser) -> list[tuple[Cycle, list[QueueRow]]]:
    """The evaluations whose assessor team includes this person, grouped by cycle (newest first)."""
    team = AssessorAssignment.objects.filter(
        cycle_id=OuterRef("cycle_id"), region_id=OuterRef("region_id"), user=user.pk
    )
    annotations: dict[str, Any] = {
        f"n_{status}": Count("items", filter=Q(items__review_status=status))
        for status in ReviewStatus.values
    }
    evaluations = list(
        Evaluation.objects.with_region()
        .filter(Exists(team))
        .annotate(is_lead=Exists(team.filter(is_lead=True)), **annotations)
        .order_by("-cycle__year", "-cycle__round", "region__code")
    )
    changed = changed_counts(e.pk for e in evaluations)
    rows = [
        QueueRow(
            evaluation=evaluation,
            is_lead=bool(getattr(evaluation, "is_lead", False)),
            counts={status: getattr(evaluation, f"n_{status}") for status in ReviewStatus.values},
            changed=changed[evaluation.pk],
        )
        for evaluation in evaluations
    ]
    return [
        (
            cycle,
            sorted(group, key=lambda row: ATTENTION.index(EvaluationStatus(row.evaluation.status))),
        )
        for cycle, group in itertools.groupby(rows, key=lambda row: row.evaluation.cycle)
    ]


def status_counts(items: Iterable[ItemValue]) -> dict[str, int]:
    counts = dict.fromkeys(ReviewStatus.values, 0)
    for item in items:
        counts[item.review_status] += 1
    return counts


@dataclass(frozen=True)
class PreviousValue:
    cycle: Cycle
    verified_value: Decimal | None
    self_value: Decimal | None


def previous_verified(item: ItemValue, evaluation: Evaluation) -> PreviousValue | None:
    """The same indicator's verified value for the region in the latest earlier cycle, if any.

    Only finalised results count: an earlier cycle still under review has no verified value yet.
    """
    cycle = evaluation.cycle
    earlier = Q(evaluation__cycle__year__lt=cycle.year) | Q(
        evaluation__cycle__year=cycle.year, evaluation__cycle__round__lt=cycle.round
    )
    row = (
        ItemValue.objects.filter(
            earlier,
            evaluation__region_id=evaluation.region_id,
            evaluation__cycle__program=cycle.program,
            evaluation__status__in=[EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED],
            indicator__code=item.indicator.code,
        )
        .select_related("evaluation__cycle")
        .order_by("-evaluation__cycle__year", "-evaluation__cycle__round")
        .first()
    )
    if row is None:
        return None
    return PreviousValue(row.evaluation.cycle, row.verified_value, row.self_value)


@dataclass(frozen=True)
class ReviewRow:
    """One item in the review workspace."""

    item: ItemValue
    flagged: bool  # a question is noted, not yet sent to the region
    change: ItemChange | None  # set for items asked about in a clarification

    @property
    def changed(self) -> bool:
        return (
            self.change is not None and self.item.review_status in AWAITING and self.change.changed
        )

    @property
    def needs_verdict(self) -> bool:
        return self.item.review_status in (ReviewStatus.PENDING, ReviewStatus.ANSWERED)


def review_rows(items: list[ItemValue]) -> list[ReviewRow]:
    flagged = flagged_item_ids([item.pk for item in items])
    changes = changes_for(items)
    return [ReviewRow(item, item.pk in flagged, changes.get(item.pk)) for item in items]


def items_by_status(
    items: Iterable[ItemValue], statuses: Iterable[ReviewStatus]
) -> list[tuple[ReviewStatus, list[ItemValue]]]:
    """The given items grouped under each of `statuses` (in that order), empty groups left out."""
    items = list(items)
    groups = [
        (status, [item for item in items if item.review_status == status]) for status in statuses
    ]
    return [(status, found) for status, found in groups if found]


def unreviewed_groups(evaluation: Evaluation) -> list[tuple[ReviewStatus, list[ItemValue]]]:
    """Items still waiting for a verdict, by review status, in document order (one query)."""
    items = ItemValue.objects.filter(evaluation=evaluation).unsettled().for_list()
    return items_by_status(
        items, (ReviewStatus.CLARIFICATION, ReviewStatus.ANSWERED, ReviewStatus.PENDING)
    )
