"""A small batch on the jobs page of the demo: the scorecard PDFs of a few regions of the latest
published cycle, queued through the real batch code (`scorecards.stored.queue_cycle_pdfs`).

The demo publishes without the PDF batch (rendering every region's scorecard would make the demo
slow to build); this batch of a few regions shows a new user what `/jobs/` does. With the
database job backend (`dev.py start`) the build only queues it and the local worker renders it
while the page shows its progress.
"""

from __future__ import annotations

from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.jobs.models import JobBatch
from cityeval.scorecards.stored import queue_cycle_pdfs

DEMO_PDF_REGIONS = 3


def create_demo_jobs() -> JobBatch | None:
    """Queue the latest published cycle's scorecard PDFs of the first few regions."""
    cycle = (
        Cycle.objects.filter(evaluations__status=EvaluationStatus.PUBLISHED)
        .order_by("-year", "-pk")
        .first()
    )
    if cycle is None:
        return None
    return queue_cycle_pdfs(cycle, limit=DEMO_PDF_REGIONS)
