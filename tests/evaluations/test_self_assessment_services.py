from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import StaleEditError, TransitionError, WorkflowError
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import (
    Deadlines,
    assign_items,
    open_cycle,
    save_self_assessment,
    submit_evaluation,
)
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.regions.models import OPD, Region
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def test_opening_a_cycle_creates_every_item_of_every_region(world: World) -> None:
    indicators = FrameworkNode.objects.filter(version=world.cycle.framework_version).exclude(
        kind="group"
    )
    assert world.cycle.program == "G100SC"
    assert ItemValue.objects.filter(evaluation=world.evaluation).count() == indicators.count()
    assert Evaluation.objects.filter(cycle=world.cycle).count() == 2
    assert AuditEntry.objects.filter(action="cycle.open").count() == 1


def test_it_refuses_a_second_cycle_for_the_same_program_year_and_round(world: World) -> None:
    with pytest.raises(WorkflowError, match="sudah ada"):
        open_cycle(
            year=2024,
            round=Round.TAHAP_1,
            framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2018"),
            regions=[world.evaluation.region],
            deadlines=Deadlines(),
            user=world.people["admin"],
        )
    assert Cycle.objects.count() == 1


def test_a_contributor_saves_an_item_of_their_opd(world: World) -> None:
    item = world.item(world.health)
    saved = save_self_assessment(
        item=item,
        user=world.people["contributor"],
        value=Decimal(3),
        narrative="Data dasar kesehatan tersedia.",
        expected_version=item.version,
    )
    assert saved.self_value == Decimal(3)
    assert saved.version == item.version + 1
    entry = AuditEntry.objects.for_target(item).get(action="item.self_assessment")
    assert entry.before == {"self_value": None, "narrative": ""}
    assert entry.after == {"self_value": "3", "narrative": "Data dasar kesehatan tersedia."}
    assert entry.actor == world.people["contributor"]


def test_a_contributor_cannot_save_another_opds_item(world: World) -> None:
    item = world.item(world.roads)
    with pytest.raises(WorkflowError, match="tidak ditugaskan"):
        save_self_assessment(
            item=item,
            user=world.people["contributor"],
            value=Decimal(3),
            narrative="",
            expected_version=item.version,
        )
    item.refresh_from_db()
    assert item.self_value is None


def test_the_second_writer_gets_a_conflict_and_nothing_is_overwritten(world: World) -> None:
    item = world.item(world.health)
    opened_version = item.version
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(4),
        narrative="Versi koordinator",
        expected_version=opened_version,
    )
    with pytest.raises(StaleEditError) as conflict:
        save_self_assessment(
            item=item,
            user=world.people["contributor"],
            value=Decimal(2),
            narrative="Versi kontributor",
            expected_version=opened_version,
        )
    assert "coordinator" in str(conflict.value)
    assert conflict.value.current.self_value == Decimal(4)
    item.refresh_from_db()
    assert (item.self_value, item.narrative) == (Decimal(4), "Versi koordinator")


@pytest.mark.parametrize("value", [Decimal(0), Decimal(6), Decimal("2.5")])
def test_it_refuses_a_level_off_the_scale(world: World, value: Decimal) -> None:
    item = world.item(world.health)
    with pytest.raises(WorkflowError, match="Tingkat harus salah satu dari 1, 2, 3, 4, 5"):
        save_self_assessment(
            item=item,
            user=world.people["coordinator"],
            value=value,
            narrative="",
            expected_version=item.version,
        )


def test_it_refuses_a_typed_value_for_an_item_computed_from_the_masterplan(world: World) -> None:
    item = ItemValue.objects.filter(
        evaluation=world.evaluation, indicator__data_source="programs"
    ).first()
    assert item is not None
    with pytest.raises(WorkflowError, match="dihitung dari daftar program"):
        save_self_assessment(
            item=item,
            user=world.people["coordinator"],
            value=Decimal(50),
            narrative="",
            expected_version=item.version,
        )


def test_submission_locks_entry(world: World) -> None:
    item = world.item(world.health)
    submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.SUBMITTED
    assert world.evaluation.submitted_at is not None
    with pytest.raises(WorkflowError, match="Terkunci"):
        save_self_assessment(
            item=item,
            user=world.people["coordinator"],
            value=Decimal(3),
            narrative="",
            expected_version=item.version,
        )


def test_entry_locks_after_the_deadline_unless_the_admin_grants_an_exception(world: World) -> None:
    item = world.item(world.health)
    yesterday = timezone.localdate() - timedelta(days=1)
    Cycle.objects.filter(pk=world.cycle.pk).update(self_assessment_deadline=yesterday)
    item = ItemValue.objects.get(pk=item.pk)
    with pytest.raises(WorkflowError, match="batas penilaian mandiri"):
        save_self_assessment(
            item=item,
            user=world.people["coordinator"],
            value=Decimal(3),
            narrative="",
            expected_version=item.version,
        )
    Evaluation.objects.filter(pk=world.evaluation.pk).update(
        entry_deadline_override=timezone.localdate() + timedelta(days=3)
    )
    item = ItemValue.objects.get(pk=item.pk)
    saved = save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(3),
        narrative="",
        expected_version=item.version,
    )
    assert saved.self_value == Decimal(3)


def test_submitting_twice_is_refused_with_a_clear_message(world: World) -> None:
    submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    with pytest.raises(TransitionError, match="“Diserahkan” menjadi “Diserahkan”"):
        submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    assert AuditEntry.objects.filter(action="evaluation.status.submitted").count() == 1


def test_submission_tells_the_assessors(
    world: World, django_capture_on_commit_callbacks: object, mailoutbox: list[object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    recipients = {address for mail in mailoutbox for address in mail.to}  # type: ignore[attr-defined]
    assert {"lead@example.id", "member@example.id", "admin@example.id"} <= recipients
    assert "stranger_assessor@example.id" not in recipients


def test_the_coordinator_assigns_items_to_an_opd_of_the_region(world: World) -> None:
    items = list(ItemValue.objects.filter(evaluation=world.evaluation, opd__isnull=True)[:3])
    count = assign_items(
        evaluation=world.evaluation, items=items, opd=world.roads, user=world.people["coordinator"]
    )
    assert count == 3
    assert ItemValue.objects.filter(pk__in=[i.pk for i in items], opd=world.roads).count() == 3
    assert AuditEntry.objects.filter(action="item.assign").count() == 3


def test_it_refuses_to_assign_to_an_opd_of_another_region(world: World) -> None:
    foreign = OPD.objects.get(region=Region.objects.get(code="33.74"), code="DINKES")
    with pytest.raises(WorkflowError, match="bukan milik daerah ini"):
        assign_items(
            evaluation=world.evaluation,
            items=list(ItemValue.objects.filter(evaluation=world.evaluation)[:1]),
            opd=foreign,
            user=world.people["coordinator"],
        )
