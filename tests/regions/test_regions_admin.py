from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.regions.models import OPD, Region
from cityeval.regions.services import LoadSummary, assign_cohort, rebuild_automatic_peer_groups

pytestmark = pytest.mark.django_db

MODELS = ["province", "region", "cohort", "peergroup", "opd", "regionsource"]


@pytest.fixture
def filled(loaded: LoadSummary) -> None:
    assign_cohort(year=2017, region_codes=["64.02"])
    rebuild_automatic_peer_groups()
    OPD.objects.create(region=Region.objects.get(code="64.02"), code="d1", name="Diskominfo")


@pytest.mark.parametrize("model", MODELS)
def test_it_shows_every_list_with_search_and_filters(
    admin_client: Client, filled: None, model: str
) -> None:
    url = reverse(f"admin:regions_{model}_changelist")

    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Kutai"}).status_code == 200


def test_it_lets_an_admin_set_cohort_and_population_but_not_the_official_name(
    admin_client: Client, filled: None
) -> None:
    region = Region.objects.get(code="64.02")
    url = reverse("admin:regions_region_change", args=[region.pk])

    response = admin_client.post(
        url,
        {"cohort": "", "population": "750000", "population_year": "2023", "full_name": "X"},
    )

    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.cohort, region.population) == (None, 750_000)
    assert region.full_name == "Kabupaten Kutai Kartanegara"


def test_it_offers_no_way_to_add_a_region_by_hand(admin_client: Client, filled: None) -> None:
    assert admin_client.get(reverse("admin:regions_region_add")).status_code == 403


def test_it_filters_regions_by_kind_and_province(admin_client: Client, filled: None) -> None:
    url = reverse("admin:regions_region_changelist")

    response = admin_client.get(url, {"kind__exact": "kota", "province__id__exact": "bad"})
    assert response.status_code == 302  # Django drops an invalid filter value and redirects

    province_id = Region.objects.get(code="64.72").province_id
    response = admin_client.get(
        url, {"kind__exact": "kota", "province__id__exact": str(province_id)}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
