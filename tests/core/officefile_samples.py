"""Crafted Office files for the upload checks: bombs, broken XML, macros, external links.

Built at test time with zipfile from a real workbook (or document) so that only the one thing
under test is wrong.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def plain_workbook(rows: int = 3, columns: int = 3, sheets: int = 1) -> bytes:
    book = Workbook()
    for number in range(1, sheets):
        book.create_sheet(f"Sheet{number + 1}")
    sheet = book.active
    assert sheet is not None
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            sheet.cell(row=row, column=column).value = f"r{row}c{column}"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def rezip(content: bytes, replace: Mapping[str, bytes | str], *, stored: bool = False) -> bytes:
    """`content` with the parts in `replace` replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(output, "w", method) as target:
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info.filename, source.read(info))
        for name, data in replace.items():
            target.writestr(name, data)
    return output.getvalue()


def sheet_xml(rows: str, dimension: str = "A1") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def rows_of(count: int, columns: int = 1, value: str = "1") -> str:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    return "".join(
        f'<row r="{r}">' + "".join(f'<c r="{x}{r}"><v>{value}</v></c>' for x in letters) + "</row>"
        for r in range(1, count + 1)
    )


def zip_bomb(unpacked_mb: int = 36) -> bytes:
    """A small file whose one sheet unpacks to `unpacked_mb` MB of cells."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    repeat = unpacked_mb * 1024 * 1024 // len(row)
    return rezip(plain_workbook(), {SHEET: sheet_xml(row * repeat)})


def external_relationship(kind: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId9" Type="{OFFICE_RELS}/{kind}" '
        'Target="http://evil.example/x" TargetMode="External"/></Relationships>'
    )
