"""Completion of a self-assessment: per OPD and per smart dimension, in one query each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from cityeval.evaluations.models import Evaluation, ItemValue


@dataclass(frozen=True)
class Completion:
    label: str
    filled: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0


def overall(evaluation: Evaluation) -> Completion:
    counts = ItemValue.objects.filter(evaluation=evaluation).aggregate(
        total=Count("id"), filled=Count("id", filter=Q(self_value__isnull=False))
    )
    return Completion("", counts["filled"], counts["total"])


def by_opd(evaluation: Evaluation) -> list[Completion]:
    rows = (
        ItemValue.objects.filter(evaluation=evaluation)
        .values("opd__short_name", "opd__name")
        .annotate(total=Count("id"), filled=Count("id", filter=Q(self_value__isnull=False)))
        .order_by("opd__short_name")
    )
    return [
        Completion(row["opd__short_name"] or row["opd__name"] or "", row["filled"], row["total"])
        for row in rows
    ]


def by_dimension(evaluation: Evaluation, dimensions: dict[str, str]) -> list[Completion]:
    """`dimensions` maps a smart dimension code to its display name, in display order."""
    filled: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    rows = ItemValue.objects.filter(evaluation=evaluation).values_list(
        "indicator__tags", "self_value"
    )
    for tags, value in rows:
        for tag in tags or []:
            if tag in dimensions:
                total[tag] += 1
                filled[tag] += value is not None
    return [Completion(name, filled[code], total[code]) for code, name in dimensions.items()]
