"""Uploads kept for a job: the file a queued import or preview reads in the worker.

One folder, `MEDIA_ROOT/imports/`, never served; each file has a random name and is written
atomically (a `.part` file renamed into place), so a worker never reads half a file. The job's
params hold only the name; `kept_path` takes the base name of what it is given, so a tampered
param cannot point outside the folder.

A job names its kept file in `params["file"]` (`PARAM`). The file goes when the job no longer
needs it: its own module removes it once read or confirmed; the runner removes a failed job's
(`discard`, when the job is left FAILED, so opening its page changes nothing); and the daily
scheduled sweep (`sweep_job`, in `CITYEVAL_JOB_SCHEDULE`) removes any file older than a day that
no queued or running job still waits for (a preview never confirmed, a request killed mid-write).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from cityeval.jobs.models import Job, JobStatus

PARAM = "file"
KEPT_FOR_SECONDS = 24 * 3600


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(content: bytes) -> str:
    """Write the upload into the folder under a new random name and return that name."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.xlsx"
    part = where / f".{name}.part"
    part.write_bytes(content)
    os.replace(part, where / name)
    return name


def kept_path(name: object) -> Path:
    """The kept file of this name (its base name only)."""
    return folder() / Path(str(name)).name


def discard(params: Mapping[str, Any]) -> None:
    """Remove the file a job's params name, if any (the job failed: nobody will read it)."""
    name = params.get(PARAM)
    if name:
        kept_path(name).unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Remove the kept files (and half-written parts) older than a day that no queued or running
    job names; returns how many went. A preview's result is on its job, so an unconfirmed
    preview can still be confirmed after its file has gone."""
    where = folder()
    if not where.is_dir():
        return 0
    waited_for = {
        str(params.get(PARAM))
        for params in Job.objects.filter(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).values_list("params", flat=True)
        if isinstance(params, dict)
    }
    oldest = (time.time() if now is None else now) - KEPT_FOR_SECONDS
    removed = 0
    for path in where.iterdir():
        if path.is_file() and path.name not in waited_for and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def sweep_job(job: Job) -> None:
    """The daily scheduled job (`CITYEVAL_JOB_SCHEDULE`)."""
    sweep()
