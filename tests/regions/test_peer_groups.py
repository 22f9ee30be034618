from __future__ import annotations

import pytest
from django.utils import translation

from cityeval.regions.models import PeerGroup, Region
from cityeval.regions.peers import PeerGroupConflict, PopulationBand
from cityeval.regions.services import LoadSummary, rebuild_automatic_peer_groups

pytestmark = pytest.mark.django_db


def set_population(code: str, population: int) -> None:
    Region.objects.filter(code=code).update(population=population, population_year=2023)


def member_codes(group_code: str) -> list[str]:
    group = PeerGroup.objects.get(code=group_code)
    return list(group.regions.order_by("code").values_list("code", flat=True))


def test_it_groups_every_region_by_kind(loaded: LoadSummary) -> None:
    summary = rebuild_automatic_peer_groups()

    assert summary.members["auto-kabupaten"] == 416
    assert summary.members["auto-kota"] == 98
    assert PeerGroup.objects.get(code="auto-kota").automatic


def test_it_bands_only_regions_whose_population_is_known(loaded: LoadSummary) -> None:
    set_population("64.74", 190_000)  # Bontang
    set_population("64.72", 861_000)  # Samarinda
    set_population("64.02", 750_000)  # Kutai Kartanegara
    set_population("32.01", 5_600_000)  # Kabupaten Bogor

    summary = rebuild_automatic_peer_groups()

    assert member_codes("auto-pop-100k-500k") == ["64.74"]
    assert member_codes("auto-pop-500k-1m") == ["64.02", "64.72"]
    assert member_codes("auto-pop-1m-plus") == ["32.01"]
    assert summary.members["auto-pop-under-100k"] == 0


def test_it_moves_a_region_to_its_new_band_on_rebuild(loaded: LoadSummary) -> None:
    set_population("64.72", 990_000)
    rebuild_automatic_peer_groups()
    set_population("64.72", 1_010_000)

    rebuild_automatic_peer_groups()

    assert member_codes("auto-pop-500k-1m") == []
    assert member_codes("auto-pop-1m-plus") == ["64.72"]


def test_it_leaves_hand_made_groups_alone(loaded: LoadSummary) -> None:
    kaltim = PeerGroup.objects.create(code="kaltim", name="Kalimantan Timur")
    kaltim.regions.set(Region.objects.in_province("64"))

    rebuild_automatic_peer_groups()
    rebuild_automatic_peer_groups()

    assert len(member_codes("kaltim")) == 10
    assert not PeerGroup.objects.get(code="kaltim").automatic


def test_it_refuses_to_take_over_a_hand_made_group_with_an_automatic_code(
    loaded: LoadSummary,
) -> None:
    PeerGroup.objects.create(code="auto-kota", name="Kota pilihan")

    with pytest.raises(PeerGroupConflict, match="auto-kota"):
        rebuild_automatic_peer_groups()

    assert PeerGroup.objects.count() == 1


def test_it_removes_automatic_groups_of_bands_no_longer_used(loaded: LoadSummary) -> None:
    rebuild_automatic_peer_groups()
    single_band = [PopulationBand("auto-pop-all", "Semua", "All", 0, None)]

    summary = rebuild_automatic_peer_groups(bands=single_band)

    assert "auto-pop-1m-plus" in summary.removed
    assert set(PeerGroup.objects.values_list("code", flat=True)) == {
        "auto-kabupaten",
        "auto-kota",
        "auto-pop-all",
    }


def test_it_shows_the_english_name_in_english(db: None) -> None:
    group = PeerGroup(code="x", name="Semua kota", name_en="All cities")

    with translation.override("en"):
        assert str(group) == "All cities"
    with translation.override("id"):
        assert str(group) == "Semua kota"
    assert PeerGroup(code="y", name="Hanya Indonesia").display_name == "Hanya Indonesia"
