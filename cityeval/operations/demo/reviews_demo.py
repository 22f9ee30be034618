"""Review history for the demonstration: verdict rows and the open clarification requests.

`build.py` already sets each reviewed item's review status and verified value; this adds how
they came about (who decided what, when) and, for the running cycle's evaluations in
clarification, the request with its snapshots. For about half of the flagged items the region
has already lowered its claim since the request, so that "changed since review" has something
to show. Deterministic for a given `rng`; a few bulk inserts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from cityeval.accounts.models import User
from cityeval.evaluations.models import (
    AssessorAssignment,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.reviews.evidence import evidence_by_item
from cityeval.reviews.models import ClarificationItem, ClarificationRequest, Verdict, VerdictKind

CURRENT_YEAR = 2020
DECIDED = {
    ReviewStatus.ACCEPTED: VerdictKind.ACCEPT,
    ReviewStatus.ADJUSTED: VerdictKind.ADJUST,
}
REVIEWED = [ReviewStatus.ACCEPTED, ReviewStatus.ADJUSTED, ReviewStatus.CLARIFICATION]
MESSAGE = (
    "Mohon lengkapi bukti dukung dan perjelas narasi butir berikut. Untuk tingkat yang "
    "diklaim, lampirkan dokumen yang menunjukkan program sudah berjalan (SK, laporan "
    "kegiatan, tangkapan layar layanan)."
)
QUESTIONS = [
    "Bukti dukung belum menunjukkan pemenuhan tingkat yang diklaim.",
    "Mohon lampirkan SK atau peraturan yang dirujuk dalam narasi.",
    "Data capaian berbeda dengan laporan tahun sebelumnya; mohon jelaskan.",
    "Tautan layanan yang disebutkan tidak dapat diakses; mohon lampirkan tangkapan layar.",
]


def create_demo_reviews(*, rng: random.Random) -> int:
    """Create verdict history and clarification requests; the number of rows created."""
    teams = _teams()
    created = _verdict_history(rng, teams)
    created += _clarification_requests(rng, teams)
    return created


def _teams() -> dict[tuple[int, int], list[User]]:
    """The assessors of each (cycle, region), lead first."""
    teams: dict[tuple[int, int], list[User]] = defaultdict(list)
    rows = AssessorAssignment.objects.select_related("user").order_by(
        "cycle_id", "region_id", "-is_lead", "user_id"
    )
    for row in rows:
        teams[(row.cycle_id, row.region_id)].append(row.user)
    return teams


def _review_start(rng: random.Random, evaluation: Evaluation) -> datetime:
    """When the assessors began to decide on the evaluation's items."""
    cycle = evaluation.cycle
    if cycle.year < CURRENT_YEAR and cycle.review_deadline is not None:
        day = cycle.review_deadline - timedelta(days=rng.randint(5, 40))
        return timezone.make_aware(datetime(day.year, day.month, day.day, rng.randint(8, 12)))
    return timezone.now() - timedelta(days=rng.randint(14, 25), hours=rng.randint(0, 8))


def _verdict_history(rng: random.Random, teams: dict[tuple[int, int], list[User]]) -> int:
    # The running cycle's evaluations, and earlier ones of the demo assessors' regions: the
    # history people open in a demonstration, at a third of the rows of every past cycle.
    evaluations = {
        e.pk: e
        for e in Evaluation.objects.filter(items__review_status__in=REVIEWED)
        .select_related("cycle")
        .distinct()
        .order_by("pk")
        if e.cycle.year == CURRENT_YEAR or (e.cycle_id, e.region_id) in teams
    }
    starts = {pk: _review_start(rng, e) for pk, e in evaluations.items()}
    # Plain tuples: tens of thousands of rows, and model instances would triple the time.
    rows = (
        ItemValue.objects.filter(review_status__in=REVIEWED, evaluation_id__in=list(evaluations))
        .order_by("evaluation_id", "indicator__sequence")
        .values_list(
            "pk", "evaluation_id", "review_status", "self_value", "verified_value", "review_note"
        )
    )
    verdicts = []
    for pk, evaluation_id, status, self_value, verified, note in rows.iterator(chunk_size=5000):
        evaluation = evaluations[evaluation_id]
        team = teams.get((evaluation.cycle_id, evaluation.region_id), [])
        # A flagged item had a first verdict before the question; its earlier verdict
        # follows its verified value.
        if status == ReviewStatus.CLARIFICATION:
            status = ReviewStatus.ADJUSTED if verified != self_value else ReviewStatus.ACCEPTED
        adjusted = status == ReviewStatus.ADJUSTED
        verdicts.append(
            Verdict(
                item_id=pk,
                kind=DECIDED[ReviewStatus(status)],
                self_value=self_value,
                value=verified,
                reason=note if adjusted else "",
                created_by=rng.choice(team) if team else None,
                created_at=starts[evaluation_id] + timedelta(minutes=rng.randint(0, 4000)),
            )
        )
    Verdict.objects.bulk_create(verdicts, batch_size=5000)
    return len(verdicts)


def _clarification_requests(rng: random.Random, teams: dict[tuple[int, int], list[User]]) -> int:
    evaluations = list(
        Evaluation.objects.filter(
            cycle__year=CURRENT_YEAR, status=EvaluationStatus.CLARIFICATION
        ).order_by("region__code")
    )
    flagged = list(
        ItemValue.objects.filter(
            evaluation__in=evaluations, review_status=ReviewStatus.CLARIFICATION
        )
        .select_related("indicator")
        .order_by("evaluation_id", "indicator__sequence")
    )
    by_evaluation: dict[int, list[ItemValue]] = defaultdict(list)
    for item in flagged:
        by_evaluation[item.evaluation_id].append(item)
    evidence = evidence_by_item(flagged)
    now = timezone.now()
    created = 0
    snapshots: list[ClarificationItem] = []
    verdicts: list[Verdict] = []
    for evaluation in evaluations:
        items = by_evaluation.get(evaluation.pk)
        if not items:
            continue
        team = teams.get((evaluation.cycle_id, evaluation.region_id), [])
        asked_by = team[0] if team else None
        asked_at = now - timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 8))
        request = ClarificationRequest.objects.create(
            evaluation=evaluation, message=MESSAGE, requested_by=asked_by, requested_at=asked_at
        )
        created += 1
        for item in items:
            question = rng.choice(QUESTIONS)
            snapshots.append(
                ClarificationItem(
                    request=request,
                    item=item,
                    question=question,
                    self_value=_earlier_claim(rng, item),
                    narrative=item.narrative,
                    evidence=[f.as_snapshot() for f in evidence.get(item.pk, [])],
                )
            )
            verdicts.append(
                Verdict(
                    item=item,
                    kind=VerdictKind.CLARIFY,
                    self_value=item.self_value,
                    value=item.verified_value,
                    reason=question,
                    created_by=asked_by,
                    created_at=asked_at,
                )
            )
    ClarificationItem.objects.bulk_create(snapshots, batch_size=2000)
    Verdict.objects.bulk_create(verdicts, batch_size=2000)
    return created + len(snapshots) + len(verdicts)


def _earlier_claim(rng: random.Random, item: ItemValue) -> Decimal | None:
    """What the region claimed when asked: for about half, one level above today's claim."""
    value = item.self_value
    if value is None or item.indicator.kind != "maturity" or rng.random() < 0.5:
        return value
    levels = sorted(int(level) for level in item.indicator.levels)
    higher = [level for level in levels if level > value]
    return Decimal(higher[0]) if higher else value
