"""Download, fill and upload a self-assessment workbook the way a clerk would, through the views."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.test import Client, TestCase
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cityeval.accounts.models import User
from cityeval.evaluations.models import Evaluation
from cityeval.workbooks import workbook_format as fmt
from tests.world import TEAM_PASSWORD as PASSWORD

COLUMN = {key: index + 1 for key, index in fmt.INDEX.items()}  # 1-based, as openpyxl counts


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def download(client: Client, evaluation: Evaluation) -> bytes:
    response = client.get(f"/evaluations/{evaluation.pk}/workbook.xlsx")
    assert response.status_code == 200, response
    return response.content


def edited(content: bytes, change: Callable[[Workbook], Any]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    change(book)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def items_sheet(book: Workbook) -> Worksheet:
    return book[fmt.ITEMS_SHEET]


def row_of(sheet: Worksheet, code: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=COLUMN["code"]).value == code:
            return row
    raise AssertionError(f"{code} is not in the workbook")


def text(sheet: Worksheet, row: int, key: str) -> str:
    return str(sheet.cell(row=row, column=COLUMN[key]).value or "")


def fill(code: str, value: Any, narrative: str | None = None) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        sheet = items_sheet(book)
        row = row_of(sheet, code)
        # Assigned, not passed to cell(): cell(value=None) would leave the old value.
        sheet.cell(row=row, column=COLUMN["value"]).value = value
        if narrative is not None:
            sheet.cell(row=row, column=COLUMN["narrative"]).value = narrative

    return change


def upload(client: Client, evaluation: Evaluation, content: bytes, name: str = "isian.xlsx") -> Any:
    """Post the file, run its preview job (queued after commit) and open the preview page the
    upload redirects to; a refusal at once (an oversized file, a wrong hand) is returned as is."""
    file = io.BytesIO(content)
    file.name = name
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/evaluations/{evaluation.pk}/workbook/", {"file": file})
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def refusals(response: Any) -> list[str]:
    """Why the file itself was refused: at once by the upload form, or later by the job."""
    refused = response.context["refused"]
    return [refused] if refused else list(response.context["form"].errors.get("file", []))


def confirm(client: Client, evaluation: Evaluation, token: str) -> Any:
    return client.post(f"/evaluations/{evaluation.pk}/workbook/confirm/", {"token": token})


def problems(response: Any) -> list[tuple[str, int | None, str, str]]:
    return [(p.sheet, p.row, p.column, p.problem) for p in response.context["problems"]]
