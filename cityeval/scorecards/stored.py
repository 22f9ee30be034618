"""Published scorecard PDFs rendered by jobs when results are published, served as files.

Publishing or reopening (`reports.services`) queues `publication_pdfs` for the cycle; that job
reads the current publication marker and queues one `scorecard_pdf` job per published result and
language as one batch (progress done/total on `/jobs/`), keyed by snapshot, language and marker:
the same state is never rendered twice, and a job whose marker is no longer current does nothing
(a newer publication has queued its own). A PDF is written to a temporary file and renamed into
place under a name holding its content hash, then recorded (`StoredScorecardPdf`): a worker killed
mid-render leaves no file and no record, and the job runs again.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cityeval.core.atomic import write_atomically
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.jobs.models import Job, JobBatch
from cityeval.jobs.runner import mark_done, start_batch
from cityeval.results.models import ResultSnapshot
from cityeval.results.publication import publication_marker
from cityeval.scorecards.models import StoredScorecardPdf
from cityeval.scorecards.pdf import scorecard_html
from cityeval.scorecards.printing import html_to_pdf

FOLDER = "scorecards"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def queue_cycle_pdfs(cycle: Cycle, *, limit: int | None = None, again: bool = False) -> JobBatch:
    """One batch rendering every published result of the cycle (the first `limit` regions by
    code, for the demo) in every language.

    A job's key names the state, so a publication's jobs run once; `again` (the command) gives
    the keys a fresh suffix: the state's jobs may have run already, and a key already taken
    queues nothing and never counts in the new batch (its done/total would wait for ever)."""
    marker = publication_marker()
    fresh = f":{uuid.uuid4().hex}" if again else ""
    snapshots = list(
        ResultSnapshot.objects.published()
        .filter(evaluation__cycle=cycle)
        .order_by("evaluation__region__code")
        .values_list("pk", flat=True)[:limit]
    )
    jobs = [
        (
            "scorecard_pdf",
            f"scorecard-pdf:{pk}:{language}:{marker}{fresh}",
            {"snapshot": pk, "language": language, "marker": marker},
        )
        for pk in snapshots
        for language in languages()
    ]
    return start_batch(title=f"PDF {cycle} #{marker}", jobs=jobs)


def queue_publication_pdfs(job: Job) -> None:
    """The job queued by a publication: the cycle's batch for the state now published."""
    cycle = Cycle.objects.filter(pk=job.params["cycle"]).first()
    if cycle is not None:
        queue_cycle_pdfs(cycle)


def render_stored_pdf(job: Job) -> None:
    """Render and keep one published scorecard PDF, unless the state it was queued for is gone."""
    marker = int(job.params["marker"])
    language = str(job.params["language"])
    snapshot = (
        ResultSnapshot.objects.published()
        .select_related("evaluation")
        .filter(pk=job.params["snapshot"])
        .first()
    )
    if snapshot is None or marker != publication_marker():
        mark_done(job)  # reopened, or superseded by a newer publication's batch
        return
    evaluation = Evaluation.objects.select_related(
        "cycle__framework_version", "region__province"
    ).get(pk=snapshot.evaluation_id)
    data = html_to_pdf(scorecard_html(evaluation, language))
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{FOLDER}/{evaluation.cycle_id}/{snapshot.pk}-{language}-{digest[:16]}.pdf"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, data)
    with transaction.atomic():
        old = (
            StoredScorecardPdf.objects.select_for_update()
            .filter(snapshot=snapshot, language=language)
            .first()
        )
        if old is not None and old.marker > marker:
            mark_done(job)  # a newer state's file is already there
            return
        StoredScorecardPdf.objects.update_or_create(
            snapshot=snapshot,
            language=language,
            defaults={"marker": marker, "path": relative, "sha256": digest, "size": len(data)},
        )
        mark_done(job)
        if old is not None and old.path != relative:
            stale = Path(settings.MEDIA_ROOT) / old.path
            transaction.on_commit(lambda: stale.unlink(missing_ok=True))


def stored_pdf(evaluation: Evaluation, language: str) -> Path | None:
    """The kept PDF of a published result for the current published state, if there is one."""
    if evaluation.status != EvaluationStatus.PUBLISHED:
        return None  # a reopened result's old PDF is never served
    row = (
        StoredScorecardPdf.objects.filter(
            snapshot__evaluation=evaluation,
            snapshot__is_current=True,
            language=language,
            marker=publication_marker(),
        )
        .only("path")
        .first()
    )
    if row is None:
        return None
    path = Path(settings.MEDIA_ROOT) / row.path
    return path if path.is_file() else None
