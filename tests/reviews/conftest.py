"""Personas and one submitted self-assessment, set up through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import (
    assign_assessor,
    submit_evaluation,
)
from cityeval.frameworks.services import store_document
from cityeval.regions.models import OPD, Region
from cityeval.reviews.services import start_review
from tests.world import g100sc_2022, load_test_regions, open_test_cycle, person

PERSONAS = [
    "admin",
    "lead",
    "member",
    "stranger_assessor",
    "coordinator",
    "other_coordinator",
    "contributor",
    "roads_contributor",
    "viewer",
    "anonymous",
]


@dataclass
class World:
    cycle: Cycle
    evaluation: Evaluation  # Kutai Kartanegara: submitted, twelve items filled
    other: Evaluation  # Kota Semarang: another tenant
    health: OPD
    roads: OPD
    people: dict[str, User]

    def items(self, evaluation: Evaluation | None = None) -> list[ItemValue]:
        return list(
            ItemValue.objects.filter(evaluation=evaluation or self.evaluation)
            .select_related("indicator", "evaluation")
            .order_by("indicator__sequence")
        )

    def maturity_items(self) -> list[ItemValue]:
        """Filled items on the 1–5 scale (the first twelve filled ones are all maturity)."""
        return [i for i in self.items() if i.indicator.kind == "maturity" and i.self_value]

    def fresh(self, item: ItemValue) -> ItemValue:
        return ItemValue.objects.select_related("indicator", "evaluation").get(pk=item.pk)

    def reload(self) -> Evaluation:
        self.evaluation.refresh_from_db()
        return self.evaluation

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(db: None, media: Path) -> World:
    load_test_regions()
    # Only the instrument the cycle uses (parsed once per process): importing every shipped
    # one takes seconds a test.
    store_document(document=g100sc_2022())
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, health)),
        "roads_contributor": person("roads_contributor", (Role.CONTRIBUTOR, kukar, roads)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
    }
    admin = people["admin"]
    cycle = open_test_cycle(2024, [kukar, semarang], admin, round=Round.TAHAP_1)
    assign_assessor(cycle=cycle, region=kukar, assessor=people["lead"], is_lead=True, user=admin)
    assign_assessor(cycle=cycle, region=kukar, assessor=people["member"], is_lead=False, user=admin)
    assign_assessor(
        cycle=cycle, region=semarang, assessor=people["stranger_assessor"], is_lead=True, user=admin
    )
    evaluation = Evaluation.objects.get(cycle=cycle, region=kukar)
    other = Evaluation.objects.get(cycle=cycle, region=semarang)
    world = World(cycle, evaluation, other, health, roads, people)
    maturity = [i for i in world.items() if i.indicator.kind == "maturity"]
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[:6]]).update(opd=health)
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[6:12]]).update(opd=roads)
    for target in (evaluation, other):
        # Set-up only: the self-assessment's own tests cover saving values.
        filled = [i.pk for i in world.items(target) if i.indicator.kind == "maturity"][:12]
        ItemValue.objects.filter(pk__in=filled).update(
            self_value=Decimal(3), narrative="Program berjalan di tiga kecamatan."
        )
        submit_evaluation(
            evaluation=target,
            user=people["coordinator" if target == evaluation else "other_coordinator"],
        )
    evaluation.refresh_from_db()
    other.refresh_from_db()
    return world


@pytest.fixture
def in_review(world: World) -> World:
    """The Kutai Kartanegara evaluation in document review (Semarang too)."""
    start_review(evaluation=world.evaluation, user=world.people["lead"])
    start_review(evaluation=world.other, user=world.people["stranger_assessor"])
    world.reload()
    world.other.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.DOCUMENT_REVIEW
    return world
