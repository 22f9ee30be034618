"""A cycle of six regions in two provinces, finalised through the real services.

Kalimantan Timur: Kutai Kartanegara (64.02), Balikpapan (64.71), Samarinda (64.72); Jawa Tengah:
Kota Semarang (33.74), Magelang (33.71), Surakarta (33.72). A hand-made peer group holds three of
them across both provinces. Nothing is published yet: tests publish what they need.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cityeval.accounts.models import User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, Round
from cityeval.evaluations.services import assign_assessor
from cityeval.regions.models import PeerGroup, Region
from cityeval.reports.services import finalise_evaluation
from tests.reports.conftest import World, world  # noqa: F401 (fixtures)
from tests.world import open_test_cycle

CODES = ["64.02", "64.71", "64.72", "33.74", "33.71", "33.72"]
PEERS = ["64.02", "64.72", "33.71"]


@dataclass
class Ranked:
    world: World
    cycle: Cycle
    evaluations: dict[str, Evaluation]  # region code -> evaluation
    peers: PeerGroup

    @property
    def admin(self) -> User:
        return self.world.people["admin"]


@pytest.fixture
def ranked(world: World) -> Ranked:  # noqa: F811
    admin, lead = world.people["admin"], world.people["lead"]
    regions = list(Region.objects.filter(code__in=CODES).order_by("code"))
    cycle = open_test_cycle(
        year=2025,
        round=Round.ANNUAL,
        version=world.cycle.framework_version,
        regions=regions,
        admin=admin,
    )
    peers = PeerGroup.objects.create(code="uji", name="Kelompok uji")
    peers.regions.set([r for r in regions if r.code in PEERS])
    evaluations = {}
    for seed, region in enumerate(regions, start=3):
        assign_assessor(cycle=cycle, region=region, assessor=lead, is_lead=True, user=admin)
        evaluation = Evaluation.objects.get(cycle=cycle, region=region)
        world.verify(evaluation, seed=seed)
        world.at(EvaluationStatus.FIELD_VISIT, evaluation)
        finalise_evaluation(evaluation=evaluation, user=lead)
        evaluation.refresh_from_db()
        evaluations[region.code] = evaluation
    return Ranked(world, cycle, evaluations, peers)
