"""A small national picture: two cycles of G100SC with results whose indices the tests choose.

2024 (the current cycle; its self-assessment deadline has passed):
- Kabupaten Kutai Kartanegara (64.02): published, 3.456 -> 3.46 (2023: 3.00, +0.46)
- Kota Semarang (33.74): published, 3.4649 -> 3.46 (a tie with Kutai Kartanegara)
- Kota Surabaya (35.78): published, 3.10 (2023: 3.50, -0.40)
- Kota Jakarta Pusat (31.71): finalised, NOT published, 4.80 (it must not reach the public)
- Kota Bandung (32.73): self-assessment, no override: overdue
- Kota Denpasar (51.71): self-assessment, override in the future: not overdue
- Kota Yogyakarta (34.71): submitted
Statuses are set directly: the workflow is not under test here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cityeval.accounts.models import Role, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue
from cityeval.frameworks.services import store_document
from cityeval.regions.models import Cohort, PeerGroup, Region
from cityeval.results.models import ResultSnapshot
from tests.world import g100sc_2022, load_test_regions, open_test_cycle, person

KUKAR, SEMARANG, SURABAYA, JAKPUS = "64.02", "33.74", "35.78", "31.71"
BANDUNG, DENPASAR, YOGYA = "32.73", "51.71", "34.71"
S = EvaluationStatus


@dataclass
class World:
    cycle: Cycle
    previous: Cycle
    people: dict[str, User]

    def evaluation(self, code: str, cycle: Cycle | None = None) -> Evaluation:
        return Evaluation.objects.get(cycle=cycle or self.cycle, region__code=code)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


def result(
    evaluation: Evaluation,
    index: str,
    status: EvaluationStatus,
    *,
    predicate: str = "MAPAN",
    tags: dict[str, str] | None = None,
    quick_wins: dict[str, str] | None = None,
) -> ResultSnapshot:
    """A current snapshot with the chosen index, and verified values of quick-win items."""
    snapshot = ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        index=Decimal(index),
        predicate=predicate,
        tag_indices=tags or {},
    )
    for code, value in (quick_wins or {}).items():
        ItemValue.objects.filter(evaluation=evaluation, indicator__code=code).update(
            verified_value=Decimal(value)
        )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return snapshot


@pytest.fixture
def world(db: None) -> World:
    load_test_regions()
    store_document(document=g100sc_2022())
    codes = [KUKAR, SEMARANG, SURABAYA, JAKPUS, BANDUNG, DENPASAR, YOGYA]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    first = Cohort.objects.create(year=2017, name="Angkatan 2017")
    Region.objects.filter(code__in=[KUKAR, SURABAYA]).update(cohort=first)
    group = PeerGroup.objects.create(code="metro", name="Kota metropolitan")
    group.regions.set([regions[SEMARANG], regions[SURABAYA]])
    kukar = regions[KUKAR]
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
        "assessor": person("assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
    }
    admin = people["admin"]
    previous = open_test_cycle(2023, [regions[KUKAR], regions[SURABAYA]], admin)
    cycle = open_test_cycle(2024, list(regions.values()), admin)
    today = timezone.localdate()
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_deadline=today - timedelta(days=3))
    cycle.refresh_from_db()
    world = World(cycle=cycle, previous=previous, people=people)
    result(world.evaluation(KUKAR, previous), "3.00", S.PUBLISHED)
    result(world.evaluation(SURABAYA, previous), "3.50", S.PUBLISHED)
    result(
        world.evaluation(KUKAR),
        "3.456",
        S.PUBLISHED,
        tags={"GOV": "3.5", "ECO": "2.004"},
        quick_wins={"QW-GOV": "4", "QW-ECO": "3"},
    )
    result(
        world.evaluation(SEMARANG),
        "3.4649",
        S.PUBLISHED,
        tags={"GOV": "3.0", "ECO": "3.0"},
        quick_wins={"QW-GOV": "4", "QW-ECO": "2"},
    )
    result(
        world.evaluation(SURABAYA),
        "3.10",
        S.PUBLISHED,
        tags={"GOV": "2.5"},
        quick_wins={"QW-GOV": "3"},
    )
    result(
        world.evaluation(JAKPUS),
        "4.80",
        S.FINALISED,
        predicate="UNGGUL",
        tags={"GOV": "5"},
        quick_wins={"QW-GOV": "5"},
    )
    Evaluation.objects.filter(pk=world.evaluation(DENPASAR).pk).update(
        entry_deadline_override=today + timedelta(days=5)
    )
    Evaluation.objects.filter(pk=world.evaluation(YOGYA).pk).update(status=S.SUBMITTED)
    return world
