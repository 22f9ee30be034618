"""The national-scale data set, built here at a dozen regions through the same builder."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.operations.demo.national import NATIONAL_YEARS, build_national
from cityeval.regions.models import PeerGroup, Region
from cityeval.reports.scores import score_evaluation
from cityeval.results.models import ResultSnapshot

pytestmark = pytest.mark.django_db

REGIONS = 12


@pytest.fixture
def national(db: None) -> str:
    out = StringIO()
    call_command("demo_national", "--regions", str(REGIONS), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_region_has_a_published_result_in_each_of_three_cycles(national: str) -> None:
    assert f"{REGIONS} regions, 3 cycles" in national
    assert sorted(Cycle.objects.values_list("year", flat=True)) == NATIONAL_YEARS
    assert Region.objects.in_program().count() == REGIONS
    assert {"64.02", "33.74"} <= set(Region.objects.in_program().values_list("code", flat=True))
    evaluations = Evaluation.objects.all()
    assert evaluations.count() == REGIONS * len(NATIONAL_YEARS)
    assert set(evaluations.values_list("status", flat=True)) == {EvaluationStatus.PUBLISHED}
    current = ResultSnapshot.objects.filter(is_current=True)
    assert current.count() == evaluations.count()
    # Each cycle's results are dated in its own year, not on the day the set was built.
    for year, published in evaluations.values_list("cycle__year", "published_at"):
        assert published is not None
        assert published.year == year


def test_the_results_are_the_engines_scores_of_the_verified_values(national: str) -> None:
    for evaluation in Evaluation.objects.filter(cycle__year=2020).select_related(
        "cycle__framework_version"
    ):
        snapshot = ResultSnapshot.objects.get(evaluation=evaluation, is_current=True)
        assert score_evaluation(evaluation).score.index == snapshot.index
    assert min(ResultSnapshot.objects.values_list("index", flat=True)) >= 1
    assert max(ResultSnapshot.objects.values_list("index", flat=True)) <= 5


def test_publication_went_through_the_service_with_its_audit_entries(national: str) -> None:
    entries = AuditEntry.objects.filter(action="evaluation.status.published")
    assert entries.count() == REGIONS * len(NATIONAL_YEARS)
    assert set(entries.values_list("actor__username", flat=True)) == {"admin"}


def test_items_carry_self_and_verified_values_with_some_adjusted(national: str) -> None:
    statuses = Counter(ItemValue.objects.values_list("review_status", flat=True))
    adjusted = statuses[ReviewStatus.ADJUSTED]
    assert 0 < adjusted < statuses[ReviewStatus.ACCEPTED]
    assert not ItemValue.objects.filter(verified_value__isnull=True).exists()
    lowered = ItemValue.objects.filter(review_status=ReviewStatus.ADJUSTED).first()
    assert lowered is not None
    assert lowered.review_note


def test_every_evaluation_has_an_assessor_team_with_one_lead(national: str) -> None:
    leads = Counter(
        AssessorAssignment.objects.filter(is_lead=True).values_list("cycle_id", "region_id")
    )
    assert len(leads) == REGIONS * len(NATIONAL_YEARS)
    assert set(leads.values()) == {1}
    sizes = Counter(AssessorAssignment.objects.values_list("cycle_id", "region_id"))
    assert min(sizes.values()) >= 2
    assert PeerGroup.objects.filter(code="auto-kabupaten").exists()


def test_it_refuses_a_database_that_already_holds_cycles(national: str) -> None:
    with pytest.raises(CommandError, match="already holds 3 cycle"):
        call_command("demo_national", "--regions", "4", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("demo_national", "--if-empty", stdout=out, stderr=StringIO())
    assert "nothing built" in out.getvalue()
    assert Evaluation.objects.count() == REGIONS * len(NATIONAL_YEARS)


def test_it_refuses_fewer_than_two_regions(db: None) -> None:
    with pytest.raises(CommandError, match="at least 2"):
        call_command("demo_national", "--regions", "1", stdout=StringIO(), stderr=StringIO())
    assert not Cycle.objects.exists()


def fingerprint() -> list[tuple[Any, ...]]:
    items = ItemValue.objects.order_by(
        "evaluation__cycle__year", "evaluation__region__code", "indicator__sequence"
    ).values_list(
        "evaluation__region__code", "evaluation__cycle__year", "self_value", "verified_value"
    )
    results = ResultSnapshot.objects.order_by(
        "evaluation__cycle__year", "evaluation__region__code"
    ).values_list("evaluation__region__code", "index")
    return [*items, *results]


def built_in_rolled_back_transaction(seed: int) -> list[tuple[Any, ...]]:
    with transaction.atomic():
        build_national(seed=seed, regions=5)
        found = fingerprint()
        transaction.set_rollback(True)
    return found


def test_the_same_seed_gives_the_same_data_set(db: None) -> None:
    first = built_in_rolled_back_transaction(11)
    assert not Cycle.objects.exists()
    assert built_in_rolled_back_transaction(11) == first
    assert built_in_rolled_back_transaction(12) != first
