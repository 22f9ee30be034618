"""Offline Excel round-trip of a self-assessment: download, upload with a preview, confirm.

The preview's changes wait in the session (not the file: it is read in memory and never stored)
under a random token that the confirm form carries back, so a stale or replayed confirm page
writes nothing.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations.access import Can, capabilities, entry_lock_reason, evaluation_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.services import WorkbookRow, save_workbook_rows
from cityeval.masterplans.forms import ImportForm
from cityeval.masterplans.importing import RowError
from cityeval.masterplans.upload import UploadRefused, opened_workbook
from cityeval.workbooks.workbook_export import build_workbook, filename_for, workbook_items
from cityeval.workbooks.workbook_import import Preview, WorkbookRejected, read_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session_key(pk: int) -> str:
    return f"evaluations.workbook.{pk}"


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.FILL)
    items = workbook_items(request.user, evaluation)
    if not items:
        messages.error(
            request,
            entry_lock_reason(evaluation) or _("Tidak ada butir yang dapat Anda isi saat ini."),
        )
        return redirect("evaluations:workbook", pk=evaluation.pk)
    content = build_workbook(user=actor_of(request), evaluation=evaluation, items=items)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename_for(evaluation)}"'
    return response


@login_required
@require_form
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.FILL)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[RowError] = []
    preview: Preview | None = None
    token = ""
    filename = ""
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        filename = file.name or ""
        try:
            with opened_workbook(content=file.read()) as workbook:
                preview = read_workbook(
                    workbook=workbook, evaluation=evaluation, user=actor_of(request)
                )
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        except WorkbookRejected as rejected:
            problems = rejected.errors
            messages.error(request, str(rejected))
        else:
            token = _remember(request, evaluation.pk, filename, preview)
    elif posted:
        filename = getattr(request.FILES.get("file"), "name", "") or ""
    return render(
        request,
        "workbooks/workbook.html",
        {
            "evaluation": evaluation,
            "can": {c.value for c in capabilities(request.user, evaluation)},
            "lock_reason": entry_lock_reason(evaluation),
            "item_count": len(workbook_items(request.user, evaluation)),
            "form": form,
            "filename": filename,
            "problems": problems,
            "preview": preview,
            "token": token,
        },
    )


def _remember(request: HttpRequest, pk: int, filename: str, preview: Preview) -> str:
    """Keep the preview's changes for the confirm step; '' when there is nothing to confirm."""
    if not preview.changes:
        request.session.pop(_session_key(pk), None)
        return ""
    token = secrets.token_urlsafe(16)
    request.session[_session_key(pk)] = {
        "token": token,
        "filename": filename,
        "rows": [
            [
                change.item.pk,
                change.item.indicator.code,
                None if change.value is None else str(change.value),
                change.narrative,
                change.item.version,
            ]
            for change in preview.changes
        ],
    }
    return token


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.FILL)
    pending: dict[str, Any] | None = request.session.get(_session_key(evaluation.pk))
    if not pending or not secrets.compare_digest(
        str(pending.get("token", "")), request.POST.get("token", "")
    ):
        messages.error(
            request,
            _("Pratinjau ini sudah tidak berlaku. Unggah buku kerja lagi untuk membuat pratinjau."),
        )
        return redirect("evaluations:workbook", pk=evaluation.pk)
    rows = [
        WorkbookRow(
            item_id=int(item_id),
            code=str(code),
            value=None if value is None else Decimal(value),
            narrative=str(narrative),
            expected_version=int(version),
        )
        for item_id, code, value, narrative, version in pending["rows"]
    ]
    del request.session[_session_key(evaluation.pk)]
    try:
        count = save_workbook_rows(
            evaluation=evaluation, user=actor_of(request), rows=rows, filename=pending["filename"]
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("evaluations:workbook", pk=evaluation.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d butir disimpan dari %(file)s.",
            "%(count)d butir disimpan dari %(file)s.",
            count,
        )
        % {"count": count, "file": pending["filename"]},
    )
    return redirect("evaluations:items", pk=evaluation.pk)
