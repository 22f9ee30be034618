"""A damaged region list is refused with its file and line, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cityeval.regions import services
from cityeval.regions.models import Province, Region
from cityeval.regions.services import LoadSummary, RegionDataError, load_regions
from cityeval.regions.sourcefiles import PROVINCES_FILE, REGIONS_FILE

pytestmark = pytest.mark.django_db

Damage = Callable[[Path], None]


def replace_line(file: str, starts_with: str, new_line: str) -> Damage:
    def damage(folder: Path) -> None:
        path = folder / file
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = [new_line if line.startswith(starts_with) else line for line in lines]
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    return damage


def append_line(file: str, new_line: str) -> Damage:
    def damage(folder: Path) -> None:
        with (folder / file).open("a", encoding="utf-8") as handle:
            handle.write(new_line + "\r\n")

    return damage


def overwrite(file: str, content: bytes) -> Damage:
    def damage(folder: Path) -> None:
        (folder / file).write_bytes(content)

    return damage


def remove(file: str) -> Damage:
    def damage(folder: Path) -> None:
        (folder / file).unlink()

    return damage


# Line numbers count the header as line 1; 64.02 is on line 358 of regencies.csv.
DAMAGES = {
    "bad region code": (
        replace_line(REGIONS_FILE, "64.02,", "6402,64,Kabupaten Kutai Kartanegara"),
        REGIONS_FILE,
        358,
        "'6402' is not of the form NN.NN",
    ),
    "unknown province": (
        append_line(REGIONS_FILE, "99.01,99,Kabupaten Entah"),
        REGIONS_FILE,
        516,
        "province '99' of region 99.01 is not in provinces.csv",
    ),
    "region under the wrong province": (
        replace_line(REGIONS_FILE, "64.02,", "64.02,63,Kabupaten Kutai Kartanegara"),
        REGIONS_FILE,
        358,
        "64.02 does not belong to province 63",
    ),
    "duplicate region": (
        append_line(REGIONS_FILE, "64.02,64,Kabupaten Kutai Kartanegara"),
        REGIONS_FILE,
        516,
        "code 64.02 already appears on line 358",
    ),
    "no kind prefix": (
        replace_line(REGIONS_FILE, "64.02,", "64.02,64,Kutai Kartanegara"),
        REGIONS_FILE,
        358,
        "does not start with 'Kabupaten ' or 'Kota '",
    ),
    "two kind prefixes": (
        replace_line(REGIONS_FILE, "64.02,", "64.02,64,Kota Kabupaten Kutai Kartanegara"),
        REGIONS_FILE,
        358,
        "more than one kind prefix",
    ),
    "missing column": (
        replace_line(REGIONS_FILE, "code,", "code,name"),
        REGIONS_FILE,
        1,
        "missing column(s) province_code",
    ),
    "short row": (
        replace_line(REGIONS_FILE, "64.02,", "64.02,64"),
        REGIONS_FILE,
        358,
        "expected 3 fields, found 2",
    ),
    "unclosed quote": (
        replace_line(REGIONS_FILE, "64.02,", '64.02,64,"Kabupaten Kutai'),
        REGIONS_FILE,
        515,
        "not a valid CSV file",
    ),
    "bad province code": (
        replace_line(PROVINCES_FILE, "64,", "6,Kalimantan Timur"),
        PROVINCES_FILE,
        24,
        "province code '6' is not of the form NN",
    ),
    "not a CSV but an image": (
        overwrite(PROVINCES_FILE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        PROVINCES_FILE,
        None,
        "not a CSV file",
    ),
    "not UTF-8": (
        overwrite(PROVINCES_FILE, "code,name\r\n64,Kalimantan Tímur\r\n".encode("cp1252")),
        PROVINCES_FILE,
        None,
        "not UTF-8 text",
    ),
    "empty file": (overwrite(PROVINCES_FILE, b""), PROVINCES_FILE, 1, "the file is empty"),
    "missing file": (remove(REGIONS_FILE), REGIONS_FILE, None, "file not found"),
}


@pytest.mark.parametrize("case", DAMAGES.keys())
def test_it_refuses_a_damaged_file_naming_file_and_line(copied_source: Path, case: str) -> None:
    damage, file, line, message = DAMAGES[case]
    damage(copied_source)

    with pytest.raises(RegionDataError) as caught:
        load_regions(source_dir=copied_source)

    assert caught.value.file == copied_source / file
    assert caught.value.line == line
    assert message in str(caught.value)
    assert file in str(caught.value)
    assert Province.objects.count() == 0
    assert Region.objects.count() == 0


def test_it_leaves_loaded_data_alone_when_a_later_row_is_bad(
    loaded: LoadSummary, copied_source: Path
) -> None:
    replace_line(REGIONS_FILE, "11.01,", "11.01,11,Kabupaten Aceh Selatan Baru")(copied_source)
    append_line(REGIONS_FILE, "99.01,99,Kabupaten Entah")(copied_source)

    with pytest.raises(RegionDataError):
        load_regions(source_dir=copied_source)

    assert Region.objects.get(code="11.01").full_name == "Kabupaten Aceh Selatan"


def test_it_writes_nothing_when_a_write_fails_half_way(
    db: None, real_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_record_source", fail)

    with pytest.raises(RuntimeError, match="disk full"):
        load_regions(source_dir=real_source)

    assert Province.objects.count() == 0
    assert Region.objects.count() == 0
