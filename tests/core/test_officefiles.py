"""The checks made on an uploaded workbook or Office document before anything parses it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from django.conf import settings

from cityeval.core.officefiles import (
    Limits,
    PackageRefused,
    active_content_problem,
    check_workbook,
)
from tests.core.officefile_samples import (
    MAIN,
    SHEET,
    external_relationship,
    plain_workbook,
    rezip,
    rows_of,
    sheet_xml,
    zip_bomb,
)


def refusal(content: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(PackageRefused) as caught:
        check_workbook(content, limits)
    return str(caught.value)


def test_an_ordinary_workbook_passes() -> None:
    check_workbook(plain_workbook(rows=200, columns=20))


def test_a_zip_bomb_is_refused_from_the_directory_alone() -> None:
    bomb = zip_bomb(36)
    assert len(bomb) < 200 * 1024  # small on the wire, as in the report
    assert "terlalu besar setelah dibuka (36,0 MB; batasnya 10 MB)" in refusal(bomb)


def test_a_part_packed_far_tighter_than_any_real_sheet_is_refused() -> None:
    padding = " " * (3 * 1024 * 1024)  # whitespace between elements is still well formed
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(2) + padding)})
    assert "dipadatkan secara tidak wajar" in refusal(content)


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    extra = {f"xl/media/image{n}.png": b"x" for n in range(settings.WORKBOOK_MAX_PARTS)}
    assert "bagian" in refusal(rezip(plain_workbook(), extra))


def test_too_many_rows_are_refused_with_the_sheet_named() -> None:
    rows = settings.WORKBOOK_MAX_ROWS + 1
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(rows))})
    message = refusal(content)
    assert f"Lembar 'Sheet' terlalu besar: {rows} baris × 1 kolom" in message
    assert f"batasnya {settings.WORKBOOK_MAX_ROWS} baris" in message


def test_too_many_columns_are_refused() -> None:
    columns = settings.WORKBOOK_MAX_COLUMNS + 1
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(2, columns))})
    assert f"× {columns} kolom" in refusal(content)  # stops reading at the first wide row


def test_a_declared_dimension_that_openpyxl_would_pad_to_is_refused() -> None:
    # Two cells, but read-only openpyxl would walk 1,048,576 rows of 16,384 columns.
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(2), "A1:XFD1048576")})
    assert "1048576 baris × 16384 kolom" in refusal(content)


def test_a_sheet_just_within_the_limits_passes() -> None:
    limits = Limits.from_settings()
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(limits.rows, 2))})
    check_workbook(content)


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        (SHEET, f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1"><v>1</v></row>'),
        (SHEET, "not xml at all"),
        ("xl/styles.xml", "<styleSheet><unclosed></styleSheet>"),
        (
            SHEET,
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            f"<worksheet {MAIN}><sheetData/></worksheet>",
        ),
    ],
    ids=["broken sheet", "not xml", "broken styles", "doctype"],
)
def test_malformed_xml_anywhere_cannot_be_read(part: str, xml: str) -> None:
    content = rezip(plain_workbook(), {part: xml})
    assert refusal(content) == "Berkas tidak dapat dibaca sebagai buku kerja Excel."


def test_a_damaged_zip_cannot_be_read() -> None:
    content = plain_workbook()
    assert refusal(content[: len(content) // 2]) == (
        "Berkas tidak dapat dibaca sebagai buku kerja Excel."
    )


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"xl/vbaProject.bin": b"\0macro"}, "berisi makro"),
        ({"xl/externalLinks/externalLink1.xml": "<externalLink/>"}, "dari luar berkas"),
        (
            {"xl/worksheets/_rels/sheet1.xml.rels": external_relationship("oleObject")},
            "dari luar berkas",
        ),
    ],
    ids=["macros", "external workbook link", "linked object"],
)
def test_active_content_is_refused(parts: dict[str, Any], words: str) -> None:
    assert words in refusal(rezip(plain_workbook(), parts))


def test_a_plain_hyperlink_is_not_external_content() -> None:
    parts = {"xl/worksheets/_rels/sheet1.xml.rels": external_relationship("hyperlink")}
    check_workbook(rezip(plain_workbook(), parts))


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"word/vbaProject.bin": b"\0macro"}, "makro (VBA)"),
        (
            {"word/_rels/settings.xml.rels": external_relationship("attachedTemplate")},
            "dari luar berkas",
        ),
        ({}, None),
        ({"word/_rels/document.xml.rels": external_relationship("hyperlink")}, None),
    ],
    ids=["macros", "remote template", "plain", "hyperlink"],
)
def test_documents_get_the_same_active_content_check(
    parts: dict[str, Any], words: str | None
) -> None:
    content = rezip(plain_workbook(), parts)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        problem = active_content_problem(archive)
    assert (problem is None) if words is None else (words in str(problem))


def test_the_cells_of_all_sheets_together_are_limited() -> None:
    limits = replace(Limits.from_settings(), cells=100)
    content = rezip(plain_workbook(), {SHEET: sheet_xml(rows_of(11, 10))})
    assert "110 sel; batasnya 100" in refusal(content, limits)
