from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cityeval.regions.models import OPD, Region
from cityeval.regions.services import LoadSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def kukar(loaded: LoadSummary) -> Region:
    return Region.objects.get(code="64.02")


def diskominfo(region: Region, code: str = "2.16.01") -> OPD:
    return OPD.objects.create(
        region=region,
        code=code,
        name="Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
    )


def test_it_refuses_a_second_opd_with_the_same_code_in_one_region(kukar: Region) -> None:
    diskominfo(kukar)

    with pytest.raises(IntegrityError), transaction.atomic():
        diskominfo(kukar)


def test_it_allows_the_same_code_in_another_region(kukar: Region) -> None:
    samarinda = Region.objects.get(code="64.72")
    diskominfo(kukar)
    diskominfo(samarinda)

    assert OPD.objects.filter(code="2.16.01").count() == 2


def test_it_lists_only_active_opds_of_a_region(kukar: Region) -> None:
    diskominfo(kukar)
    OPD.objects.create(region=kukar, code="old", name="Kantor Pengolahan Data", active=False)
    diskominfo(Region.objects.get(code="64.72"))

    active = OPD.objects.active().of_region(kukar)

    assert [str(opd) for opd in active] == ["Diskominfo"]


def test_it_refuses_a_code_with_spaces(kukar: Region) -> None:
    opd = OPD(region=kukar, code="dinas 1", name="Dinas")

    with pytest.raises(ValidationError, match="Kode hanya berisi"):
        opd.full_clean()
