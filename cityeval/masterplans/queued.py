"""The program import of the page, run by a job: a 2,000-program sheet takes seconds to check
and read (docs/offline-workbook.md), longer than a request should wait.

The page keeps the upload under `MEDIA_ROOT/imports/` (a random name, never served) and queues
one job (`masterplan_import`); the job runs `services.import_programs` and marks itself done in
one transaction, so a worker killed mid-import leaves nothing written and the job runs again,
and one killed after the commit finds the job done: the sheet is never imported twice. Its
outcome (counts, or the refusal and every row problem) is kept on the job for the page that
shows its state (`views.import_job`). The `import_programs` command still imports at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cityeval.accounts.access import require_region_manager
from cityeval.accounts.models import User
from cityeval.jobs.kept import keep_upload, kept_path
from cityeval.jobs.models import Job
from cityeval.jobs.runner import enqueue, hold, mark_done
from cityeval.masterplans import services
from cityeval.masterplans.importing import ImportRejected
from cityeval.masterplans.models import Masterplan
from cityeval.masterplans.upload import UploadRefused, size_problem

KIND = "masterplan_import"


def queue_import(*, masterplan: Masterplan, user: User, content: bytes, filename: str) -> Job:
    """Keep the upload and queue its import (after the caller's transaction commits).
    Only the region's manager may (403 otherwise); an oversized file is refused here, at once;
    everything else is checked by the job, which checks the person's rights again."""
    require_region_manager(user, masterplan.region_id)
    problem = size_problem(len(content))
    if problem:
        raise UploadRefused(problem)
    name = keep_upload(content)
    return enqueue(
        kind=KIND,
        key=f"import:masterplan:{name}",
        params={
            "masterplan": masterplan.pk,
            "region": masterplan.region_id,
            "user": user.pk,
            "file": name,
            "filename": filename,
        },
    )


def run_import(job: Job) -> None:
    """The job: import the kept sheet, keep the outcome, mark done, in one transaction."""
    path = kept_path(job.params["file"])
    user = User.objects.filter(pk=job.params["user"]).first()
    language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    result: dict[str, Any]
    with transaction.atomic(), translation.override(language):
        if not hold(job):
            return  # another worker holds or finished it
        masterplan = Masterplan.objects.get(pk=job.params["masterplan"])
        try:
            with transaction.atomic():
                outcome = services.import_programs(
                    masterplan=masterplan,
                    user=user,
                    content=path.read_bytes(),
                    filename=str(job.params["filename"]),
                )
        except UploadRefused as refused:
            result = {"refused": str(refused)}
        except PermissionDenied:
            result = {"refused": _("Anda tidak lagi berhak mengelola masterplan daerah ini.")}
        except ImportRejected as rejected:
            result = {
                "rejected": str(rejected),
                "problems": [
                    {"sheet": e.sheet, "row": e.row, "column": e.column, "problem": e.problem}
                    for e in rejected.errors
                ],
            }
        else:
            result = {
                "created": len(outcome.created),
                "updated": len(outcome.updated),
                "years": outcome.years,
            }
        Job.objects.filter(pk=job.pk).update(result=result)
        mark_done(job)
    path.unlink(missing_ok=True)  # after the commit: a re-run before it still finds the file
