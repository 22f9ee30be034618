from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.services import import_shipped
from tests.core.officefile_samples import zip_bomb

pytestmark = pytest.mark.django_db
REF = "SPBE@2020"


@pytest.fixture
def items(db: None) -> list[str]:
    import_shipped()
    version = FrameworkVersion.objects.get_by_ref(REF)
    return list(
        FrameworkNode.objects.filter(version=version)
        .exclude(kind="group")
        .order_by("sequence")
        .values_list("code", flat=True)
    )


def write_csv(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def score(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def test_it_scores_every_region_and_ranks_them(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(
        tmp_path / "v.csv",
        ["region", *items],
        [["64.02", *[4] * len(items)], ["64.71", *[5] * len(items)], ["33.74", *[2] * len(items)]],
    )
    lines = score(str(table), "--framework", REF).splitlines()
    assert lines[0].split()[:5] == ["region", "index", "predicate", "rank", "province_rank"]
    first, second, third = (line.split() for line in lines[1:4])
    # All items at one level: the weighted sum is that level, whatever the weights.
    assert first[:5] == ["64.71", "5.00", "MEMUASKAN", "1", "1"]
    assert second[:5] == ["64.02", "4.00", "SANGAT-BAIK", "2", "2"]
    assert third[:4] == ["33.74", "2.00", third[2], "3"]


def test_it_writes_csv_json_and_excel(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(tmp_path / "v.csv", ["region", *items], [["A", *[3] * len(items)]])
    for suffix in ("csv", "json", "xlsx"):
        target = tmp_path / f"out.{suffix}"
        score(str(table), "--framework", REF, "--output", str(target))
        assert target.exists()
    assert json.loads((tmp_path / "out.json").read_text())[0]["index"] == "3.00"
    with (tmp_path / "out.csv").open() as handle:
        assert next(csv.DictReader(handle))["index"] == "3.00"
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert sheet["B2"].value == "3.00"


def test_it_reads_an_excel_sheet(tmp_path: Path, items: list[str]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["region", *items])
    sheet.append(["64.02", *[4] * len(items)])
    workbook.save(tmp_path / "v.xlsx")
    assert "4.00" in score(str(tmp_path / "v.xlsx"), "--framework", REF)


def test_it_counts_an_empty_cell_as_missing(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(tmp_path / "v.csv", ["region", *items], [["A", "", *[5] * (len(items) - 1)]])
    assert items[0] in score(str(table), "--framework", REF)


@pytest.mark.parametrize(
    ("header_extra", "row", "message"),
    [
        (["NOT-AN-ITEM"], ["A", "3"], "cell B1: unknown item 'NOT-AN-ITEM'"),
        ([], ["A", "7"], "cell B2 (A, {item}): 7 is outside 1–5"),
        ([], ["A", "tinggi"], "cell B2 (A, {item}): 'tinggi' is not a number"),
    ],
)
def test_it_names_the_cell_of_a_bad_value(
    tmp_path: Path, items: list[str], header_extra: list[str], row: list[str], message: str
) -> None:
    header = ["region", *(header_extra or items[:1])]
    table = write_csv(tmp_path / "v.csv", header, [row])
    with pytest.raises(CommandError) as error:
        score(str(table), "--framework", REF)
    assert message.format(item=items[0]) in str(error.value)


def test_it_refuses_a_region_listed_twice(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(tmp_path / "v.csv", ["region", items[0]], [["A", "3"], ["A", "4"]])
    with pytest.raises(CommandError, match="row 3: region 'A' appears twice"):
        score(str(table), "--framework", REF)


def test_it_refuses_a_file_it_cannot_read(tmp_path: Path, items: list[str]) -> None:
    garbage = tmp_path / "v.xlsx"
    garbage.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(CommandError, match="not a readable Excel"):
        score(str(garbage), "--framework", REF)
    binary = tmp_path / "v.csv"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(CommandError, match="not a CSV"):
        score(str(binary), "--framework", REF)
    with pytest.raises(CommandError, match="cannot read the file"):
        score(str(tmp_path / "absent.csv"), "--framework", REF)


def test_it_refuses_an_unknown_framework(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(tmp_path / "v.csv", ["region", items[0]], [["A", "3"]])
    with pytest.raises(CommandError, match="unknown framework 'G100SC@1999'; imported: "):
        score(str(table), "--framework", "G100SC@1999")


def test_it_refuses_an_output_format_it_cannot_write(tmp_path: Path, items: list[str]) -> None:
    table = write_csv(tmp_path / "v.csv", ["region", items[0]], [["A", "3"]])
    with pytest.raises(CommandError, match=r"use \.csv, \.json or \.xlsx"):
        score(str(table), "--framework", REF, "--output", str(tmp_path / "out.pdf"))


def test_it_refuses_a_workbook_over_the_limits_before_parsing_it(
    tmp_path: Path, items: list[str]
) -> None:
    bomb = tmp_path / "v.xlsx"
    bomb.write_bytes(zip_bomb(36))
    with pytest.raises(CommandError, match=r"36,0 MB; batasnya 10 MB"):
        score(str(bomb), "--framework", REF)
