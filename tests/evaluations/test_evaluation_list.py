"""`/evaluations/`: paginated, filtered by cycle, status and province, searchable, in a number of
queries that does not grow with the regions, and never wider than the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.frameworks.services import store_document
from cityeval.regions.models import Region
from tests.world import g100sc_2022, load_test_regions, open_test_cycle, person

URL = reverse("evaluations:mine")
KUKAR, SEMARANG = "64.02", "33.74"


@dataclass
class Listing:
    cycle: Cycle
    previous: Cycle
    admin: User
    coordinator: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def world(db: None) -> Listing:
    load_test_regions()
    store_document(document=g100sc_2022())
    kukar = Region.objects.get(code=KUKAR)
    semarang = Region.objects.get(code=SEMARANG)
    admin = person("admin", (Role.PROGRAM_ADMIN, None, None))
    coordinator = person("coordinator", (Role.COORDINATOR, kukar, None))
    previous = open_test_cycle(2023, [kukar], admin)
    cycle = open_test_cycle(2024, [kukar, semarang], admin)
    Evaluation.objects.filter(cycle=cycle, region=semarang).update(
        status=EvaluationStatus.SUBMITTED
    )
    return Listing(cycle, previous, admin, coordinator)


def more_evaluations(world: Listing, count: int) -> None:
    """`count` more evaluations in the current cycle (rows only: the list reads no items)."""
    taken = Evaluation.objects.filter(cycle=world.cycle).values_list("region_id", flat=True)
    regions = Region.objects.exclude(pk__in=list(taken)).order_by("code")[:count]
    Evaluation.objects.bulk_create(Evaluation(cycle=world.cycle, region=r) for r in regions)


def shown(response: object) -> list[tuple[int, str]]:
    page = response.context["page"]  # type: ignore[attr-defined]
    return [(e.cycle.year, e.region.code) for e in page.object_list]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [(2024, SEMARANG), (2024, KUKAR), (2023, KUKAR)]),
        ({"status": "submitted"}, [(2024, SEMARANG)]),
        ({"province": "64"}, [(2024, KUKAR), (2023, KUKAR)]),
        ({"q": "kutai"}, [(2024, KUKAR), (2023, KUKAR)]),
        ({"q": "64.02"}, [(2024, KUKAR), (2023, KUKAR)]),
        ({"q": "Semarang", "status": "self_assessment"}, []),
    ],
)
def test_it_filters_and_searches(
    world: Listing, params: dict[str, str], expected: list[tuple[int, str]]
) -> None:
    response = world.client(world.admin).get(URL, params)
    assert response.status_code == 200
    assert sorted(shown(response), reverse=True) == sorted(expected, reverse=True)


def test_it_filters_by_cycle(world: Listing) -> None:
    response = world.client(world.admin).get(URL, {"cycle": str(world.previous.pk)})
    assert shown(response) == [(2023, KUKAR)]


def test_a_search_never_reaches_beyond_the_readers_regions(world: Listing) -> None:
    response = world.client(world.coordinator).get(URL, {"q": "Semarang"})
    assert shown(response) == []
    assert "Kota Semarang" not in response.content.decode()
    everything = world.client(world.coordinator).get(URL)
    assert {code for _y, code in shown(everything)} == {KUKAR}


def test_an_unknown_filter_value_is_reported_and_ignored(world: Listing) -> None:
    response = world.client(world.admin).get(URL, {"status": "bogus", "cycle": "x"})
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert len(shown(response)) == 3


def test_it_pages_and_keeps_the_filters_in_the_page_links(
    world: Listing, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cityeval.evaluations.views.overview.PAGE_SIZE", 2)
    more_evaluations(world, 3)
    first = world.client(world.admin).get(URL, {"cycle": str(world.cycle.pk)})
    assert len(shown(first)) == 2
    assert first.context["page"].paginator.count == 5
    assert f"cycle={world.cycle.pk}&amp;page=2" in first.content.decode()
    last = world.client(world.admin).get(URL, {"cycle": str(world.cycle.pk), "page": "99"})
    assert last.context["page"].number == 3
    assert len(shown(last)) == 1


def count_queries(world: Listing) -> int:
    client = world.client(world.admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"status": "self_assessment"}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_regions(world: Listing) -> None:
    more_evaluations(world, 5)
    few = count_queries(world)
    more_evaluations(world, 60)
    assert count_queries(world) == few
