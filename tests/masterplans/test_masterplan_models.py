from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.regions.models import OPD, Region
from tests.masterplans.conftest import Opds
from tests.masterplans.helpers import make_program, program_data

pytestmark = pytest.mark.django_db


def unsaved(masterplan: Masterplan, opds: Opds, **changes: object) -> Program:
    owner = changes.pop("owner", opds.kominfo)
    assert isinstance(owner, OPD)
    return Program(masterplan=masterplan, **program_data(owner, **changes).__dict__)


def problems(instance: Program | ProgramYear | Masterplan) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_it_reads_the_six_dimensions_and_their_elements_from_the_g100sc_framework(
    frameworks: None,
) -> None:
    axis = smart_axis()
    assert axis.codes == ["GOV", "BRD", "ECO", "SOC", "LIV", "ENV"]
    assert [e.code for e in axis.dimensions[0].elements] == ["GOV-PS", "GOV-BM", "GOV-PP"]
    assert sum(len(d.elements) for d in axis.dimensions) == 18
    assert axis.dimension_of("ENV-WST") == axis.dimension("ENV")


def test_it_knows_no_dimension_before_the_framework_is_imported() -> None:
    assert smart_axis().codes == []


def test_it_accepts_a_valid_program(masterplan: Masterplan, opds: Opds) -> None:
    unsaved(masterplan, opds).full_clean()


def test_it_refuses_a_program_owned_by_another_regions_opd(
    masterplan: Masterplan, opds: Opds
) -> None:
    program = unsaved(masterplan, opds, owner=opds.foreign)
    assert problems(program) == {
        "owner": ["OPD pengampu harus perangkat daerah Kabupaten Kutai Kartanegara."]
    }


def test_it_refuses_an_element_of_another_dimension(masterplan: Masterplan, opds: Opds) -> None:
    program = unsaved(masterplan, opds, dimension="GOV", element="ENV-WST")
    assert problems(program) == {"element": ["Elemen ENV-WST termasuk dimensi ENV, bukan GOV."]}


def test_it_refuses_a_dimension_the_framework_does_not_have(
    masterplan: Masterplan, opds: Opds
) -> None:
    program = unsaved(masterplan, opds, dimension="XYZ", element="GOV-PS")
    assert "Dimensi XYZ tidak dikenal" in problems(program)["element"][0]


def test_it_refuses_programs_when_no_framework_gives_the_dimensions(
    region: Region, opds: Opds
) -> None:
    masterplan = Masterplan.objects.create(
        region=region, title="Masterplan", start_year=2019, end_year=2028
    )
    program = unsaved(masterplan, opds)
    assert "belum diimpor" in problems(program)["element"][0]


def test_it_refuses_a_program_outside_the_masterplan_period(
    masterplan: Masterplan, opds: Opds
) -> None:
    program = unsaved(masterplan, opds, start_year=2017, end_year=2020)
    assert problems(program) == {
        "start_year": ["Program harus berada dalam periode masterplan 2019–2028."]
    }


def test_it_refuses_a_program_that_ends_before_it_starts(
    masterplan: Masterplan, opds: Opds
) -> None:
    program = unsaved(masterplan, opds, start_year=2022, end_year=2020)
    assert problems(program)["end_year"] == ["Tahun selesai tidak boleh sebelum tahun mulai."]


def test_it_refuses_a_negative_budget(masterplan: Masterplan, opds: Opds) -> None:
    assert "budget" in problems(unsaved(masterplan, opds, budget=Decimal(-1)))


def test_the_database_refuses_a_second_program_with_the_same_code(
    masterplan: Masterplan, opds: Opds
) -> None:
    make_program(masterplan, opds.kominfo)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_program(masterplan, opds.dinkes)


def test_the_database_keeps_one_current_masterplan_per_region(masterplan: Masterplan) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Masterplan.objects.create(
            region=masterplan.region, title="Kedua", start_year=2020, end_year=2029
        )
    Masterplan.objects.create(
        region=masterplan.region, title="Lama", start_year=2010, end_year=2018, is_current=False
    )
    assert Masterplan.objects.filter(region=masterplan.region).count() == 2


def test_it_refuses_a_masterplan_longer_than_ten_years(region: Region) -> None:
    masterplan = Masterplan(region=region, title="Terlalu panjang", start_year=2019, end_year=2030)
    assert problems(masterplan) == {"end_year": ["Masterplan mencakup paling lama 10 tahun."]}


def test_it_refuses_a_completed_year_below_100_percent(masterplan: Masterplan, opds: Opds) -> None:
    program = make_program(masterplan, opds.kominfo)
    item = ProgramYear(
        program=program, year=2020, status=ProgramStatus.COMPLETED, progress=Decimal(90)
    )
    assert problems(item) == {"progress": ["Program berstatus selesai harus berprogres 100%."]}


def test_it_refuses_a_year_outside_the_masterplan_period(
    masterplan: Masterplan, opds: Opds
) -> None:
    program = make_program(masterplan, opds.kominfo)
    item = ProgramYear(program=program, year=2030, status=ProgramStatus.RUNNING)
    assert problems(item)["__all__"] == ["Tahun 2030 di luar periode masterplan 2019–2028."]


def test_it_refuses_a_progress_above_100(masterplan: Masterplan, opds: Opds) -> None:
    program = make_program(masterplan, opds.kominfo)
    item = ProgramYear(program=program, year=2020, status=ProgramStatus.RUNNING, progress=101)
    assert "progress" in problems(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_it_counts_running_and_completed_as_berjalan(masterplan: Masterplan, opds: Opds) -> None:
    program = make_program(masterplan, opds.kominfo)
    running = [
        ProgramYear(program=program, year=2020, status=status).is_running
        for status in ProgramStatus
    ]
    assert running == [False, True, True, False, False]
