"""Demonstration evidence and field visits: real files, positions in the province, repeatable."""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.evidence.models import Evidence, FieldVisit, FieldVisitPhoto
from cityeval.evidence.storage import absolute
from cityeval.frameworks.models import FrameworkVersion
from cityeval.operations.demo.evidence_demo import create_demo_evidence
from cityeval.regions.models import Region
from tests.world import TeamWorld as World


def running_2020(world: World) -> tuple[Evaluation, Evaluation]:
    admin = world.people["admin"]
    lead = User.objects.create_user("asesor.ketua", password="x" * 12)
    RoleGrant.objects.create(user=lead, role=Role.ASSESSOR)
    kukar, semarang = Region.objects.get(code="64.02"), Region.objects.get(code="33.74")
    cycle = open_cycle(
        year=2020,
        round=Round.ANNUAL,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=lead, is_lead=True, user=admin)
    ItemValue.objects.filter(evaluation__cycle=cycle).update(self_value=Decimal(3))
    visited = Evaluation.objects.get(cycle=cycle, region=kukar)
    reviewed = Evaluation.objects.get(cycle=cycle, region=semarang)
    world.set_status(EvaluationStatus.FIELD_VISIT, visited)
    world.set_status(EvaluationStatus.DOCUMENT_REVIEW, reviewed)
    return visited, reviewed


def summary() -> list[tuple[object, ...]]:
    evidence = Evidence.objects.order_by("item_id", "original_name").values_list(
        "item_id", "original_name", "sha256", "url", "uploaded_at"
    )
    visits = FieldVisit.objects.order_by("date", "place").values_list(
        "place", "latitude", "longitude", "findings", "date"
    )
    return [*evidence, *visits]


def test_it_attaches_real_files_and_records_the_lead_assessors_visits(
    world: World, media: Path
) -> None:
    visited, reviewed = running_2020(world)
    created = create_demo_evidence(rng=random.Random(1))
    assert (
        created
        == Evidence.objects.count() + FieldVisit.objects.count() + FieldVisitPhoto.objects.count()
    )
    assert {e.item.evaluation_id for e in Evidence.objects.select_related("item")} == {
        visited.pk,
        reviewed.pk,
    }
    for evidence in Evidence.objects.files():
        content = absolute(evidence.stored_path).read_bytes()
        assert hashlib.sha256(content).hexdigest() == evidence.sha256
        assert content.startswith(
            b"%PDF-" if evidence.original_name.endswith(".pdf") else b"\x89PNG"
        )
    assert all(link.url.startswith("https://") for link in Evidence.objects.links())
    visits = list(FieldVisit.objects.all())
    assert visits
    assert {v.evaluation_id for v in visits} == {visited.pk}  # only the lead's team, in field visit
    for visit in visits:
        assert visit.latitude is not None
        assert visit.longitude is not None
        # Kalimantan Timur lies around the equator, between 113.8° and 119.2° east.
        assert Decimal("-2.5") < visit.latitude < Decimal("2.5")
        assert Decimal("113.8") < visit.longitude < Decimal("119.2")
        assert visit.findings
        assert visit.participant_list
        assert visit.items.exists()
        assert set(visit.items.values_list("evaluation_id", flat=True)) == {visited.pk}


def test_the_same_generator_gives_the_same_data(world: World, media: Path) -> None:
    running_2020(world)
    runs = []
    for _ in range(2):
        with transaction.atomic():
            create_demo_evidence(rng=random.Random(5))
            runs.append(summary())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0]
