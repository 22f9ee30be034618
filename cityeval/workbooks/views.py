"""Offline Excel round-trip of a self-assessment: download, upload with a preview, confirm.

The upload only keeps the file and queues its preview (`queued.py`); the preview page shows the
job's state, then the preview with a one-time token that the confirm form carries back, so a
stale, replaced or replayed confirm page writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations.access import Can, capabilities, entry_lock_reason, evaluation_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation
from cityeval.jobs.models import Job, JobStatus
from cityeval.masterplans.forms import ImportForm
from cityeval.masterplans.upload import UploadRefused
from cityeval.workbooks.queued import KIND as PREVIEW_KIND
from cityeval.workbooks.queued import (
    PreviewExpired,
    confirm_preview,
    open_token,
    problems_of,
    queue_preview,
    stored_preview,
)
from cityeval.workbooks.workbook_export import build_workbook, filename_for, workbook_items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    filename = ""
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        filename = file.name or ""
        try:
            job = queue_preview(
                evaluation=evaluation,
                user=actor_of(request),
                content=file.read(),
                filename=filename,
            )
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("evaluations:workbook_preview", pk=evaluation.pk, job_id=job.pk)
    elif posted:
        filename = getattr(request.FILES.get("file"), "name", "") or ""
    return render(request, "workbooks/workbook.html", _page(request, evaluation, form, filename))


@login_required
@require_safe
def preview(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    """The state of a queued preview, then the preview with its confirm form or the problems.
    Only the person who uploaded sees it; anyone else gets a 404."""
    evaluation = evaluation_for(request.user, pk, Can.FILL)
    job = get_object_or_404(Job, pk=job_id, kind=PREVIEW_KIND)
    if job.params.get("evaluation") != evaluation.pk or job.params.get("user") != request.user.pk:
        raise Http404
    context = _page(request, evaluation, ImportForm(), str(job.params.get("filename", "")))
    context.update(
        {
            "job": job,
            "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
            "refused": job.result.get("refused", "") if job.status == JobStatus.DONE else "",
            "rejected": job.result.get("rejected", "") if job.status == JobStatus.DONE else "",
            "problems": problems_of(job) if job.status == JobStatus.DONE else [],
            "preview": stored_preview(job, evaluation),
            "token": open_token(job),
        }
    )
    return render(request, "workbooks/workbook.html", context)


def _page(
    request: HttpRequest, evaluation: Evaluation, form: ImportForm, filename: str
) -> dict[str, Any]:
    return {
        "evaluation": evaluation,
        "can": {c.value for c in capabilities(request.user, evaluation)},
        "lock_reason": entry_lock_reason(evaluation),
        "item_count": len(workbook_items(request.user, evaluation)),
        "form": form,
        "filename": filename,
        "job": None,
        "finished": True,
        "refused": "",
        "rejected": "",
        "problems": [],
        "preview": None,
        "token": "",
    }


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.FILL)
    try:
        count, filename = confirm_preview(
            evaluation=evaluation, user=actor_of(request), token=request.POST.get("token", "")
        )
    except PreviewExpired:
        messages.error(
            request,
            _("Pratinjau ini sudah tidak berlaku. Unggah buku kerja lagi untuk membuat pratinjau."),
        )
        return redirect("evaluations:workbook", pk=evaluation.pk)
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
        % {"count": count, "file": filename},
    )
    return redirect("evaluations:items", pk=evaluation.pk)
