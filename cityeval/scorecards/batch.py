"""The scorecard PDFs of every region of a cycle, written to a folder (`scorecard_pdfs`).

Which regions: every PUBLISHED result of the cycle, since a scorecard PDF is a public document.
Program admins who want to read the results before publishing ask for the finalised ones too
(`include_drafts`); those files end in `-draf.pdf` and carry a draft banner on their first page.

Each file is written to a hidden temporary file in the same folder and renamed into place, so a
run that is killed leaves complete PDFs or none, never half of one. A region that fails is
reported with its error and the others go on.

Parallel runs use worker processes: WeasyPrint is pure Python and holds the GIL, so threads
would not help. The workers are started fresh ("spawn"), not forked: this process may already
run vl-convert's runtime threads, which a fork would copy mid-lock (a forked worker hung so in
testing). Workers get finished HTML and never open the database.
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from cityeval.evaluations import cycles
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.results.models import ResultSnapshot
from cityeval.scorecards.pdf import pdf_filename, scorecard_html
from cityeval.scorecards.printing import print_to_file, start_worker


class BatchError(Exception):
    """The batch cannot start: unknown cycle, nothing to print, or an unusable output folder."""


@dataclass(frozen=True)
class Job:
    evaluation_id: int
    region: str
    path: Path


@dataclass(frozen=True)
class Outcome:
    job: Job
    error: str = ""  # empty when the file was written
    size: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


def find_cycle(ref: str) -> Cycle:
    """A cycle by year (when the year has exactly one cycle) or by id (`evaluations.cycles`)."""
    try:
        return cycles.find_cycle(ref)
    except cycles.CycleNotFound as error:
        raise BatchError(str(error)) from None


def jobs_for(cycle: Cycle, output: Path, *, include_drafts: bool) -> list[Job]:
    """One job per region of the cycle with a result to print, in region code order."""
    statuses = [EvaluationStatus.PUBLISHED]
    if include_drafts:
        statuses.append(EvaluationStatus.FINALISED)
    evaluations = (
        Evaluation.objects.filter(cycle=cycle, status__in=statuses)
        .filter(pk__in=ResultSnapshot.objects.current().values("evaluation_id"))
        .select_related("cycle", "region")
        .order_by("region__code")
        .distinct()
    )
    jobs = [Job(e.pk, e.region.full_name, output / pdf_filename(e)) for e in evaluations]
    if not jobs:
        which = "published or finalised" if include_drafts else "published"
        hint = "" if include_drafts else " (--include-drafts adds finalised ones)"
        raise BatchError(f"{cycle} has no {which} results to print{hint}")
    return jobs


def prepare_output(folder: Path) -> None:
    """Create the folder if needed and prove that a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"cannot create the output folder {folder}: {error.strerror}") from None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as error:
        raise BatchError(f"cannot write in the output folder {folder}: {error.strerror}") from None


def render_job(job: Job, language: str) -> Outcome:
    """Render and write one region's PDF in this process; any failure becomes the error."""
    try:
        html = _html(job, language)
    except Exception as problem:  # one region's failure must not stop the others
        return Outcome(job, error=f"{type(problem).__name__}: {problem}")
    error, size = print_to_file(html, job.path)
    return Outcome(job, error=error, size=size)


def run(jobs: list[Job], language: str, workers: int = 1) -> Iterator[Outcome]:
    """Render every job, yielding each outcome as it finishes (in any order with workers).

    With workers, this process reads the database and draws the charts (the short part) and the
    workers lay the HTML out into PDF pages and write the files (the long part). At most two
    documents per worker wait in the queue, so memory stays flat for 514 regions.
    """
    if workers <= 1:
        for job in jobs:
            yield render_job(job, language)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker) as pool:
        pending: dict[Future[tuple[str, int]], Job] = {}
        for job in jobs:
            if len(pending) >= 2 * workers:
                yield from _finished(pending, wait(pending, return_when=FIRST_COMPLETED).done)
            try:
                html = _html(job, language)
            except Exception as error:  # one region's failure must not stop the others
                yield Outcome(job, error=f"{type(error).__name__}: {error}")
                continue
            pending[pool.submit(print_to_file, html, job.path)] = job
        yield from _finished(pending, wait(pending).done)


def _html(job: Job, language: str) -> str:
    evaluation = Evaluation.objects.select_related(
        "cycle__framework_version", "region__province"
    ).get(pk=job.evaluation_id)
    return scorecard_html(evaluation, language)


def _finished(
    pending: dict[Future[tuple[str, int]], Job], done: set[Future[tuple[str, int]]]
) -> Iterator[Outcome]:
    for future in done:
        job = pending.pop(future)
        try:
            error, size = future.result()
        except Exception as problem:  # a worker died: report its region, go on
            error, size = f"{type(problem).__name__}: {problem}", 0
        yield Outcome(job, error=error, size=size)
