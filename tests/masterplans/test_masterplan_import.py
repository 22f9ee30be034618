from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cityeval.audit.models import AuditEntry
from cityeval.masterplans.importing import ImportRejected, RowError
from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from cityeval.masterplans.services import import_programs
from cityeval.masterplans.template import template_workbook
from cityeval.masterplans.upload import MAX_UPLOAD_BYTES, UploadRefused
from tests.core.officefile_samples import rezip, zip_bomb
from tests.masterplans.conftest import Opds, People
from tests.masterplans.helpers import open_bytes, workbook_bytes

pytestmark = pytest.mark.django_db

VALID_ROW = [
    "GOV-01",
    "Mal Pelayanan Publik Digital",
    "",
    "GOV — Smart Governance",
    "GOV-PS — Pelayanan publik",
    "KOMINFO — Diskominfo",
    "ya",
    1250000000,
    2019,
    2022,
]


def template_sheet(masterplan: Masterplan) -> tuple[Workbook, Worksheet]:
    book = open_bytes(template_workbook(masterplan=masterplan))
    sheet = book["Program"]
    return book, sheet


def run(masterplan: Masterplan, people: People, book: Workbook) -> list[str]:
    outcome = import_programs(
        masterplan=masterplan, user=people.coordinator, content=workbook_bytes(book)
    )
    return [*outcome.created, "|", *outcome.updated, "|", str(outcome.years)]


def rejected(masterplan: Masterplan, people: People, content: bytes) -> list[RowError]:
    with pytest.raises(ImportRejected) as caught:
        import_programs(masterplan=masterplan, user=people.coordinator, content=content)
    assert not Program.objects.exists()
    assert not AuditEntry.objects.exists()
    return caught.value.errors


def refused(masterplan: Masterplan, people: People, content: bytes) -> str:
    with pytest.raises(UploadRefused) as caught:
        import_programs(masterplan=masterplan, user=people.coordinator, content=content)
    assert not Program.objects.exists()
    return str(caught.value)


def test_the_template_has_the_import_columns_and_drop_down_lists(
    masterplan: Masterplan, opds: Opds
) -> None:
    book, sheet = template_sheet(masterplan)
    headers = [cell.value for cell in sheet[1]]
    assert headers[:10] == [
        "Kode",
        "Nama program",
        "Deskripsi",
        "Dimensi",
        "Elemen",
        "OPD pengampu",
        "Quick win",
        "Anggaran (Rp)",
        "Tahun mulai",
        "Tahun selesai",
    ]
    assert headers[10:14] == ["Status 2019", "Progres 2019 (%)", "Status 2020", "Progres 2020 (%)"]
    assert len(headers) == 10 + 2 * 10
    lists = book["Daftar"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"] if c.value][1:] == [
        "GOV — Smart Governance",
        "BRD — Smart Branding",
        "ECO — Smart Economy",
        "SOC — Smart Society",
        "LIV — Smart Living",
        "ENV — Smart Environment",
    ]
    assert [c.value for c in lists["C"] if c.value][1:] == [
        "DINKES — Dinkes",
        "DLH — DLH",
        "KOMINFO — Diskominfo",
    ]
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert "'Daftar'!$A$2:$A$7" in formulas
    assert '"direncanakan,berjalan,selesai,terhenti,dibatalkan"' in formulas
    assert "Petunjuk" in book.sheetnames


def test_a_filled_template_imports_and_downloads_again_as_a_round_trip(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append([*VALID_ROW, "berjalan", 40, "selesai", None])
    # Plain names and Indonesian number text work too; the element gives the dimension.
    sheet.append(
        ["LIV-01", "Pendaftaran Puskesmas Daring", "Antrean daring", "", "Kesehatan", "Dinkes",
         "tidak", "Rp 750.000.000", "2020", "2024", None, None, "Berjalan", "12,5"]
    )  # fmt: skip
    assert run(masterplan, people, book) == ["GOV-01", "LIV-01", "|", "|", "3"]
    gov = Program.objects.get(code="GOV-01")
    liv = Program.objects.get(code="LIV-01")
    assert (gov.dimension, gov.element, gov.owner, gov.quick_win) == (
        "GOV",
        "GOV-PS",
        opds.kominfo,
        True,
    )
    assert (liv.dimension, liv.element, liv.owner, liv.budget) == (
        "LIV",
        "LIV-HLT",
        opds.dinkes,
        Decimal("750000000"),
    )
    years = {(y.program.code, y.year): (y.status, y.progress) for y in ProgramYear.objects.all()}
    assert years == {
        ("GOV-01", 2019): ("running", Decimal(40)),
        ("GOV-01", 2020): ("completed", Decimal(100)),
        ("LIV-01", 2020): ("running", Decimal("12.5")),
    }
    entry = AuditEntry.objects.get()
    assert entry.action == "masterplan.import_programs"
    assert entry.after is not None
    assert sorted(entry.after["programs"]) == ["GOV-01", "LIV-01"]

    # The downloaded template now holds both programs; uploading it unchanged changes nothing.
    book, sheet = template_sheet(masterplan)
    assert [c.value for c in sheet[2]][:12] == [
        *VALID_ROW[:2],
        None,
        *VALID_ROW[3:],
        "berjalan",
        40,
    ]
    assert run(masterplan, people, book) == ["|", "|", "0"]

    # Editing one cell updates that program only, and a stale form of it would now conflict.
    sheet["B2"] = "MPP Digital"
    assert run(masterplan, people, book) == ["|", "GOV-01", "|", "0"]
    gov.refresh_from_db()
    assert (gov.name, gov.version) == ("MPP Digital", 2)


def test_a_sheet_with_errors_writes_nothing_and_reports_sheet_row_column_and_problem(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append(VALID_ROW)  # row 2: fine
    sheet.append(["ENV-01", "Bank Sampah", "", "ENV", "ENV-XYZ", "DLH", "ya", 1, 2019, 2020])
    sheet.append(["ENV-02", "Lampu", "", "GOV", "ENV-NRG", "Satpol PP", "mungkin", "banyak",
                  2017, 2020, "selesai", 80])  # fmt: skip
    sheet.append(["GOV-01", "", "", "", "GOV-PS", "KOMINFO", "", 1, 2030, 2031, "??"])
    errors = rejected(masterplan, people, workbook_bytes(book))
    found = {(e.row, e.column): e.problem for e in errors}
    assert all(e.sheet == "Program" for e in errors)
    assert found[(3, "E (Elemen)")] == "Elemen tidak dikenal; pilih dari daftar di templat."
    assert found[(4, "E (Elemen)")] == "Elemen ENV-NRG bukan bagian dari dimensi GOV."
    assert found[(4, "F (OPD pengampu)")].startswith("OPD tidak ditemukan")
    assert found[(4, "G (Quick win)")] == "Isi 'ya' atau 'tidak'."
    assert found[(4, "H (Anggaran (Rp))")].startswith("Anggaran harus berupa angka")
    assert found[(4, "I (Tahun mulai)")] == (
        "Program harus berada dalam periode masterplan 2019–2028."
    )
    assert found[(4, "L (Progres 2019 (%))")] == "Program berstatus selesai harus berprogres 100%."
    assert found[(5, "A (Kode)")] == "Kode GOV-01 sudah dipakai di baris 2."
    assert found[(5, "B (Nama program)")] == "Wajib diisi."
    assert found[(5, "K (Status 2019)")].startswith("Status tidak dikenal")
    assert not any(row == 2 for row, _ in found)


def test_a_sheet_from_another_template_is_refused(masterplan: Masterplan, people: People) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Program"
    sheet.append(["No", "Indikator", "Nilai", "Status 2035"])
    sheet.append([1, "Indeks SPBE", 3.2, ""])
    errors = rejected(masterplan, people, workbook_bytes(book))
    assert (
        RowError("Program", 1, "A (No)", "Kolom tidak dikenal. Gunakan templat impor program.")
        in errors
    )
    assert any(e.column == "D (Status 2035)" and "di luar periode" in e.problem for e in errors)
    missing = [e.column for e in errors if e.problem.startswith("Kolom wajib tidak ada")]
    assert missing == ["Kode", "Nama program", "Deskripsi", "Dimensi", "Elemen", "OPD pengampu",
                       "Quick win", "Anggaran (Rp)", "Tahun mulai", "Tahun selesai"]  # fmt: skip


def test_a_workbook_without_the_program_sheet_is_refused(
    masterplan: Masterplan, people: People
) -> None:
    book = Workbook()
    errors = rejected(masterplan, people, workbook_bytes(book))
    assert [(e.sheet, e.row) for e in errors] == [("Program", None)]
    assert "tidak ditemukan" in errors[0].problem


def test_an_empty_template_is_refused(masterplan: Masterplan, people: People, opds: Opds) -> None:
    errors = rejected(masterplan, people, template_workbook(masterplan=masterplan))
    assert [e.problem for e in errors] == ["Lembar ini tidak berisi program."]


def test_a_text_file_renamed_xlsx_is_refused(masterplan: Masterplan, people: People) -> None:
    message = refused(masterplan, people, b"kode;nama\nGOV-01;Mal Pelayanan Publik\n")
    assert message.startswith("Berkas ini bukan buku kerja Excel (.xlsx).")


def test_a_zip_that_is_not_a_workbook_is_refused(masterplan: Masterplan, people: People) -> None:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "bukan buku kerja" in refused(masterplan, people, content.getvalue())


def test_an_old_xls_file_is_refused(masterplan: Masterplan, people: People) -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert "Excel lama (.xls)" in refused(masterplan, people, content)


def test_a_macro_enabled_workbook_is_refused(
    masterplan: Masterplan, people: People, opds: Opds
) -> None:
    content = io.BytesIO(template_workbook(masterplan=masterplan))
    with zipfile.ZipFile(content, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0macro")
    assert "berisi makro" in refused(masterplan, people, content.getvalue())


def test_an_oversized_file_is_refused(masterplan: Masterplan, people: People) -> None:
    content = b"PK\x03\x04" + b"\0" * MAX_UPLOAD_BYTES
    assert refused(masterplan, people, content) == "Berkas terlalu besar (5,0 MB); batasnya 5 MB."


def test_it_reads_a_progress_cell_formatted_as_a_percentage(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append([*VALID_ROW, "berjalan", 0.75])
    sheet["L2"].number_format = "0%"
    run(masterplan, people, book)
    assert ProgramYear.objects.get().progress == Decimal(75)


def test_progress_without_a_status_is_reported(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append([*VALID_ROW, None, 30])
    errors = rejected(masterplan, people, workbook_bytes(book))
    assert errors == [
        RowError("Program", 2, "K (Status 2019)", "Progres diisi tetapi status kosong.")
    ]


def test_a_workbook_that_unpacks_too_large_is_refused(
    masterplan: Masterplan, people: People, opds: Opds, settings: Any
) -> None:
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 1000
    content = template_workbook(masterplan=masterplan)
    assert refused(masterplan, people, content).startswith(
        "Isi berkas terlalu besar setelah dibuka"
    )


def test_a_program_keeps_an_owner_that_became_inactive_but_no_new_one_gets_it(
    masterplan: Masterplan, opds: Opds, people: People
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append([*VALID_ROW[:5], "DLH", *VALID_ROW[6:]])
    run(masterplan, people, book)
    opds.dlh.active = False
    opds.dlh.save()
    book, sheet = template_sheet(masterplan)
    assert run(masterplan, people, book) == ["|", "|", "0"]  # the round trip still works
    sheet.append(["ENV-01", "Bank Sampah Digital", "", "", "ENV-WST", "DLH", "", 1, 2020, 2021])
    errors = rejected_keeping(masterplan, people, workbook_bytes(book))
    assert errors == [
        RowError("Program", 3, "F (OPD pengampu)", "DLH sudah tidak aktif; pilih OPD penggantinya.")
    ]


def rejected_keeping(masterplan: Masterplan, people: People, content: bytes) -> list[RowError]:
    with pytest.raises(ImportRejected) as caught:
        import_programs(masterplan=masterplan, user=people.coordinator, content=content)
    return caught.value.errors


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda xml: xml.replace("</sheetData>", "<row></sheetData>"), "tidak dapat dibaca"),
        (lambda xml: xml.replace('t="n"><v>', 't="n"><v>abc', 1), "tidak dapat dibaca"),
        (
            lambda xml: xml.replace(
                "</sheetData>", '<row r="5001"><c r="A5001"><v>1</v></c></row></sheetData>'
            ),
            "terlalu besar: 5001 baris",
        ),
    ],
    ids=["broken xml", "lazy read error", "too many rows"],
)
def test_a_damaged_program_sheet_is_refused_and_nothing_is_stored(
    masterplan: Masterplan, people: People, opds: Opds, change: Any, words: str
) -> None:
    book, sheet = template_sheet(masterplan)
    sheet.append(VALID_ROW)
    content = workbook_bytes(book)
    part = "xl/worksheets/sheet1.xml"  # the Program sheet comes first
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part).decode()
    assert words in refused(masterplan, people, rezip(content, {part: change(xml)}))
    assert not AuditEntry.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_parsed(masterplan: Masterplan, people: People) -> None:
    assert "(36,0 MB; batasnya 10 MB)" in refused(masterplan, people, zip_bomb(36))
