"""The dashboard compares only what can be compared: empty peer groups are not offered, and the
sensitivity summary, rank intervals and award candidates need enough results and a real score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cityeval.dashboard.data import MINIMUM_COMPARED, Dashboard
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.regions.models import PeerGroup
from cityeval.results.models import RankAnalysis
from tests.world import JAKPUS, KUKAR, SEMARANG, SURABAYA
from tests.world import Picture as World

PUBLIC = reverse("dashboard:public")
NATIONAL = reverse("dashboard:national")


def board(world: World, persona: str, url: str, **params: Any) -> Dashboard:
    response = world.client(persona).get(url, params)
    assert response.status_code == 200
    found = response.context["board"]
    assert isinstance(found, Dashboard)
    return found


def analysis(world: World, regions: int) -> None:
    RankAnalysis.objects.create(
        cycle=world.cycle,
        draws=100,
        seed=1,
        weight_spread=0.25,
        geometric_share=0.5,
        regions=regions,
        mean_shift=0.3,
        sensitivity=[{"input": "aggregation", "mean_shift": 0.3, "max_shift": 1}],
    )


def unpublish(world: World, *codes: str) -> None:
    Evaluation.objects.filter(cycle=world.cycle, region__code__in=codes).update(
        status=EvaluationStatus.FINALISED
    )


@pytest.mark.django_db
def test_a_peer_group_without_members_is_not_offered(world: World) -> None:
    PeerGroup.objects.create(code="auto-pop-1m-plus", name="Penduduk ≥ 1 juta", automatic=True)
    response = world.client("anonymous").get(PUBLIC)
    offered = dict(response.context["form"].fields["peer_group"].choices)
    assert "metro" in offered
    assert "auto-pop-1m-plus" not in offered


@pytest.mark.django_db
def test_the_sensitivity_needs_enough_published_results(world: World) -> None:
    analysis(world, regions=MINIMUM_COMPARED)
    assert board(world, "anonymous", PUBLIC).sensitivity is not None
    RankAnalysis.objects.filter(cycle=world.cycle).update(regions=1)
    assert board(world, "admin", NATIONAL).sensitivity is None


@pytest.mark.django_db
def test_one_published_result_has_no_award_candidate_and_no_sensitivity(world: World) -> None:
    unpublish(world, SEMARANG, SURABAYA)
    analysis(world, regions=1)
    found = board(world, "anonymous", PUBLIC)
    assert [r.region for r in found.rows] == ["Kabupaten Kutai Kartanegara"]
    assert found.quick_wins == []
    assert found.sensitivity is None
    content = world.client("anonymous").get(PUBLIC).content.decode()
    assert 'data-testid="sensitivity"' not in content


@pytest.mark.django_db
def test_a_quick_win_below_the_middle_of_the_scale_is_no_award_candidate(world: World) -> None:
    # Every published GOV quick win is at the scale's lowest level: nobody is a candidate.
    for code in (KUKAR, SEMARANG, SURABAYA, JAKPUS):
        world.evaluation(code).items.filter(indicator__code="QW-GOV").update(
            verified_value=Decimal(1)
        )
    public = {q.code: q for q in board(world, "anonymous", PUBLIC).quick_wins}
    assert public["GOV"].value is None
    assert public["GOV"].winners == []
    # ECO's best (3, the middle of 1-5) still counts.
    assert public["ECO"].value == Decimal(3)
