"""Helpers shared by the masterplan tests (fixtures are in conftest.py)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cityeval.masterplans.models import Masterplan, Program
from cityeval.masterplans.services import ProgramData
from cityeval.regions.models import OPD


def program_data(owner: OPD, **changes: object) -> ProgramData:
    values: dict[str, object] = {
        "code": "GOV-01",
        "name": "Mal Pelayanan Publik Digital",
        "element": "GOV-PS",
        "dimension": "GOV",
        "owner": owner,
        "budget": Decimal("1250000000"),
        "start_year": 2019,
        "end_year": 2022,
        "quick_win": True,
        "description": "",
    }
    values.update(changes)
    return ProgramData(**values)  # type: ignore[arg-type]


def make_program(masterplan: Masterplan, owner: OPD, **changes: object) -> Program:
    data = program_data(owner, **changes)
    return Program.objects.create(masterplan=masterplan, **data.__dict__)


def workbook_bytes(book: Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def open_bytes(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))
