"""The demo's job batch: the latest published cycle's scorecard PDFs of a few regions, queued
through the real batch code, so `/jobs/` shows a batch on the demo."""

from __future__ import annotations

import pytest

from cityeval.jobs.models import Job, JobStatus
from cityeval.jobs.runner import progress
from cityeval.operations.demo.jobs_demo import DEMO_PDF_REGIONS, create_demo_jobs
from cityeval.reports.services import publish_cycle
from cityeval.scorecards.stored import languages
from tests.world import Ranked, TeamWorld

pytestmark = pytest.mark.django_db


def test_it_queues_the_latest_published_cycles_first_regions_in_every_language(
    ranked: Ranked,
) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    batch = create_demo_jobs()
    assert batch is not None
    jobs = Job.objects.filter(batch=batch)
    codes = sorted(ranked.evaluations)[:DEMO_PDF_REGIONS]
    snapshots = {ranked.evaluations[code].snapshots.get(is_current=True).pk for code in codes}
    assert {job.params["snapshot"] for job in jobs} == snapshots
    assert {job.params["language"] for job in jobs} == set(languages())
    assert batch.total == jobs.count() == DEMO_PDF_REGIONS * len(languages())
    queued = {("scorecard_pdf", JobStatus.QUEUED)}
    assert set(jobs.values_list("kind", "status").distinct()) == queued
    assert progress(batch).done == 0


def test_it_queues_nothing_without_a_published_cycle(team_world: TeamWorld) -> None:
    assert create_demo_jobs() is None
    assert not Job.objects.exists()
