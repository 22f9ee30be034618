"""Personas, a running cycle and last year's published cycle, set up through the real services.

Kutai Kartanegara (64.02) is evaluated by `lead` and `member`; Kota Semarang (33.74) is the other
tenant, with its own assessor. The review itself belongs to another app, so tests put an
evaluation into a review state and verify its items directly (`World.verify`, `World.at`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
    Round,
)
from cityeval.evaluations.services import assign_assessor
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.regions.models import OPD, Region
from tests.world import g100sc_2022, load_test_regions, open_test_cycle, person

PERSONAS = [
    "admin",
    "lead",
    "member",
    "stranger_assessor",
    "coordinator",
    "other_coordinator",
    "contributor",
    "other_contributor",
    "viewer",
    "national_viewer",
    "anonymous",
]


@dataclass
class World:
    cycle: Cycle
    evaluation: Evaluation  # Kutai Kartanegara, 2024 Tahap I
    other: Evaluation  # Kota Semarang, same cycle
    people: dict[str, User]
    kukar: Region
    semarang: Region

    def at(self, status: EvaluationStatus, evaluation: Evaluation | None = None) -> Evaluation:
        """Put an evaluation in a state (the review app's transitions are not under test here)."""
        target = evaluation or self.evaluation
        Evaluation.objects.filter(pk=target.pk).update(status=status)
        target.refresh_from_db()
        return target

    def verify(self, evaluation: Evaluation | None = None, seed: int = 1) -> dict[str, Decimal]:
        """Accept every item with a deterministic verified value; returns code -> value."""
        target = evaluation or self.evaluation
        rng = random.Random(seed)
        values = {}
        items = list(
            ItemValue.objects.filter(evaluation=target)
            .select_related("indicator")
            .order_by("indicator__sequence")
        )
        for item in items:
            if item.indicator.kind == "maturity":
                value = Decimal(rng.randint(1, 5))
            else:
                value = Decimal(rng.randint(0, 100))
            item.self_value = item.verified_value = value
            item.review_status = ReviewStatus.ACCEPTED
            values[item.indicator.code] = value
        ItemValue.objects.bulk_update(items, ["self_value", "verified_value", "review_status"])
        return values

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


@pytest.fixture
def world(db: None) -> World:
    load_test_regions()
    store_document(document=g100sc_2022())
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, health)),
        "other_contributor": person("other_contributor", (Role.CONTRIBUTOR, semarang, elsewhere)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
    }
    admin = people["admin"]
    cycle = open_test_cycle(
        year=2024,
        round=Round.TAHAP_1,
        version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        admin=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=people["lead"], is_lead=True, user=admin)
    assign_assessor(cycle=cycle, region=kukar, assessor=people["member"], is_lead=False, user=admin)
    assign_assessor(
        cycle=cycle, region=semarang, assessor=people["stranger_assessor"], is_lead=True, user=admin
    )
    return World(
        cycle=cycle,
        evaluation=Evaluation.objects.get(cycle=cycle, region=kukar),
        other=Evaluation.objects.get(cycle=cycle, region=semarang),
        people=people,
        kukar=kukar,
        semarang=semarang,
    )


@pytest.fixture
def last_year(world: World) -> Evaluation:
    """Kutai Kartanegara's published 2023 evaluation with two recommendations (GOV, ENV)."""
    from cityeval.reports.editing import add_recommendation
    from cityeval.reports.models import Priority
    from cityeval.reports.services import finalise_evaluation, publish_evaluation

    admin, lead = world.people["admin"], world.people["lead"]
    cycle = open_test_cycle(
        year=2023,
        round=Round.ANNUAL,
        version=world.cycle.framework_version,
        regions=[world.kukar],
        admin=admin,
    )
    assign_assessor(cycle=cycle, region=world.kukar, assessor=lead, is_lead=True, user=admin)
    evaluation = Evaluation.objects.get(cycle=cycle)
    world.verify(evaluation)
    world.at(EvaluationStatus.FIELD_VISIT, evaluation)
    for dimension, text in [("GOV", "Integrasikan layanan."), ("ENV", "Perluas bank sampah.")]:
        add_recommendation(
            evaluation=evaluation, user=lead, dimension=dimension, text=text, priority=Priority.HIGH
        )
    finalise_evaluation(evaluation=evaluation, user=lead)
    publish_evaluation(evaluation=evaluation, user=admin)
    evaluation.refresh_from_db()
    return evaluation
