"""Every listing of evaluations (`Evaluation.objects.with_region()`) decodes the framework's
document (a large JSON field of the version) the same number of times for 3 and 8 regions.

The version was joined to each row and decoded once per row; it is now read once per version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import AssessorAssignment, Cycle, Evaluation, EvaluationStatus
from cityeval.evaluations.reminders import _due_evaluations
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.regions.models import Region
from tests.world import API, g100sc_2022, load_test_regions, open_test_cycle, person, token_for

FIRST = ["64.02", "33.74", "31.71"]
MORE = ["31.72", "31.73", "32.73", "33.71", "34.71"]


@dataclass
class Listings:
    cycle: Cycle
    people: dict[str, User]

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.people[persona])
        return client


@pytest.fixture
def listings(db: None) -> Listings:
    load_test_regions()
    store_document(document=g100sc_2022())
    regions = list(Region.objects.filter(code__in=FIRST + MORE))
    admin = person("admin", (Role.PROGRAM_ADMIN, None, None))
    lead = person("lead", (Role.ASSESSOR, None, None))
    coordinator = person("coordinator", *((Role.COORDINATOR, r, None) for r in regions))
    first = [r for r in regions if r.code in FIRST]
    cycle = open_test_cycle(2024, first, admin)
    Evaluation.objects.filter(cycle=cycle).update(status=EvaluationStatus.SUBMITTED)
    team(cycle, first, lead)
    return Listings(cycle, {"admin": admin, "lead": lead, "coordinator": coordinator})


def team(cycle: Cycle, regions: list[Region], lead: User) -> None:
    AssessorAssignment.objects.bulk_create(
        AssessorAssignment(cycle=cycle, region=r, user=lead, is_lead=True) for r in regions
    )


def grow(world: Listings) -> None:
    """Five more submitted evaluations in the cycle (rows only: the listings read no items)."""
    regions = list(Region.objects.filter(code__in=MORE))
    Evaluation.objects.bulk_create(
        Evaluation(cycle=world.cycle, region=r, status=EvaluationStatus.SUBMITTED) for r in regions
    )
    team(world.cycle, regions, world.people["lead"])


def page(persona: str, name: str, *args: Any) -> Callable[[Listings], None]:
    def get(world: Listings) -> None:
        url = reverse(name, args=[world.cycle.pk] if args else [])
        assert world.client(persona).get(url).status_code == 200

    return get


def api(world: Listings) -> None:
    headers = {"Authorization": f"Bearer {token_for(world.people['admin'])}"}
    response = Client().get(f"{API}/evaluations", {"limit": 50}, headers=headers)
    assert response.status_code == 200


def reminders(world: Listings) -> None:
    # The reminders job's listing: the running evaluations whose deadline falls in a window.
    Evaluation.objects.filter(cycle=world.cycle).update(status=EvaluationStatus.SELF_ASSESSMENT)
    deadline = world.cycle.self_assessment_deadline
    assert deadline is not None
    list(_due_evaluations(deadline, deadline).values())
    Evaluation.objects.filter(cycle=world.cycle).update(status=EvaluationStatus.SUBMITTED)


LISTINGS: dict[str, Callable[[Listings], None]] = {
    "evaluation list": page("admin", "evaluations:mine"),
    "cycle page": page("admin", "evaluations:cycle", "cycle"),
    "coordinator's home": page("coordinator", "home"),
    "assessor's home": page("lead", "home"),
    "review queue": page("lead", "reviews:queue"),
    "help questions": page("coordinator", "help:questions"),
    "API evaluations": api,
    "reminders": reminders,
}


@pytest.mark.parametrize("name", LISTINGS)
def test_every_listing_decodes_the_framework_document_the_same_number_of_times_for_3_and_8(
    listings: Listings, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = FrameworkVersion._meta.get_field("document")
    decoded: list[object] = []
    original = field.from_db_value

    def counting(value: Any, expression: Any, connection: Any) -> Any:
        decoded.append(value)
        return original(value, expression, connection)

    monkeypatch.setattr(field, "from_db_value", counting)
    listing = LISTINGS[name]

    def decodes() -> int:
        listing(listings)  # caches warm up outside the count
        decoded.clear()
        listing(listings)
        return len(decoded)

    few = decodes()
    grow(listings)
    assert Evaluation.objects.filter(cycle=listings.cycle).count() == len(FIRST + MORE)
    assert decodes() == few <= 3  # the home page reads the published cycles too
