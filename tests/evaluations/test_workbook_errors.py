"""Bad workbooks: every problem is reported as (sheet, row, column, problem) and nothing is written.

Each spoiled workbook also carries one valid change, so every case checks all-or-nothing too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook as NewWorkbook
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
    Round,
)
from cityeval.evaluations.services import Deadlines, open_cycle
from cityeval.frameworks.models import FrameworkVersion
from cityeval.masterplans.upload import MAX_UPLOAD_BYTES
from cityeval.workbooks import workbook_format as fmt
from tests.core.officefile_samples import rezip, zip_bomb
from tests.evaluations.workbook_helpers import (
    COLUMN,
    client_for,
    download,
    edited,
    fill,
    items_sheet,
    problems,
    refusals,
    upload,
)
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db
Problem = tuple[str, int | None, str, str]


def stored(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    return list(
        ItemValue.objects.filter(evaluation=evaluation)
        .order_by("pk")
        .values_list("self_value", "narrative", "version", "opd_id")
    )


def first_codes(world: World, count: int) -> list[str]:
    return list(
        ItemValue.objects.filter(evaluation=world.evaluation, indicator__kind="maturity")
        .order_by("indicator__sequence")
        .values_list("indicator__code", flat=True)[:count]
    )


def assert_rejected(response: Any, expected: list[tuple[str, int | None, str, str]]) -> None:
    """Each expected (sheet, row, column start, words in the problem) is in the error table."""
    found = problems(response)
    assert response.context["preview"] is None
    assert b'data-testid="problems"' in response.content
    for sheet, row, column, words in expected:
        assert any(
            s == sheet and r == row and c.startswith(column) and words in p for s, r, c, p in found
        ), (sheet, row, column, words, found)


def cell_at(row: int, key: str, value: Any) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        items_sheet(book).cell(row=row, column=COLUMN[key]).value = value

    return change


def delete_sheet(name: str) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        del book[name]

    return change


def swap_headers(book: Workbook) -> None:
    sheet = items_sheet(book)
    value, narrative = COLUMN["value"], COLUMN["narrative"]
    for row in range(1, sheet.max_row + 1):
        a, b = sheet.cell(row=row, column=value), sheet.cell(row=row, column=narrative)
        a.value, b.value = b.value, a.value


def insert_column(book: Workbook) -> None:
    items_sheet(book).insert_cols(3)


def duplicate_row(book: Workbook) -> None:
    sheet = items_sheet(book)
    sheet.append([cell.value for cell in sheet[3]])


def tamper_meta_version(book: Workbook) -> None:
    sheet = book[fmt.META_SHEET]
    for row in sheet.iter_rows():
        if isinstance(row[2].value, int) and row[0].value != "evaluation_id":
            row[2].value += 1  # someone "fixes" the version to dodge a conflict
            return


def garble_meta(book: Workbook) -> None:
    book[fmt.META_SHEET]["A1"] = "catatan"


ROW = 3  # the spoiled row; row 2 always carries a valid change
CASES: list[tuple[str, Callable[[Workbook], None], list[Problem]]] = [
    (
        "missing items sheet",
        delete_sheet(fmt.ITEMS_SHEET),
        [("Butir", None, "—", "Lembar 'Butir' tidak ditemukan")],
    ),
    (
        "missing metadata sheet",
        delete_sheet(fmt.META_SHEET),
        [("_meta", None, "—", "Lembar '_meta' tidak ditemukan")],
    ),
    (
        "renamed column",
        cell_at(1, "narrative", "Catatan"),
        [("Butir", 1, "K", "seharusnya 'Narasi (isi)', tertulis 'Catatan'")],
    ),
    (
        "moved columns",
        swap_headers,
        [
            ("Butir", 1, "J", "seharusnya di kolom K"),
            ("Butir", 1, "K", "seharusnya di kolom J"),
        ],
    ),
    (
        "inserted column",
        insert_column,
        [
            ("Butir", 1, "C", "Judul kolom 'Butir' tidak ada"),
            ("Butir", 1, "D", "seharusnya di kolom C. Jangan memindahkan, menyisipkan"),
        ],
    ),
    ("edited identity", tamper_meta_version, [("_meta", None, "—", "tidak sah")]),
    ("garbled identity", garble_meta, [("_meta", None, "—", "rusak atau diubah")]),
    (
        "unknown item code",
        cell_at(ROW, "code", "ZZZ-99"),
        [("Butir", ROW, "A (Kode)", "ZZZ-99 tidak dikenal dalam instrumen G100SC@2022")],
    ),
    (
        "empty code on a filled row",
        cell_at(ROW, "code", None),
        [("Butir", ROW, "A (Kode)", "Kode butir kosong")],
    ),
    (
        "edited version",
        cell_at(ROW, "version", 9),
        [("Butir", ROW, "H (Versi)", "tertulis 9, seharusnya 1")],
    ),
    (
        "level off the scale",
        cell_at(ROW, "value", 7),
        [("Butir", ROW, "J (Nilai (isi))", "Tingkat harus salah satu dari 1, 2, 3, 4, 5")],
    ),
    (
        "not a level",
        cell_at(ROW, "value", 2.5),
        [("Butir", ROW, "J (Nilai (isi))", "Tingkat harus salah satu dari")],
    ),
    (
        "words for a level",
        cell_at(ROW, "value", "tinggi"),
        [("Butir", ROW, "J (Nilai (isi))", "Tingkat harus berupa angka")],
    ),
    (
        "a date for a level",
        cell_at(ROW, "value", datetime(2024, 3, 4)),
        [("Butir", ROW, "J (Nilai (isi))", "Tingkat harus berupa angka")],
    ),
    (
        "narrative too long",
        cell_at(ROW, "narrative", "x" * 40_000),
        [("Butir", ROW, "K (Narasi (isi))", "Narasi terlalu panjang: mencapai batas")],
    ),
]


@pytest.mark.parametrize(
    ("spoil", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_spoiled_workbook_is_rejected_whole(
    world: World, spoil: Callable[[Workbook], None], expected: list[Problem]
) -> None:
    client = client_for(world.people["coordinator"])
    valid = first_codes(world, 1)[0]
    before = stored(world.evaluation)

    def change(book: Workbook) -> None:
        fill(valid, 3, "Perubahan yang sah.")(book)
        spoil(book)

    response = upload(client, world.evaluation, edited(download(client, world.evaluation), change))
    assert_rejected(response, expected)
    assert b"isian.xlsx" in response.content  # the uploaded file's name stays on the page
    assert stored(world.evaluation) == before
    assert not AuditEntry.objects.filter(action="item.self_assessment").exists()


def test_a_duplicated_row_is_rejected(world: World) -> None:
    client = client_for(world.people["coordinator"])
    content = edited(download(client, world.evaluation), duplicate_row)
    last = items_sheet(load_workbook(io.BytesIO(content))).max_row
    response = upload(client, world.evaluation, content)
    code = first_codes(world, 2)[1]
    assert problems(response) == [
        (
            "Butir",
            last,
            "A (Kode)",
            f"Butir {code} sudah ada di baris 3; setiap butir hanya satu baris.",
        )
    ]


def test_every_problem_of_a_workbook_is_listed_at_once(world: World) -> None:
    client = client_for(world.people["coordinator"])

    def change(book: Workbook) -> None:
        cell_at(2, "value", 9)(book)
        cell_at(4, "value", "lima")(book)
        cell_at(6, "code", "NOPE")(book)

    response = upload(client, world.evaluation, edited(download(client, world.evaluation), change))
    rows = [row for _s, row, _c, _p in problems(response)]
    assert rows == [2, 4, 6]


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ("OUT-2", 150, "Persentase harus antara 0 dan 100"),
        ("OUT-2", "banyak", "Nilai harus berupa angka"),
        ("IMP-1", 1.23456, "Paling banyak 4 angka di belakang koma"),
        ("IMP-1", 10**11, "Angka terlalu besar"),
    ],
)
def test_percentages_and_measures_are_checked(
    world: World, kinds: Evaluation, code: str, value: Any, words: str
) -> None:
    client = client_for(world.people["coordinator"])
    before = stored(kinds)
    response = upload(client, kinds, edited(download(client, kinds), fill(code, value)))
    [(sheet, _row, column, problem)] = problems(response)
    assert (sheet, column) == ("Butir", "J (Nilai (isi))")
    assert words in problem
    assert stored(kinds) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Kode,Nilai\nBAS-1,3\n", "bukan buku kerja Excel"),
        (b"PK\x03\x04" + b"\x00" * 200, "bukan buku kerja Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "Excel lama (.xls)"),
        (b"PK\x03\x04" + b"\x00" * MAX_UPLOAD_BYTES, "Berkas terlalu besar"),
    ],
    ids=["text", "corrupt zip", "old xls", "oversized"],
)
def test_a_file_that_is_not_a_workbook_is_refused(world: World, content: bytes, words: str) -> None:
    client = client_for(world.people["coordinator"])
    before = stored(world.evaluation)
    response = upload(client, world.evaluation, content, "isian.xlsx")
    assert response.status_code == 200
    assert any(words in error for error in refusals(response))
    assert b"isian.xlsx" in response.content
    assert response.context["preview"] is None
    assert stored(world.evaluation) == before


def test_a_cut_off_workbook_is_refused(world: World) -> None:
    client = client_for(world.people["coordinator"])
    content = download(client, world.evaluation)
    response = upload(client, world.evaluation, content[: len(content) // 2])
    assert "bukan buku kerja Excel" in refusals(response)[0]


def test_a_workbook_not_made_by_cityeval_is_rejected(world: World) -> None:
    book = NewWorkbook()
    output = io.BytesIO()
    book.save(output)
    client = client_for(world.people["coordinator"])
    response = upload(client, world.evaluation, output.getvalue())
    assert_rejected(
        response,
        [
            ("Butir", None, "—", "tidak ditemukan"),
            ("_meta", None, "—", "tidak ditemukan"),
        ],
    )


def test_a_workbook_of_another_region_is_recognised(world: World) -> None:
    semarang = download(client_for(world.people["other_coordinator"]), world.other)
    before = stored(world.evaluation)
    response = upload(client_for(world.people["coordinator"]), world.evaluation, semarang)
    assert_rejected(
        response,
        [("_meta", None, "—", "milik Kota Semarang (G100SC 2024 · Tahap I), bukan Kabupaten")],
    )
    assert stored(world.evaluation) == before


def test_a_workbook_of_another_cycle_of_the_region_is_recognised(world: World) -> None:
    later = open_cycle(
        year=2025,
        round=Round.ANNUAL,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[world.evaluation.region],
        deadlines=Deadlines(),
        user=world.people["admin"],
    )
    client = client_for(world.people["coordinator"])
    workbook = download(client, Evaluation.objects.get(cycle=later))
    response = upload(client, world.evaluation, workbook)
    assert_rejected(response, [("_meta", None, "—", "untuk evaluasi lain daerah ini")])


def test_a_workbook_of_an_older_framework_version_is_recognised(world: World) -> None:
    client = client_for(world.people["coordinator"])
    workbook = download(client, world.evaluation)
    # The program moved the cycle to another instrument version after the download.
    Cycle.objects.filter(pk=world.cycle.pk).update(
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2018")
    )
    response = upload(client, world.evaluation, workbook)
    assert_rejected(
        response, [("_meta", None, "—", "memakai instrumen G100SC@2022, sedangkan evaluasi")]
    )


def test_a_submitted_evaluation_takes_no_workbook(world: World) -> None:
    client = client_for(world.people["coordinator"])
    code = first_codes(world, 1)[0]
    workbook = edited(download(client, world.evaluation), fill(code, 3))
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=EvaluationStatus.SUBMITTED)
    before = stored(world.evaluation)
    response = upload(client, world.evaluation, workbook)
    assert_rejected(response, [("Butir", None, "—", "Terkunci: evaluasi berstatus")])
    assert stored(world.evaluation) == before


def test_after_the_deadline_there_is_nothing_to_download(world: World) -> None:
    Cycle.objects.filter(pk=world.cycle.pk).update(
        self_assessment_deadline=timezone.localdate() - timedelta(days=1)
    )
    client = client_for(world.people["coordinator"])
    response = client.get(f"/evaluations/{world.evaluation.pk}/workbook.xlsx", follow=True)
    assert response.redirect_chain[-1][0] == f"/evaluations/{world.evaluation.pk}/workbook/"
    assert "batas penilaian mandiri" in response.content.decode()


def test_in_clarification_only_the_reopened_items_take_changes(world: World) -> None:
    client = client_for(world.people["coordinator"])
    reopened, closed = first_codes(world, 2)
    workbook = download(client, world.evaluation)
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=EvaluationStatus.CLARIFICATION)
    ItemValue.objects.filter(evaluation=world.evaluation, indicator__code=reopened).update(
        review_status=ReviewStatus.CLARIFICATION
    )

    def change(book: Workbook) -> None:
        fill(reopened, 4)(book)
        fill(closed, 4)(book)

    before = stored(world.evaluation)
    response = upload(client, world.evaluation, edited(workbook, change))
    assert_rejected(
        response, [("Butir", 3, "J (Nilai (isi))", "hanya butir yang diminta klarifikasi")]
    )
    assert len(problems(response)) == 1
    assert stored(world.evaluation) == before
    # Without the closed item's change, the rest goes through.
    response = upload(client, world.evaluation, edited(workbook, fill(reopened, 4)))
    assert len(response.context["preview"].changes) == 1


def test_a_contributor_cannot_change_another_opds_item_with_a_coordinators_workbook(
    world: World,
) -> None:
    workbook = download(client_for(world.people["coordinator"]), world.evaluation)
    roads = ItemValue.objects.filter(evaluation=world.evaluation, opd=world.roads).first()
    health = ItemValue.objects.filter(evaluation=world.evaluation, opd=world.health).first()
    assert roads is not None
    assert health is not None

    def change(book: Workbook) -> None:
        fill(roads.indicator.code, 2)(book)
        fill(health.indicator.code, 2)(book)

    before = stored(world.evaluation)
    response = upload(
        client_for(world.people["contributor"]), world.evaluation, edited(workbook, change)
    )
    [(_sheet, _row, column, problem)] = problems(response)
    assert column == "J (Nilai (isi))"
    assert "tidak ditugaskan kepada perangkat daerah Anda" in problem
    assert stored(world.evaluation) == before


def test_a_row_added_for_an_item_outside_the_download_is_rejected(world: World) -> None:
    client = client_for(world.people["contributor"])
    roads = ItemValue.objects.filter(evaluation=world.evaluation, opd=world.roads).first()
    assert roads is not None

    def add_row(book: Workbook) -> None:
        sheet = items_sheet(book)
        row: list[object] = [None] * len(fmt.COLUMNS)
        row[fmt.INDEX["code"]] = roads.indicator.code
        row[fmt.INDEX["version"]] = roads.version
        row[fmt.INDEX["value"]] = 3
        sheet.append(row)

    response = upload(client, world.evaluation, edited(download(client, world.evaluation), add_row))
    [(_sheet, _row, column, problem)] = problems(response)
    assert column == "A (Kode)"
    assert "tidak termasuk buku kerja yang Anda unduh" in problem
    roads.refresh_from_db()
    assert roads.self_value is None


def test_a_reassigned_item_no_longer_takes_the_contributors_change(world: World) -> None:
    client = client_for(world.people["contributor"])
    item = ItemValue.objects.filter(evaluation=world.evaluation, opd=world.health).first()
    assert item is not None
    workbook = edited(download(client, world.evaluation), fill(item.indicator.code, 5))
    ItemValue.objects.filter(pk=item.pk).update(opd=world.roads, version=item.version + 1)
    response = upload(client, world.evaluation, workbook)
    assert "tidak ditugaskan" in problems(response)[0][3]
    assert ItemValue.objects.get(pk=item.pk).self_value is None


def test_an_unchanged_row_of_a_locked_item_is_not_a_problem(world: World) -> None:
    # A coordinator's full workbook, uploaded again in clarification with no change, is fine.
    client = client_for(world.people["coordinator"])
    workbook = download(client, world.evaluation)
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=EvaluationStatus.CLARIFICATION)
    response = upload(client, world.evaluation, workbook)
    assert response.context["problems"] == []
    assert response.context["preview"].changes == []
    assert ItemValue.objects.filter(self_value=Decimal(3)).count() == 0


def _spoil_items_sheet(content: bytes, change: Callable[[str], str]) -> bytes:
    part = "xl/worksheets/sheet2.xml"  # the guide, the items, the hidden identity
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part).decode()
    assert "<sheetData>" in xml
    return rezip(content, {part: change(xml)})


@pytest.mark.parametrize(
    ("change", "words"),
    [
        # Malformed XML in the sheet openpyxl parses lazily, row by row.
        (lambda xml: xml.replace("</sheetData>", "<row></sheetData>"), "tidak dapat dibaca"),
        # Well-formed, but a number cell that is not a number: openpyxl fails while reading rows.
        (lambda xml: xml.replace('t="n"><v>', 't="n"><v>abc', 1), "tidak dapat dibaca"),
        # openpyxl would pad every row to the declared size.
        (
            lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
            "terlalu besar: 1048576 baris",
        ),
    ],
    ids=["broken xml", "lazy read error", "declared dimension"],
)
def test_a_damaged_workbook_gets_a_message_not_a_server_error(
    world: World, change: Callable[[str], str], words: str
) -> None:
    client = client_for(world.people["coordinator"])
    before = stored(world.evaluation)
    content = edited(download(client, world.evaluation), fill(first_codes(world, 1)[0], 3))
    response = upload(client, world.evaluation, _spoil_items_sheet(content, change))
    assert response.status_code == 200
    assert any(words in error for error in refusals(response))
    assert response.context["preview"] is None
    assert stored(world.evaluation) == before


def test_a_zip_bomb_is_refused_before_it_is_parsed(world: World) -> None:
    client = client_for(world.people["coordinator"])
    before = stored(world.evaluation)
    response = upload(client, world.evaluation, zip_bomb(36))
    assert response.status_code == 200
    [error] = refusals(response)
    assert "Isi berkas terlalu besar setelah dibuka (36,0 MB; batasnya 10 MB)" in error
    assert stored(world.evaluation) == before
