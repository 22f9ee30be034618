from __future__ import annotations

from pathlib import Path

import pytest

from cityeval.regions.models import Province, Region, RegionSource
from cityeval.regions.services import LoadSummary, assign_cohort, load_regions
from cityeval.regions.sourcefiles import REGIONS_FILE

pytestmark = pytest.mark.django_db


def test_it_loads_every_province_and_regency_once(loaded: LoadSummary) -> None:
    assert Province.objects.count() == 38
    assert Region.objects.count() == 514
    assert Region.objects.values("code").distinct().count() == 514
    assert (loaded.provinces_created, loaded.regions_created) == (38, 514)


def test_it_knows_kutai_kartanegara_is_a_kabupaten_in_kalimantan_timur(
    loaded: LoadSummary,
) -> None:
    region = Region.objects.with_province().get(code="64.02")
    assert region.full_name == "Kabupaten Kutai Kartanegara"
    assert region.name == "Kutai Kartanegara"
    assert region.kind == Region.Kind.KABUPATEN
    assert (region.province.code, region.province.name) == ("64", "Kalimantan Timur")


def test_it_counts_416_kabupaten_and_98_kota(loaded: LoadSummary) -> None:
    assert Region.objects.kabupaten().count() == 416
    assert Region.objects.kota().count() == 98


def test_it_changes_nothing_when_run_again(loaded: LoadSummary, real_source: Path) -> None:
    first_source = RegionSource.objects.get()

    again = load_regions(source_dir=real_source)

    assert (again.created, again.updated) == (0, 0)
    assert (again.provinces_unchanged, again.regions_unchanged) == (38, 514)
    assert RegionSource.objects.get().loaded_at == first_source.loaded_at


def test_it_drops_the_administrasi_prefix_from_jakarta_short_names(loaded: LoadSummary) -> None:
    jakarta_pusat = Region.objects.get(code="31.71")
    assert jakarta_pusat.full_name == "Kota Administrasi Jakarta Pusat"
    assert (jakarta_pusat.name, jakarta_pusat.kind) == ("Jakarta Pusat", Region.Kind.KOTA)
    assert Region.objects.get(code="31.01").name == "Kepulauan Seribu"


def test_it_keeps_the_word_kota_inside_a_name(loaded: LoadSummary) -> None:
    assert Region.objects.get(full_name="Kota Kotamobagu").name == "Kotamobagu"
    lima_puluh_kota = Region.objects.get(full_name="Kabupaten Lima Puluh Kota")
    assert lima_puluh_kota.kind == Region.Kind.KABUPATEN


def test_it_tells_a_kabupaten_from_the_kota_of_the_same_name(loaded: LoadSummary) -> None:
    bogor = Region.objects.filter(name="Bogor").order_by("code")
    assert [str(region) for region in bogor] == ["Kabupaten Bogor", "Kota Bogor"]


def test_it_updates_a_renamed_region_and_keeps_what_the_source_does_not_hold(
    loaded: LoadSummary, copied_source: Path
) -> None:
    assign_cohort(year=2018, region_codes=["64.02"])
    Region.objects.filter(code="64.02").update(population=750_000)
    regions_file = copied_source / REGIONS_FILE
    text = regions_file.read_text(encoding="utf-8")
    regions_file.write_text(text.replace("Kutai Kartanegara", "Kutai Kartanegara Baru"))

    summary = load_regions(source_dir=copied_source)

    assert (summary.regions_created, summary.regions_updated) == (0, 1)
    region = Region.objects.get(code="64.02")
    assert region.full_name == "Kabupaten Kutai Kartanegara Baru"
    assert region.population == 750_000
    assert region.cohort is not None
    assert region.cohort.year == 2018


def test_it_keeps_a_region_that_left_the_source_and_reports_it(
    loaded: LoadSummary, copied_source: Path
) -> None:
    regions_file = copied_source / REGIONS_FILE
    lines = regions_file.read_text(encoding="utf-8").splitlines(keepends=True)
    regions_file.write_text("".join(line for line in lines if not line.startswith("64.74,")))

    summary = load_regions(source_dir=copied_source)

    assert summary.missing_from_source == ("64.74",)
    assert Region.objects.filter(code="64.74").exists()


def test_it_records_the_source_for_attribution(loaded: LoadSummary) -> None:
    source = RegionSource.objects.current()
    assert source is not None
    assert (source.name, source.version) == ("idn-area-data", "4.0.1")
    assert (source.author, source.licence) == ("fityannugroho", "ODbL")
    assert loaded.attribution == source.attribution
    for part in ("idn-area-data 4.0.1", "fityannugroho", "ODbL"):
        assert part in source.attribution


def test_it_does_not_credit_idn_area_data_for_a_folder_outside_the_package(
    db: None, copied_source: Path
) -> None:
    summary = load_regions(source_dir=copied_source)

    assert summary.attribution == str(copied_source.resolve())
    assert RegionSource.objects.get().licence == ""
