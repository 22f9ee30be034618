"""The demonstration's reports: built for every final evaluation, deterministic, followed up."""

from __future__ import annotations

import random

from cityeval.evaluations.models import Evaluation
from cityeval.operations.demo.reports_demo import PER_DIMENSION, create_demo_reports
from cityeval.reports.models import (
    AssessorReport,
    Finding,
    Recommendation,
    RecommendationFollowUp,
)
from tests.world import TeamWorld as World


def _contents() -> list[tuple[object, ...]]:
    return [
        *Finding.objects.order_by(
            "report__evaluation_id", "dimension", "kind", "order"
        ).values_list("dimension", "kind", "text"),
        *Recommendation.objects.order_by("evaluation_id", "dimension", "order").values_list(
            "dimension", "item__indicator__code", "text", "priority", "edited"
        ),
        *RecommendationFollowUp.objects.order_by("recommendation__pk").values_list(
            "status", "note"
        ),
    ]


def test_it_reports_on_every_final_evaluation_and_follows_up_last_years(
    world: World, last_year: Evaluation
) -> None:
    created = create_demo_reports(rng=random.Random(1))
    assert AssessorReport.objects.get().evaluation == last_year
    proposals = Recommendation.objects.filter(evaluation=last_year, proposed=True)
    dimensions = set(proposals.values_list("dimension", flat=True))
    assert dimensions == {"GOV", "BRD", "ECO", "SOC", "LIV", "ENV"}
    for dimension in dimensions:
        assert proposals.filter(dimension=dimension).count() <= PER_DIMENSION
    follow_ups = RecommendationFollowUp.objects.filter(evaluation=world.evaluation)
    assert 0 < follow_ups.count() <= Recommendation.objects.filter(evaluation=last_year).count()
    assert created == (
        AssessorReport.objects.count()
        + Finding.objects.count()
        + proposals.count()
        + RecommendationFollowUp.objects.count()
    )


def test_it_is_deterministic(world: World, last_year: Evaluation) -> None:
    create_demo_reports(rng=random.Random(7))
    first = _contents()
    RecommendationFollowUp.objects.all().delete()
    Recommendation.objects.filter(proposed=True).delete()
    AssessorReport.objects.all().delete()
    create_demo_reports(rng=random.Random(7))
    assert _contents() == first
