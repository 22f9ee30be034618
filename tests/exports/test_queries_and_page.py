"""The public results page, and a constant number of SQL queries whatever the region count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.evaluations.services import assign_assessor
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.models import Region
from tests.exports.conftest import PUBLISHED, Exports
from tests.world import finish, open_test_cycle

FORMATS = ["exports:xlsx", "exports:regions_csv", "exports:items_csv", "exports:json"]
BIGGER = ["31.71", "31.72", "31.73", "32.73", "33.71", "34.71", "35.73", "51.71"]


def bigger_cycle(world: Exports) -> Cycle:
    """Eight more regions, all published, the lead assessor on two of them."""
    regions = list(Region.objects.filter(code__in=BIGGER))
    admin = world.people["admin"]
    cycle = open_test_cycle(2023, regions, admin)
    for region in regions[:2]:
        assign_assessor(
            cycle=cycle, region=region, assessor=world.people["lead"], is_lead=True, user=admin
        )
    for seed, region in enumerate(regions, start=10):
        finish(world.evaluation(region.code, cycle), EvaluationStatus.PUBLISHED, seed=seed)
    return cycle


def count(world: Exports, persona: str, url: str) -> int:
    client = world.client(persona)
    client.get(url)  # session and language middleware warm up outside the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("persona", ["anonymous", "admin", "coordinator", "lead", "contributor"])
def test_exports_make_the_same_number_of_queries_for_3_and_8_regions(
    world: Exports, persona: str, name: str
) -> None:
    bigger = bigger_cycle(world)
    small = count(world, persona, reverse(name, args=[world.cycle.pk]))
    large = count(world, persona, reverse(name, args=[bigger.pk]))
    assert small == large


@pytest.mark.django_db
def test_the_results_page_makes_the_same_number_of_queries_with_more_cycles(
    world: Exports,
) -> None:
    url = reverse("exports:index")
    one = count(world, "anonymous", url)
    bigger_cycle(world)
    assert count(world, "anonymous", url) == one


@pytest.mark.django_db
def test_the_results_page_lists_published_results_only(world: Exports) -> None:
    response = world.client("anonymous").get(reverse("exports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(world.cycle) in page
    assert "Kabupaten Kutai Kartanegara" in page
    assert "Semarang" not in page
    assert "Surabaya" not in page
    assert "1 daerah dipublikasikan" in page
    assert "CC BY 4.0" in page
    assert "ODbL" in page
    for name in FORMATS:
        assert reverse(name, args=[world.cycle.pk]) in page


@pytest.mark.django_db
def test_a_cycle_without_published_results_is_not_listed(world: Exports) -> None:
    unpublished = open_test_cycle(2025, [Region.objects.get(code=PUBLISHED)], world.people["admin"])
    page = world.client("admin").get(reverse("exports:index")).content.decode()
    assert str(unpublished) not in page
    assert reverse("exports:json", args=[unpublished.pk]) not in page


@pytest.mark.django_db
def test_the_leaderboard_shows_ranks_and_two_decimals(world: Exports) -> None:
    bigger = bigger_cycle(world)
    response = world.client("anonymous").get(reverse("exports:index"))
    entry = next(e for e in response.context["cycles"] if e.cycle.pk == bigger.pk)
    assert entry.published_count == len(BIGGER)
    indices = [row.index for row in entry.leaders]
    assert indices == sorted(indices, reverse=True)
    assert entry.leaders[0].rank == 1
    assert all(
        row.index is not None and row.index.as_tuple().exponent == -2 for row in entry.leaders
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
def test_exports_decode_the_framework_document_the_same_number_of_times_for_3_and_8_regions(
    world: Exports, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version's document (a large JSON field) was joined to every evaluation row and decoded
    once per region: most of a national file's time, in the same number of queries."""
    field = FrameworkVersion._meta.get_field("document")
    decoded: list[object] = []
    original = field.from_db_value

    def counting(value: Any, expression: Any, connection: Any) -> Any:
        decoded.append(value)
        return original(value, expression, connection)

    monkeypatch.setattr(field, "from_db_value", counting)
    bigger = bigger_cycle(world)

    def decodes(cycle: Cycle) -> int:
        client = world.client("admin")  # not cached: every request renders the file
        client.get(reverse(name, args=[cycle.pk]))
        decoded.clear()
        response = client.get(reverse(name, args=[cycle.pk]))
        assert response.status_code == 200
        return len(decoded)

    assert decodes(world.cycle) == decodes(bigger) <= 2
