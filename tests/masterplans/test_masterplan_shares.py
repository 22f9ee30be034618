"""Program shares, computed by hand.

Governance has 3 programs in 2020: one running, one completed, one stalled → 2 of 3 berjalan
= 66.6667%. Environment has 2: one planned, one with no status → 0 of 2 = 0%. Economy has 1
running → 100%. Branding, society and living have none → None (nothing to measure, not 0%).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from cityeval.masterplans.models import Masterplan, ProgramStatus, ProgramYear
from cityeval.masterplans.shares import program_shares, programs_running_share
from cityeval.regions.models import Region
from tests.masterplans.conftest import Opds
from tests.masterplans.helpers import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def statuses(masterplan: Masterplan, opds: Opds) -> None:
    def program(code: str, element: str, dimension: str, **years: ProgramStatus) -> None:
        made = make_program(
            masterplan, opds.kominfo, code=code, element=element, dimension=dimension
        )
        for year, status in years.items():
            progress = 100 if status == ProgramStatus.COMPLETED else 50
            ProgramYear.objects.create(
                program=made, year=int(year[1:]), status=status, progress=progress
            )

    program("GOV-01", "GOV-PS", "GOV", y2019=ProgramStatus.RUNNING, y2020=ProgramStatus.RUNNING)
    program("GOV-02", "GOV-BM", "GOV", y2019=ProgramStatus.RUNNING, y2020=ProgramStatus.COMPLETED)
    program("GOV-03", "GOV-PP", "GOV", y2019=ProgramStatus.PLANNED, y2020=ProgramStatus.STALLED)
    program("ENV-01", "ENV-WST", "ENV", y2020=ProgramStatus.PLANNED)
    program("ENV-02", "ENV-NRG", "ENV")
    program("ECO-01", "ECO-FIN", "ECO", y2020=ProgramStatus.RUNNING, y2021=ProgramStatus.CANCELLED)


def test_it_computes_the_share_of_each_dimension_by_hand(region: Region, statuses: None) -> None:
    assert program_shares(region=region, year=2020) == {
        "GOV": Decimal("66.6667"),
        "BRD": None,
        "ECO": Decimal("100.0000"),
        "SOC": None,
        "LIV": None,
        "ENV": Decimal("0.0000"),
    }


def test_it_computes_one_dimension_for_a_given_year(region: Region, statuses: None) -> None:
    assert programs_running_share(region=region, year=2019, dimension="GOV") == Decimal("66.6667")
    assert programs_running_share(region=region, year=2021, dimension="ECO") == Decimal("0.0000")
    assert programs_running_share(region=region, year=2020, dimension="BRD") is None


def test_it_rounds_half_up_to_four_places(masterplan: Masterplan, opds: Opds) -> None:
    # 5 of 8 running = 62.5% exactly; (2 of 3 = 66.66666… → 66.6667 is checked above).
    for number in range(8):
        made = make_program(
            masterplan, opds.kominfo, code=f"LIV-{number}", element="LIV-HLT", dimension="LIV"
        )
        status = ProgramStatus.RUNNING if number < 5 else ProgramStatus.PLANNED
        ProgramYear.objects.create(program=made, year=2022, status=status, progress=10)
    share = programs_running_share(region=masterplan.region, year=2022, dimension="LIV")
    assert share == Decimal("62.5000")


def test_it_has_nothing_to_measure_without_a_masterplan_for_the_year(
    region: Region, statuses: None
) -> None:
    shares = program_shares(region=region, year=2018)
    assert set(shares.values()) == {None}
    assert programs_running_share(region=region, year=2030, dimension="GOV") is None


def test_it_reads_the_masterplan_in_force_that_year(
    region: Region, masterplan: Masterplan, opds: Opds, statuses: None
) -> None:
    older = Masterplan.objects.create(
        region=region, title="Lama", start_year=2009, end_year=2018, is_current=False
    )
    made = make_program(older, opds.kominfo, start_year=2015, end_year=2018)
    ProgramYear.objects.create(program=made, year=2018, status=ProgramStatus.RUNNING)
    assert programs_running_share(region=region, year=2018, dimension="GOV") == Decimal("100.0000")
    assert programs_running_share(region=region, year=2020, dimension="GOV") == Decimal("66.6667")


def test_it_ignores_other_regions_programs(
    region: Region, other_region: Region, statuses: None
) -> None:
    assert set(program_shares(region=other_region, year=2020).values()) == {None}
