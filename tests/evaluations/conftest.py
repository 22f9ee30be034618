"""Personas and one open cycle, set up once per test through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Cycle, Evaluation, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_framework, import_shipped
from cityeval.regions.models import OPD, Region
from cityeval.regions.services import load_regions

PASSWORD = "a-long-test-password-1"


@dataclass
class World:
    cycle: Cycle
    evaluation: Evaluation  # Kutai Kartanegara
    other: Evaluation  # Kota Semarang
    health: OPD  # Dinkes of Kutai Kartanegara
    roads: OPD  # Dinas PUPR of Kutai Kartanegara
    people: dict[str, User]

    def item(self, opd: OPD | None = None) -> ItemValue:
        items = ItemValue.objects.filter(evaluation=self.evaluation, indicator__kind="maturity")
        return items.filter(opd=opd).order_by("id").first() if opd else items.first()  # type: ignore[return-value]


def person(username: str, *grants: tuple[Role, Region | None, OPD | None]) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.id", password=PASSWORD)
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


@pytest.fixture
def world(db: None) -> World:
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
    import_shipped()
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(
        region=kukar, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR", short_name="PUPR")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, health)),
        "roads_contributor": person("roads_contributor", (Role.CONTRIBUTOR, kukar, roads)),
        "other_contributor": person("other_contributor", (Role.CONTRIBUTOR, semarang, elsewhere)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
    }
    today = timezone.localdate()
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=today + timedelta(days=30)),
        user=people["admin"],
    )
    assign_assessor(
        cycle=cycle, region=kukar, assessor=people["lead"], is_lead=True, user=people["admin"]
    )
    assign_assessor(
        cycle=cycle, region=kukar, assessor=people["member"], is_lead=False, user=people["admin"]
    )
    assign_assessor(
        cycle=cycle,
        region=semarang,
        assessor=people["stranger_assessor"],
        is_lead=True,
        user=people["admin"],
    )
    evaluation = Evaluation.objects.get(cycle=cycle, region=kukar)
    items = list(ItemValue.objects.filter(evaluation=evaluation).order_by("id"))
    ItemValue.objects.filter(pk__in=[i.pk for i in items[:10]]).update(opd=health)
    ItemValue.objects.filter(pk__in=[i.pk for i in items[10:20]]).update(opd=roads)
    return World(
        cycle=cycle,
        evaluation=evaluation,
        other=Evaluation.objects.get(cycle=cycle, region=semarang),
        health=health,
        roads=roads,
        people=people,
    )


KINDS_FRAMEWORK = Path(__file__).parents[1] / "frameworks" / "good" / "minimal.yaml"


@pytest.fixture
def kinds(world: World, tmp_path: Path) -> Evaluation:
    """Kutai Kartanegara in a cycle of a framework with an entered percentage and a measure."""
    text = KINDS_FRAMEWORK.read_text().replace("code: MINI", "code: KINDS")
    text = text.replace("          source: programs\n          dimension: ENV\n", "")
    path = tmp_path / "kinds.yaml"
    path.write_text(text)
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=import_framework(path=path),
        regions=[world.evaluation.region],
        deadlines=Deadlines(),
        user=world.people["admin"],
    )
    return Evaluation.objects.get(cycle=cycle)
