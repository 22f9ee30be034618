"""A batch's done/total on the command line, until it finishes (the batch commands' `--queue`)."""

from __future__ import annotations

import time
from typing import IO, Any

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
