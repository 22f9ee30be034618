"""A small world for exports: one cycle with a published, a finalised-not-published and a running
evaluation, and personas around them.

Kutai Kartanegara (64.02) is PUBLISHED; Kota Semarang (33.74) is FINALISED but not published
(its result must not leak); Kota Surabaya (35.78) is still in self-assessment (its self values
must not leak). Results are scored by the real engine (`score_evaluation`) and stored as
snapshots; statuses are set directly because the workflow is not under test here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from cityeval.accounts.models import User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.evaluations.services import assign_assessor
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.regions.models import OPD, Region
from tests.world import (
    fill,
    finish,
    g100sc_2022,
    load_test_regions,
    open_test_cycle,
    signed_in,
    team_people,
)

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
PUBLISHED, FINALISED, RUNNING = "64.02", "33.74", "35.78"
S = EvaluationStatus


@dataclass
class Exports:
    cycle: Cycle
    people: dict[str, User]
    version: FrameworkVersion

    def evaluation(self, code: str, cycle: Cycle | None = None) -> Evaluation:
        return Evaluation.objects.get(cycle=cycle or self.cycle, region__code=code)

    def client(self, persona: str) -> Client:
        return signed_in(self.people, persona)


@pytest.fixture
def world(db: None) -> Exports:
    load_test_regions()
    store_document(document=g100sc_2022())
    kukar, semarang, surabaya = (
        Region.objects.get(code=code) for code in (PUBLISHED, FINALISED, RUNNING)
    )
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = team_people(kukar, semarang, health, roads, elsewhere)
    admin = people["admin"]
    cycle = open_test_cycle(2024, [kukar, semarang, surabaya], admin)
    for user, region, lead in [
        (people["lead"], kukar, True),
        (people["member"], kukar, False),
        (people["stranger_assessor"], semarang, True),
    ]:
        assign_assessor(cycle=cycle, region=region, assessor=user, is_lead=lead, user=admin)
    world = Exports(cycle=cycle, people=people, version=cycle.framework_version)
    finish(world.evaluation(PUBLISHED), S.PUBLISHED, seed=1)
    finish(world.evaluation(FINALISED), S.FINALISED, seed=2)
    fill(world.evaluation(RUNNING), seed=3, verify=False)
    return world
