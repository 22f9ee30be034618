from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cityeval.regions.models import Cohort, Region
from cityeval.regions.services import CohortError, LoadSummary, assign_cohort

pytestmark = pytest.mark.django_db

KUTAI_KARTANEGARA, SAMARINDA, BALIKPAPAN = "64.02", "64.72", "64.71"


def test_it_creates_the_cohort_of_a_year_and_puts_regions_in_it(loaded: LoadSummary) -> None:
    cohort = assign_cohort(year=2017, region_codes=[KUTAI_KARTANEGARA, SAMARINDA])

    assert (cohort.year, cohort.name) == (2017, "Angkatan 2017")
    codes = Region.objects.in_cohort(2017).values_list("code", flat=True)
    assert list(codes) == [KUTAI_KARTANEGARA, SAMARINDA]
    assert Region.objects.in_program().count() == 2


def test_it_keeps_an_existing_cohort_and_its_name(loaded: LoadSummary) -> None:
    Cohort.objects.create(year=2018, name="Gerakan 100 Smart City 2018")

    cohort = assign_cohort(year=2018, region_codes=[SAMARINDA], name="ignored")

    assert cohort.name == "Gerakan 100 Smart City 2018"
    assert Cohort.objects.count() == 1


def test_it_refuses_an_unknown_region_and_assigns_nothing(loaded: LoadSummary) -> None:
    with pytest.raises(CohortError, match=r"unknown region code\(s\): 99.99"):
        assign_cohort(year=2017, region_codes=[SAMARINDA, "99.99"])

    assert not Cohort.objects.exists()
    assert not Region.objects.in_program().exists()


def test_it_refuses_to_move_a_region_from_another_cohort(loaded: LoadSummary) -> None:
    assign_cohort(year=2017, region_codes=[SAMARINDA])

    with pytest.raises(CohortError, match=r"already in another cohort: 64.72 \(Angkatan 2017\)"):
        assign_cohort(year=2018, region_codes=[SAMARINDA, BALIKPAPAN])

    assert Region.objects.in_cohort(2017).count() == 1
    assert not Region.objects.in_cohort(2018).exists()
    assert not Cohort.objects.filter(year=2018).exists()


def test_it_moves_a_region_when_asked_to_reassign(loaded: LoadSummary) -> None:
    assign_cohort(year=2017, region_codes=[SAMARINDA])

    assign_cohort(year=2018, region_codes=[SAMARINDA], reassign=True)

    assert list(Region.objects.in_cohort(2018).values_list("code", flat=True)) == [SAMARINDA]


def test_it_accepts_the_same_assignment_twice(loaded: LoadSummary) -> None:
    assign_cohort(year=2019, region_codes=[BALIKPAPAN])
    assign_cohort(year=2019, region_codes=[BALIKPAPAN])

    assert Region.objects.in_cohort(2019).count() == 1


def test_it_refuses_a_mistyped_year(loaded: LoadSummary) -> None:
    with pytest.raises(ValidationError):
        assign_cohort(year=20177, region_codes=[BALIKPAPAN])

    assert not Cohort.objects.exists()
