from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cityeval.audit.models import AuditEntry
from cityeval.masterplans import services
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.regions.models import Region
from tests.masterplans.conftest import Opds, People
from tests.masterplans.helpers import make_program, program_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_program_with_one_audit_entry(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = services.create_program(
        masterplan=masterplan, user=people.coordinator, data=program_data(opds.kominfo)
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.region_id) == (
        "program.create",
        people.coordinator,
        masterplan.region_id,
    )
    assert entry.target_id == str(program.pk)
    assert entry.after is not None
    assert entry.after["budget"] == "1250000000"
    assert entry.after["owner"] == opds.kominfo.pk
    assert program.version == 1


def test_it_refuses_a_program_owned_by_another_regions_opd_and_writes_nothing(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_program(
            masterplan=masterplan, user=people.coordinator, data=program_data(opds.foreign)
        )
    assert "owner" in caught.value.message_dict
    assert not Program.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_code_already_used_in_the_masterplan(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    make_program(masterplan, opds.kominfo)
    with pytest.raises(ValidationError) as caught:
        services.create_program(
            masterplan=masterplan, user=people.coordinator, data=program_data(opds.dinkes)
        )
    assert caught.value.message_dict == {"code": ["Kode GOV-01 sudah dipakai program lain."]}


def test_it_updates_a_program_and_audits_only_what_changed(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = make_program(masterplan, opds.kominfo)
    updated = services.update_program(
        program=program,
        user=people.coordinator,
        data=program_data(opds.dinkes, name="MPP Digital"),
        expected_version=1,
    )
    assert (updated.version, updated.name, updated.owner, updated.updated_by) == (
        2,
        "MPP Digital",
        opds.dinkes,
        people.coordinator,
    )
    entry = AuditEntry.objects.get(action="program.update")
    assert entry.before == {"name": "Mal Pelayanan Publik Digital", "owner": opds.kominfo.pk}
    assert entry.after == {"name": "MPP Digital", "owner": opds.dinkes.pk}


def test_an_unchanged_save_is_not_a_change(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = make_program(masterplan, opds.kominfo)
    services.update_program(
        program=program,
        user=people.coordinator,
        data=program_data(opds.kominfo),
        expected_version=1,
    )
    program.refresh_from_db()
    assert program.version == 1
    assert not AuditEntry.objects.exists()


def test_a_stale_edit_is_refused_and_loses_nothing(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = make_program(masterplan, opds.kominfo)
    services.update_program(
        program=program,
        user=people.admin,
        data=program_data(opds.kominfo, name="Versi admin"),
        expected_version=1,
    )
    with pytest.raises(services.StaleProgramEdit) as caught:
        services.update_program(
            program=program,
            user=people.coordinator,
            data=program_data(opds.kominfo, name="Versi koordinator"),
            expected_version=1,
        )
    assert "sudah diubah oleh admin.program" in str(caught.value)
    assert caught.value.current.name == "Versi admin"
    program.refresh_from_db()
    assert (program.name, program.version) == ("Versi admin", 2)
    assert AuditEntry.objects.filter(action="program.update").count() == 1


def test_it_records_a_year_status_then_changes_it_with_an_audit_entry_each(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = make_program(masterplan, opds.kominfo)
    services.set_year_status(
        program=program,
        user=people.coordinator,
        year=2020,
        status=ProgramStatus.RUNNING,
        progress=Decimal(40),
    )
    services.set_year_status(
        program=program,
        user=people.coordinator,
        year=2020,
        status=ProgramStatus.COMPLETED,
        progress=Decimal(100),
        note="Diresmikan Bupati.",
    )
    item = ProgramYear.objects.get()
    assert (item.status, item.progress, item.note) == (
        "completed",
        Decimal(100),
        "Diresmikan Bupati.",
    )
    first, second = AuditEntry.objects.filter(action="program.year_status").order_by("id")
    assert first.before is None
    assert second.before == {"status": "running", "progress": "40.00", "note": ""}
    assert second.after == {
        "program": "GOV-01",
        "year": 2020,
        "status": "completed",
        "progress": "100",
        "note": "Diresmikan Bupati.",
    }


def test_it_refuses_a_year_status_outside_the_period_and_writes_nothing(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    program = make_program(masterplan, opds.kominfo)
    with pytest.raises(ValidationError):
        services.set_year_status(
            program=program,
            user=people.coordinator,
            year=2031,
            status=ProgramStatus.RUNNING,
            progress=Decimal(10),
        )
    assert not ProgramYear.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_new_masterplan_replaces_the_current_one_and_keeps_it_as_history(
    masterplan: Masterplan, people: People
) -> None:
    revised = services.create_masterplan(
        region=masterplan.region,
        user=people.coordinator,
        data=services.MasterplanData(title="Masterplan revisi", start_year=2023, end_year=2032),
    )
    masterplan.refresh_from_db()
    assert not masterplan.is_current
    assert Masterplan.objects.current_of(masterplan.region_id) == revised
    entry = AuditEntry.objects.get(action="masterplan.create")
    assert entry.note == f"menggantikan masterplan #{masterplan.pk}"


def test_it_refuses_a_period_that_would_drop_recorded_programs(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    make_program(masterplan, opds.kominfo, start_year=2019, end_year=2021)
    with pytest.raises(ValidationError) as caught:
        services.update_masterplan(
            masterplan=masterplan,
            user=people.coordinator,
            data=services.MasterplanData(title="Geser", start_year=2020, end_year=2029),
        )
    assert "tidak mencakup 1 program" in caught.value.message_dict["start_year"][0]
    masterplan.refresh_from_db()
    assert masterplan.start_year == 2019


def test_it_updates_the_masterplan_with_before_and_after(
    masterplan: Masterplan, people: People, region: Region
) -> None:
    services.update_masterplan(
        masterplan=masterplan,
        user=people.coordinator,
        data=services.MasterplanData(
            title=masterplan.title,
            start_year=2019,
            end_year=2028,
            regulation="Peraturan Bupati Kutai Kartanegara No. 12 Tahun 2019",
            notes="Ditetapkan setelah konsultasi publik.",
        ),
    )
    entry = AuditEntry.objects.get(action="masterplan.update")
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["notes"] == ""
    assert entry.after["notes"] == "Ditetapkan setelah konsultasi publik."
    assert entry.region_id == region.pk
