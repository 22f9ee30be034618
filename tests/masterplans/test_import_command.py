"""`manage.py import_programs FILE --region CODE`: the upload page's import for operators."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cityeval.audit.models import AuditEntry
from cityeval.masterplans.models import Masterplan, Program
from tests.masterplans.conftest import Opds, People
from tests.masterplans.helpers import workbook_bytes
from tests.masterplans.test_masterplan_import import VALID_ROW, template_sheet

pytestmark = pytest.mark.django_db


def sheet_file(masterplan: Masterplan, tmp_path: Path, *rows: list[object]) -> Path:
    book, sheet = template_sheet(masterplan)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "program.xlsx"
    path.write_bytes(workbook_bytes(book))
    return path


def test_it_imports_a_sheet_and_names_the_actor(
    masterplan: Masterplan, opds: Opds, people: People, tmp_path: Path
) -> None:
    path = sheet_file(masterplan, tmp_path, [*VALID_ROW, "berjalan", 40])
    out = StringIO()
    call_command(
        "import_programs", str(path), region="64.02", user=people.coordinator.username, stdout=out
    )
    assert "1 programs created, 0 updated, 1 yearly statuses" in out.getvalue()
    assert Program.objects.get().code == "GOV-01"
    entry = AuditEntry.objects.get(action="masterplan.import_programs")
    assert entry.actor == people.coordinator
    assert entry.note == "program.xlsx"


def test_it_lists_every_bad_row_and_writes_nothing(
    masterplan: Masterplan, opds: Opds, tmp_path: Path
) -> None:
    bad = [*VALID_ROW]
    bad[8] = "dua ribu"  # start year
    path = sheet_file(masterplan, tmp_path, bad)
    err = StringIO()
    with pytest.raises(CommandError, match="tidak ada yang disimpan"):
        call_command("import_programs", str(path), region="64.02", stderr=err)
    assert "sheet Program, row 2" in err.getvalue()
    assert not Program.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"region": "99.99"}, "no region has this code"),
        ({"region": "33.74"}, "has no masterplan yet"),
        ({"region": "64.02", "user": "nobody"}, "no such user"),
    ],
)
def test_it_refuses_an_unknown_region_user_or_missing_masterplan(
    masterplan: Masterplan,
    other_region: object,
    tmp_path: Path,
    arguments: dict[str, str],
    message: str,
) -> None:
    path = sheet_file(masterplan, tmp_path, [*VALID_ROW])
    with pytest.raises(CommandError, match=message):
        call_command("import_programs", str(path), **arguments)
    assert not Program.objects.exists()


def test_it_refuses_a_file_that_is_not_a_workbook(masterplan: Masterplan, tmp_path: Path) -> None:
    path = tmp_path / "program.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="bukan buku kerja Excel"):
        call_command("import_programs", str(path), region="64.02")
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_programs", str(tmp_path / "missing.xlsx"), region="64.02")
