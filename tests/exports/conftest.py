"""A small world for exports: one cycle with a published, a finalised-not-published and a running
evaluation, and personas around them.

Kutai Kartanegara (64.02) is PUBLISHED; Kota Semarang (33.74) is FINALISED but not published
(its result must not leak); Kota Surabaya (35.78) is still in self-assessment (its self values
must not leak). Results are scored by the real engine (`score_evaluation`) and stored as
snapshots; statuses are set directly because the workflow is not under test here.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
    Round,
)
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.schema import FrameworkDocument
from cityeval.frameworks.services import store_document
from cityeval.regions.models import OPD, Region
from cityeval.regions.services import load_regions
from cityeval.reports.scores import as_text, score_evaluation
from cityeval.results.models import ResultSnapshot

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
class World:
    cycle: Cycle
    people: dict[str, User]
    version: FrameworkVersion

    def evaluation(self, code: str, cycle: Cycle | None = None) -> Evaluation:
        return Evaluation.objects.get(cycle=cycle or self.cycle, region__code=code)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


@functools.cache
def g100sc_2022() -> FrameworkDocument:
    return load_framework_file(settings.FRAMEWORKS_DIR / "g100sc-2022.yaml")


def person(username: str, *grants: tuple[Role, Region | None, OPD | None]) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.id")
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


def fill(evaluation: Evaluation, seed: int, *, verify: bool) -> None:
    """Give every item a deterministic self value (and the same verified value when `verify`)."""
    rng = random.Random(seed)
    items = list(
        ItemValue.objects.filter(evaluation=evaluation)
        .select_related("indicator")
        .order_by("indicator__sequence")
    )
    for item in items:
        high = 5 if item.indicator.kind == "maturity" else 100
        item.self_value = Decimal(rng.randint(1, high)) + Decimal(rng.choice(["0", "0.5", "0.25"]))
        item.self_value = min(item.self_value, Decimal(high))
        if verify:
            item.verified_value = item.self_value
            item.review_status = ReviewStatus.ACCEPTED
    ItemValue.objects.bulk_update(items, ["self_value", "verified_value", "review_status"])


def finish(evaluation: Evaluation, status: EvaluationStatus, seed: int) -> ResultSnapshot:
    """Verify, score with the real engine, store the snapshot and set the status."""
    fill(evaluation, seed, verify=True)
    scored = score_evaluation(evaluation)
    snapshot = ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        index=scored.score.index or Decimal(0),
        predicate=scored.score.predicate or "",
        node_indices={c: as_text(v) for c, v in scored.score.nodes.items()},
        tag_indices={c: as_text(v) for c, v in scored.score.tags.items()},
        missing=list(scored.score.missing),
        inputs={c: as_text(v) for c, v in scored.values.items()},
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return snapshot


def open_test_cycle(
    year: int, regions: list[Region], admin: User, ref: str = "G100SC@2022"
) -> Cycle:
    return open_cycle(
        year=year,
        round=Round.ANNUAL,
        framework_version=FrameworkVersion.objects.get_by_ref(ref),
        regions=regions,
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )


@pytest.fixture
def world(db: None) -> World:
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
    store_document(document=g100sc_2022())
    kukar, semarang, surabaya = (
        Region.objects.get(code=code) for code in (PUBLISHED, FINALISED, RUNNING)
    )
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
    cycle = open_test_cycle(2024, [kukar, semarang, surabaya], admin)
    for user, region, lead in [
        (people["lead"], kukar, True),
        (people["member"], kukar, False),
        (people["stranger_assessor"], semarang, True),
    ]:
        assign_assessor(cycle=cycle, region=region, assessor=user, is_lead=lead, user=admin)
    world = World(cycle=cycle, people=people, version=cycle.framework_version)
    finish(world.evaluation(PUBLISHED), S.PUBLISHED, seed=1)
    finish(world.evaluation(FINALISED), S.FINALISED, seed=2)
    fill(world.evaluation(RUNNING), seed=3, verify=False)
    return world
