from __future__ import annotations

import random
from collections import Counter

import pytest

from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from cityeval.masterplans.shares import program_shares
from cityeval.operations.demo.opds import create_typical_opds
from cityeval.operations.demo.programs import create_demo_masterplans
from cityeval.regions.models import Cohort, Region

pytestmark = pytest.mark.django_db

YEARS = [2018, 2019, 2020]


@pytest.fixture
def demo_regions(region: Region, other_region: Region, frameworks: None) -> list[Region]:
    region.cohort = Cohort.objects.create(year=2018, name="Angkatan 2018")
    region.save()
    for member in (region, other_region):
        create_typical_opds(member)
    return [region, other_region]


def snapshot() -> list[tuple[object, ...]]:
    return list(
        ProgramYear.objects.order_by(
            "program__masterplan__region__code", "program__code", "year"
        ).values_list(
            "program__masterplan__region__code",
            "program__code",
            "program__name",
            "program__owner__code",
            "program__budget",
            "year",
            "status",
            "progress",
        )
    )


def test_the_demo_gives_each_region_a_plausible_masterplan(demo_regions: list[Region]) -> None:
    summary = create_demo_masterplans(demo_regions, YEARS, random.Random(7))
    assert summary.masterplans == 2
    kukar = Masterplan.objects.get(region__code="64.02")
    assert (kukar.start_year, kukar.end_year) == (2018, 2027)
    assert kukar.regulation.startswith("Peraturan Bupati Kutai Kartanegara No. ")
    semarang = Masterplan.objects.get(region__code="33.74")
    assert semarang.regulation.startswith("Peraturan Wali Kota Semarang No. ")
    for masterplan in (kukar, semarang):
        programs = list(Program.objects.of_masterplan(masterplan).select_related("owner"))
        per_dimension = Counter(p.dimension for p in programs)
        assert set(per_dimension) == {"GOV", "BRD", "ECO", "SOC", "LIV", "ENV"}
        assert all(8 <= n <= 12 for n in per_dimension.values())
        assert Counter(p.dimension for p in programs if p.quick_win) == dict.fromkeys(
            per_dimension, 1
        )
        assert {p.owner.region_id for p in programs} == {masterplan.region_id}
        for program in programs:
            program.full_clean()  # the demo obeys the same rules as a person
    for item in ProgramYear.objects.select_related("program__masterplan"):
        item.full_clean()
    assert summary.program_years == ProgramYear.objects.count()


def test_the_demo_statuses_improve_over_the_years(demo_regions: list[Region]) -> None:
    create_demo_masterplans(demo_regions, YEARS, random.Random(7))
    region = demo_regions[0]
    shares = [program_shares(region=region, year=year) for year in YEARS]
    averages = [sum(s[code] or 0 for code in s) / len(s) for s in shares]
    assert averages == sorted(averages)
    assert averages[0] < averages[-1]


def test_the_demo_is_the_same_for_the_same_seed(demo_regions: list[Region]) -> None:
    create_demo_masterplans(demo_regions, YEARS, random.Random(11))
    first = snapshot()
    ProgramYear.objects.all().delete()
    Program.objects.all().delete()
    Masterplan.objects.all().delete()
    create_demo_masterplans(demo_regions, YEARS, random.Random(11))
    assert snapshot() == first
    assert len(first) > 100
