"""Personas and one submitted self-assessment, set up through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    open_cycle,
    submit_evaluation,
)
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.regions.models import OPD, Region
from cityeval.regions.services import load_regions
from cityeval.reviews.services import start_review

PASSWORD = "a-long-test-password-1"
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


def person(username: str, *grants: tuple[Role, Region | None, OPD | None]) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.id", password=PASSWORD)
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(db: None, media: Path) -> World:
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
    import_shipped()
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
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )
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
