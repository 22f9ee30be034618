from __future__ import annotations

from decimal import Decimal

import pytest

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.programs import sync_program_items
from cityeval.evaluations.services import submit_evaluation
from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def add_programs(world: World, dimension: str, element: str, statuses: list[str]) -> None:
    masterplan, _ = Masterplan.objects.get_or_create(
        region=world.evaluation.region,
        defaults={"title": "Masterplan Smart City", "start_year": 2020, "end_year": 2029},
    )
    for number, status in enumerate(statuses):
        program = Program.objects.create(
            masterplan=masterplan,
            code=f"{dimension}-{number}",
            name=f"Program {number}",
            dimension=dimension,
            element=element,
            owner=world.health,
            budget=Decimal(0),
            start_year=2020,
            end_year=2029,
        )
        progress = Decimal(100) if status == "completed" else Decimal(40)
        ProgramYear.objects.create(
            program=program, year=world.cycle.year, status=status, progress=progress
        )


def program_item(world: World, dimension: str) -> ItemValue:
    return ItemValue.objects.get(
        evaluation=world.evaluation,
        indicator__data_source="programs",
        indicator__dimension=dimension,
    )


def test_program_items_take_the_running_share_of_the_registry(world: World) -> None:
    # Three of four living programs run or are completed: 75%.
    add_programs(world, "LIV", "LIV-HLT", ["running", "completed", "running", "stalled"])
    changed = sync_program_items(evaluation=world.evaluation, user=world.people["coordinator"])
    assert changed == 1
    assert program_item(world, "LIV").self_value == Decimal("75.0000")
    assert program_item(world, "GOV").self_value is None
    assert AuditEntry.objects.filter(action="item.from_programs").count() == 1


def test_submission_freezes_the_registry_value(world: World) -> None:
    add_programs(world, "ENV", "ENV-WST", ["running", "planned"])
    submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    assert program_item(world, "ENV").self_value == Decimal("50.0000")
