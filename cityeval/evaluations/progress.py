"""Completion of a whole self-assessment (per OPD and per group: `completeness.py`)."""

from __future__ import annotations

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
