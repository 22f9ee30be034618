"""Both dashboards make the same number of SQL queries for 3 and for 20 regions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.regions.models import Region
from cityeval.results.uncertainty import refresh_rank_intervals
from tests.world import Picture as World
from tests.world import open_test_cycle, result


def published_cycle(world: World, year: int, size: int) -> Cycle:
    regions = list(Region.objects.order_by("code")[:size])
    cycle = open_test_cycle(year, regions, world.people["admin"])
    for number, evaluation in enumerate(Evaluation.objects.filter(cycle=cycle)):
        index = f"{2 + (number % 7) / 4:.2f}"
        status = EvaluationStatus.PUBLISHED if number % 4 else EvaluationStatus.FINALISED
        result(
            evaluation,
            index,
            status,
            tags={"GOV": index},
            # At or above the award floor (the middle of the scale) at both sizes, so both
            # read the winners' names: the count compared is the one with award candidates.
            quick_wins={"QW-GOV": str(3 + number % 3)},
        )
    # Rank intervals and the sensitivity summary are read too (a fixed number of queries).
    refresh_rank_intervals(cycle=cycle, user=world.people["admin"])
    return cycle


def count(world: World, persona: str, url: str, **params: str) -> int:
    client = world.client(persona)
    client.get(url, params)  # session and language middleware warm up outside the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "persona"), [("dashboard:national", "admin"), ("dashboard:public", "anonymous")]
)
@pytest.mark.parametrize("filters", [{}, {"kind": "kota", "peer_group": "metro"}])
def test_the_dashboard_makes_the_same_number_of_queries_for_3_and_20_regions(
    world: World, name: str, persona: str, filters: dict[str, str]
) -> None:
    small = published_cycle(world, 2025, 3)
    large = published_cycle(world, 2026, 20)
    url = reverse(name)
    few = count(world, persona, url, cycle=str(small.pk), **filters)
    many = count(world, persona, url, cycle=str(large.pk), **filters)
    assert few == many
