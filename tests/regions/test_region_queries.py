from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from cityeval.regions.models import Province, Region
from cityeval.regions.services import LoadSummary

pytestmark = pytest.mark.django_db


def test_it_lists_the_regions_of_one_province(loaded: LoadSummary) -> None:
    kaltim = Region.objects.in_province("64")

    assert kaltim.count() == 10
    assert kaltim.kota().count() == 3
    assert kaltim.first() == Region.objects.get(code="64.01")


def test_it_fetches_provinces_with_the_regions_in_one_query(
    loaded: LoadSummary, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        names = {region.province.name for region in Region.objects.with_province()}

    assert len(names) == 38


def test_it_counts_the_regions_of_each_province(loaded: LoadSummary) -> None:
    jawa_timur = Province.objects.with_region_counts().get(code="35")

    assert getattr(jawa_timur, "region_count", None) == 38
