"""Reading a table of regions × items (CSV or Excel) for scoring, with errors that name the cell.

The first column names the region (a Kemendagri code such as 64.02, or any unique label); each
other column is an item code of the framework. An empty cell is a missing value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils import get_column_letter

from cityeval.core.officefiles import (
    Limits,
    PackageRefused,
    check_workbook,
    unreadable_workbook,
)
from scoring.model import Framework, Indicator, IndicatorKind, Node

MAX_SHEET_BYTES = 50 * 1024 * 1024
# A table of regions × items is wider than the upload workbooks: one column per item of the
# framework (84 in G100SC 2022) beside the region. The other workbook limits apply as they are.
MAX_TABLE_COLUMNS = 512
UNREADABLE = "not a readable Excel (.xlsx) workbook"


class SheetError(ValueError):
    """The table cannot be scored. `problems` lists every problem found, each naming its cell."""

    def __init__(self, filename: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"{filename}: {problem}" for problem in problems))


@dataclass(frozen=True)
class ValueTable:
    regions: dict[str, dict[str, Decimal | None]]  # region label -> item code -> value


def indicators_of(node: Node) -> Iterable[Indicator]:
    for child in node.children:
        if isinstance(child, Indicator):
            yield child
        else:
            yield from indicators_of(child)


def read_value_table(path: Path, framework: Framework) -> ValueTable:
    rows = _read_rows(path)
    return parse_rows(rows, framework, filename=path.name)


def _read_rows(path: Path) -> list[list[object]]:
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SheetError(name, [f"cannot read the file: {error.strerror}"]) from None
    if len(raw) > MAX_SHEET_BYTES:
        raise SheetError(name, [f"the file is larger than {MAX_SHEET_BYTES // 2**20} MiB"])
    # Decide by content, not by extension: an .xlsx is a zip archive.
    if raw[:4] == b"PK\x03\x04":
        return _excel_rows(name, raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(name, ["not a CSV (UTF-8) or Excel (.xlsx) file"]) from None
    if "\x00" in text:
        raise SheetError(name, ["not a CSV (UTF-8) or Excel (.xlsx) file"])
    dialect: type[csv.Dialect]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _excel_rows(name: str, raw: bytes) -> list[list[object]]:
    try:
        # Size, dimensions, macros, well-formed XML: all before openpyxl reads a cell.
        check_workbook(raw, replace(Limits.from_settings(), columns=MAX_TABLE_COLUMNS))
    except PackageRefused as refused:
        # The command speaks English; the limits' messages name numbers worth keeping.
        problem = str(refused)
        if problem == unreadable_workbook():
            problem = UNREADABLE
        raise SheetError(name, [problem]) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, ParseError):
        raise SheetError(name, [UNREADABLE]) from None


def parse_rows(rows: list[list[object]], framework: Framework, *, filename: str) -> ValueTable:
    rows = [row for row in rows if any(_blank(cell) is False for cell in row)]
    if not rows:
        raise SheetError(filename, ["the table is empty"])
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    items = {item.code: item for item in indicators_of(framework.root)}
    problems: list[str] = []
    for position, code in enumerate(header[1:], start=2):
        if code and code not in items:
            problems.append(
                f"{_cell(1, position)}: unknown item {code!r} "
                f"(not in {framework.code}@{framework.version})"
            )
    seen_columns: dict[str, int] = {}
    for position, code in enumerate(header[1:], start=2):
        if code and code in seen_columns:
            problems.append(f"{_cell(1, position)}: item {code!r} appears twice")
        seen_columns.setdefault(code, position)
    regions: dict[str, dict[str, Decimal | None]] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        label = str(row[0]).strip() if row and row[0] is not None else ""
        if not label:
            problems.append(f"{_cell(number, 1)}: the region is empty")
            continue
        if label in regions:
            problems.append(
                f"row {number}: region {label!r} appears twice (first on row {first_row[label]})"
            )
            continue
        first_row[label] = number
        values: dict[str, Decimal | None] = {}
        for position, code in enumerate(header[1:], start=2):
            if code not in items:
                continue
            cell = row[position - 1] if position - 1 < len(row) else None
            value, problem = _value(cell, items[code], framework)
            if problem:
                problems.append(f"{_cell(number, position)} ({label}, {code}): {problem}")
            values[code] = value
        regions[label] = values
    if problems:
        raise SheetError(filename, problems)
    return ValueTable(regions=regions)


def _value(cell: object, item: Indicator, framework: Framework) -> tuple[Decimal | None, str]:
    if _blank(cell):
        return None, ""
    text = str(cell).strip().replace(",", ".") if isinstance(cell, str) else str(cell)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, f"{cell!r} is not a number"
    if not number.is_finite():
        return None, f"{cell!r} is not a number"
    low, high = _bounds(item, framework)
    if low is not None and high is not None and not low <= number <= high:
        return None, f"{number} is outside {low}–{high}"
    return number, ""


def _bounds(item: Indicator, framework: Framework) -> tuple[Decimal | None, Decimal | None]:
    if item.kind is IndicatorKind.MATURITY:
        return framework.scale.minimum, framework.scale.maximum
    if item.kind is IndicatorKind.PERCENTAGE:
        return Decimal(0), Decimal(100)
    return None, None


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(row: int, column: int) -> str:
    # The same cell names for CSV and Excel: people open both in a spreadsheet program.
    return f"cell {get_column_letter(column)}{row}"
