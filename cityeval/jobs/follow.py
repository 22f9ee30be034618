"""A batch's done/total on the command line, until it finishes (the batch commands' `--queue`)."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cityeval.jobs.models import JobBatch
from cityeval.jobs.runner import Progress, progress

POLL_SECONDS = 1.0  # how often the batch's progress is read


def follow_batch(batch: JobBatch, *, stream: IO[str] | Any, label: str, unit: str) -> Progress:
    """Show the batch's progress bar on `stream` until every job is done or failed."""
    with tqdm(total=batch.total, desc=label, unit=unit, file=stream) as bar:
        while True:
            shown = progress(batch)
            bar.n = shown.done + shown.failed
            bar.set_postfix_str(f"{shown.done}/{shown.total}", refresh=True)
            if shown.finished:
                return shown
            time.sleep(POLL_SECONDS)


def report_batch(
    command: BaseCommand, batch: JobBatch, *, label: str, unit: str, wait: bool = True
) -> None:
    """What a batch command prints once it has queued `batch`: the batch, then (unless `wait` is
    off) its progress bar on standard error until it finishes, done/failed, and an error when a
    job failed."""
    command.stdout.write(f"queued batch {batch.pk}: {batch.title} ({batch.total} {unit}s)")
    if not wait:
        return
    stream = getattr(command.stderr, "_out", sys.stderr)
    shown = follow_batch(batch, stream=stream, label=label, unit=unit)
    command.stdout.write(f"{shown.done}/{shown.total} done, {shown.failed} failed")
    if shown.failed:
        raise CommandError(f"{shown.failed} of {shown.total} {unit}s failed (see /jobs/)")
