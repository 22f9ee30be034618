"""The preview of an uploaded workbook, made by a job: a worst-case file the upload limits accept
takes seconds to check and read (docs/decisions.md), longer than a request should wait.

The upload keeps the file under `MEDIA_ROOT/imports/` (a random name, never served) and queues
one `workbook_preview` job for the person and the evaluation. The job reads the whole workbook
(`workbook_import.read_workbook`, in the uploader's language) and keeps on the job either the
refusal and every problem, or the preview as plain ids and values (the rows to change with the
version they were read at, the conflicts, the count unchanged) with a one-time token. The page
of the job (`views.preview`) rebuilds what it shows from those ids (`stored_preview`), so it
shows the items as they are now.

Only the person's latest preview of the evaluation can be confirmed: a new upload replaces the
earlier one (its file is removed), as the session-held preview was replaced before. Confirming
locks the job, checks its token, marks it used and writes through `save_workbook_rows` in one
transaction; an item saved by someone else since the preview still rolls the write back (the
preview stays used, as before). The file is removed once the preview is confirmed, replaced, or
has nothing to confirm; the job runner removes it when the job fails, and the daily sweep
(`jobs/kept.py`) when it is older than a day (a preview never confirmed).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.accounts.models import User
from cityeval.evaluations.access import Can, capabilities
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evaluations.services import WorkbookRow, save_workbook_rows
from cityeval.jobs.kept import keep_upload, kept_path
from cityeval.jobs.models import Job, JobStatus
from cityeval.jobs.runner import enqueue, hold, mark_done
from cityeval.masterplans.importing import RowError
from cityeval.masterplans.upload import UploadRefused, opened_workbook, size_problem
from cityeval.workbooks.workbook_import import Change, Conflict, WorkbookRejected, read_workbook

KIND = "workbook_preview"


class PreviewExpired(Exception):
    """The token is not that of the person's latest preview, or it was used."""


@dataclass(frozen=True)
class StoredPreview:
    """What the preview page shows, rebuilt from a finished job's result."""

    filename: str
    downloaded_by: str
    rows: int  # rows of the downloaded workbook
    changes: list[Change]
    conflicts: list[Conflict]
    unchanged: int


def _file_of(job: Job) -> Path:
    return _file_in(job.params)


def _file_in(params: dict[str, Any]) -> Path:
    return kept_path(params.get("file", ""))


def _key_prefix(evaluation_id: int, user_id: int) -> str:
    return f"preview:workbook:{evaluation_id}:{user_id}:"


def _previews_of(*, evaluation_id: int, user_id: int) -> QuerySet[Job]:
    """The person's previews of the evaluation, newest first. Found by the prefix of the unique
    key (an index), not by the params: the job table holds every e-mail and PDF job too."""
    prefix = _key_prefix(evaluation_id, user_id)
    return Job.objects.filter(kind=KIND, key__startswith=prefix).order_by("-pk")


def queue_preview(*, evaluation: Evaluation, user: User, content: bytes, filename: str) -> Job:
    """Keep the upload and queue its preview (after the caller's transaction commits), replacing
    the person's earlier preview of the evaluation. An oversized file is refused here, at once;
    everything else is checked by the job, which checks the person's rights again."""
    if Can.FILL not in capabilities(user, evaluation):
        raise PermissionDenied
    problem = size_problem(len(content))
    if problem:
        raise UploadRefused(problem)
    name = keep_upload(content)
    with transaction.atomic():
        earlier = list(
            _previews_of(evaluation_id=evaluation.pk, user_id=user.pk).values_list(
                "params", flat=True
            )
        )
        job = enqueue(
            kind=KIND,
            key=_key_prefix(evaluation.pk, user.pk) + name,
            params={
                "evaluation": evaluation.pk,
                "region": evaluation.region_id,
                "user": user.pk,
                "file": name,
                "filename": filename,
            },
        )
    for params in earlier:
        _file_in(params).unlink(missing_ok=True)
    return job


def run_preview(job: Job) -> None:
    """The job: read the kept workbook, then keep the preview or the problems and mark the job
    done in one transaction."""
    path = _file_of(job)
    user = User.objects.filter(pk=job.params["user"], is_active=True).first()
    language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    # Read outside the transaction: it only reads, and SQLite's write lock would be held for
    # the seconds a large file takes. A second run reads again and finds the job done.
    with translation.override(language):
        result = _preview_result(job, user, path)
    with transaction.atomic():
        if not hold(job):
            return  # another worker holds or finished it
        Job.objects.filter(pk=job.pk).update(result=result)
        mark_done(job)
    if not result.get("token"):
        path.unlink(missing_ok=True)  # nothing to confirm: the file is no longer needed


def _preview_result(job: Job, user: User | None, path: Path) -> dict[str, Any]:
    evaluation = (
        Evaluation.objects.select_related("region", "cycle__framework_version")
        .filter(pk=job.params["evaluation"])
        .first()
    )
    if user is None or evaluation is None or Can.FILL not in capabilities(user, evaluation):
        return {"refused": _("Anda tidak lagi berhak mengisi evaluasi ini.")}
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return {"refused": _("Berkas ini sudah diganti unggahan yang lebih baru. Unggah lagi.")}
    try:
        with opened_workbook(content=content) as workbook:
            preview = read_workbook(workbook=workbook, evaluation=evaluation, user=user)
    except UploadRefused as refused:
        return {"refused": str(refused)}
    except WorkbookRejected as rejected:
        return {
            "rejected": str(rejected),
            "problems": [[e.sheet, e.row, e.column, e.problem] for e in rejected.errors],
        }
    return {
        "downloaded_by": preview.meta.downloaded_by,
        "rows": len(preview.meta.rows),
        "unchanged": preview.unchanged,
        "changes": [
            [c.row, c.item.pk, c.item.indicator.code, _text(c.value), c.narrative, c.item.version]
            for c in preview.changes
        ],
        "conflicts": [[c.row, c.item.pk, _text(c.value), c.narrative] for c in preview.conflicts],
        "token": secrets.token_urlsafe(16) if preview.changes else "",
        "used": False,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def problems_of(job: Job) -> list[RowError]:
    rows: Sequence[Sequence[Any]] = job.result.get("problems", [])
    return [RowError(sheet, row, column, problem) for sheet, row, column, problem in rows]


def stored_preview(job: Job, evaluation: Evaluation) -> StoredPreview | None:
    """The preview of a finished job, its items as the server holds them now; None when the
    job refused the file or is not finished."""
    result = job.result
    if job.status != JobStatus.DONE or "changes" not in result:
        return None
    ids = [row[1] for row in result["changes"]] + [row[1] for row in result["conflicts"]]
    items = ItemValue.objects.filter(evaluation=evaluation, pk__in=ids).select_related(
        "indicator", "updated_by"
    )
    found = {item.pk: item for item in items}
    changes = [
        Change(row, found[pk], _decimal(value), narrative)
        for row, pk, _code, value, narrative, _version in result["changes"]
        if pk in found
    ]
    conflicts = [
        Conflict(row, found[pk], _decimal(value), narrative)
        for row, pk, value, narrative in result["conflicts"]
        if pk in found
    ]
    return StoredPreview(
        filename=str(job.params.get("filename", "")),
        downloaded_by=str(result.get("downloaded_by", "")),
        rows=int(result.get("rows", 0)),
        changes=changes,
        conflicts=conflicts,
        unchanged=int(result.get("unchanged", 0)),
    )


def open_token(job: Job) -> str:
    """The token the page's confirm form carries: '' once used, replaced or with nothing to
    confirm."""
    token = str(job.result.get("token", "")) if job.status == JobStatus.DONE else ""
    if not token or job.result.get("used"):
        return ""
    latest = _previews_of(
        evaluation_id=job.params["evaluation"], user_id=job.params["user"]
    ).first()
    return token if latest is not None and latest.pk == job.pk else ""


def confirm_preview(*, evaluation: Evaluation, user: Actor, token: str) -> tuple[int, str]:
    """Write the person's latest preview of the evaluation if `token` is its own: (count of items
    written, file name). PreviewExpired for any other token or a used preview; the service's
    WorkflowError (a stale or locked item) after marking the preview used. PermissionDenied for
    a person who may not fill the evaluation (any more)."""
    if Can.FILL not in capabilities(user, evaluation):
        raise PermissionDenied
    with transaction.atomic():
        job = _previews_of(evaluation_id=evaluation.pk, user_id=user.pk).select_for_update().first()
        if (
            job is None
            or job.status != JobStatus.DONE
            or job.result.get("used")
            or not token
            or not secrets.compare_digest(str(job.result.get("token", "")), token)
        ):
            raise PreviewExpired
        job.result = {**job.result, "used": True}
        job.save(update_fields=["result"])
        filename = str(job.params.get("filename", ""))
        rows = [
            WorkbookRow(
                item_id=int(pk),
                code=str(code),
                value=_decimal(value),
                narrative=str(narrative),
                expected_version=int(version),
            )
            for _row, pk, code, value, narrative, version in job.result["changes"]
        ]
        # A savepoint: a stale item rolls the write back and the preview stays used.
        refused: WorkflowError | None = None
        try:
            with transaction.atomic():
                count = save_workbook_rows(
                    evaluation=evaluation, user=user, rows=rows, filename=filename
                )
        except WorkflowError as error:
            refused = error
    # The preview is on the job: the file is not needed again, whatever the outcome.
    _file_of(job).unlink(missing_ok=True)
    if refused is not None:
        raise refused
    return count, filename
