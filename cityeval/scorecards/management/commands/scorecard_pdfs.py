"""`manage.py scorecard_pdfs --cycle 2019`: the scorecard PDF of every region of a cycle.

Into a folder (rendered here, `--jobs` processes), or with `--queue` as the published PDFs the
site serves, rendered by the job queue's workers while this shows the batch's done/total.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cityeval.evaluations.models import Cycle, Round
from cityeval.jobs.follow import report_batch
from cityeval.scorecards.batch import BatchError, find_cycle, jobs_for, prepare_output, run
from cityeval.scorecards.stored import queue_cycle_pdfs


class Command(BaseCommand):
    help = (
        "Write the scorecard PDF of every region of a cycle with a published result "
        "(with --include-drafts also the finalised ones, marked as drafts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", required=True, help="the cycle's year, or its id")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="id"
        )
        parser.add_argument(
            "--output", type=Path, help="folder for the PDFs (default: ./rapor-<program>-<year>)"
        )
        parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="render the published PDFs kept with the results through the job queue "
            "(served by the site) and show the batch's done/total until it finishes",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="with --queue: queue the batch and return"
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="also finalised results not yet published, for the admins' review",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["jobs"]
        if workers < 1:
            raise CommandError(f"--jobs must be 1 or more, not {workers}")
        language: str = options["language"]
        if options["queue"]:
            self.queue(options)
            return
        try:
            cycle = find_cycle(str(options["cycle"]))
            output: Path = options["output"] or Path.cwd() / _default_folder(cycle)
            jobs = jobs_for(cycle, output, include_drafts=options["include_drafts"])
            prepare_output(output)
        except BatchError as error:
            raise CommandError(str(error)) from None

        started = time.perf_counter()
        failed = []
        # tqdm needs the raw stream: Django's wrapper would end every redraw with a newline.
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=len(jobs), desc=str(cycle.year), unit="PDF", file=stream) as bar:
            for outcome in run(jobs, language, workers):
                if not outcome.ok:
                    failed.append(outcome)
                bar.set_postfix_str(outcome.job.region, refresh=False)
                bar.update(1)
        seconds = time.perf_counter() - started

        written = len(jobs) - len(failed)
        self.stdout.write(
            f"wrote {written} of {len(jobs)} scorecard PDFs of {cycle} ({language}) "
            f"to {output} in {seconds:.1f} s ({seconds / len(jobs):.2f} s per PDF, "
            f"{workers} worker{'s' if workers != 1 else ''})"
        )
        if failed:
            for outcome in failed:
                self.stderr.write(f"FAILED {outcome.job.region}: {outcome.error}")
            raise CommandError(f"{len(failed)} of {len(jobs)} PDFs failed (listed above)")

    def queue(self, options: dict[str, Any]) -> None:
        try:
            cycle = find_cycle(str(options["cycle"]))
        except BatchError as error:
            raise CommandError(str(error)) from None
        batch = queue_cycle_pdfs(cycle, again=True)
        report_batch(self, batch, label=str(cycle.year), unit="PDF", wait=not options["no_wait"])


def _default_folder(cycle: Cycle) -> str:
    name = f"rapor-{cycle.program.lower()}-{cycle.year}"
    return name if cycle.round == Round.ANNUAL else f"{name}-{cycle.round}"
