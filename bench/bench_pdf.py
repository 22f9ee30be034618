"""Benchmark: one scorecard PDF, and the batch of a cycle's PDFs.

Needs the demo data (`CITYEVAL_DEBUG=1 python manage.py migrate && ... manage.py demo`); run
with `CITYEVAL_DEBUG=1 uv run python bench/bench_pdf.py [--batch N]`.

1. One PDF: Kutai Kartanegara's published 2019 scorecard rendered to PDF bytes, median of
   `REPEATS` after a warm-up (the first vl-convert call starts its JavaScript runtime, ~1 s),
   split into its parts (data, charts, WeasyPrint), against two baselines measured in the same
   run: the same scorecard as the HTML page through Django's test client, and WeasyPrint of a
   minimal one-page document (WeasyPrint's fixed cost).
2. The batch: the first N published regions of the 2019 cycle written to a temporary folder
   with one process and with two worker processes (seconds per PDF and the speed-up).

Times are wall-clock and CPU seconds; on a busy machine the wall-clock seconds grow with the
load, so compare the CPU seconds and the ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")

import django

django.setup()

from django.test import Client  # noqa: E402 (after django.setup())
from django.test.utils import setup_test_environment  # noqa: E402 (after django.setup())
from django.utils import translation  # noqa: E402 (after django.setup())

from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus  # noqa: E402 (after django.setup())
from cityeval.scorecards.batch import jobs_for, run  # noqa: E402 (after django.setup())
from cityeval.scorecards.data import scorecard  # noqa: E402 (after django.setup())
from cityeval.scorecards.pdf import chart_svgs, render_scorecard_pdf, scorecard_html  # noqa: E402 (after django.setup())
from cityeval.scorecards.printing import html_to_pdf  # noqa: E402 (after django.setup())

REPEATS = 7
REGION = "64.02"  # Kabupaten Kutai Kartanegara
YEAR = 2019
MINIMAL = "<!doctype html><html><body><h1>Kartu skor</h1><p>Indeks 2,13</p></body></html>"


def median_seconds(action: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (this process, every thread) after a warm-up."""
    action()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def one_pdf(evaluation: Evaluation) -> None:
    client = Client()
    page_url = f"/scorecard/{evaluation.pk}/"
    html = scorecard_html(evaluation, "id")

    def card_data() -> None:
        with translation.override("id"):
            scorecard(evaluation)

    def charts() -> None:
        with translation.override("id"):
            card = scorecard(evaluation)
        assert card is not None
        chart_svgs(card, "id")

    pdf = median_seconds(lambda: render_scorecard_pdf(evaluation, "id"))
    rows = [
        ("scorecard PDF (whole)", pdf),
        ("  data (scorecard())", median_seconds(card_data)),
        ("  data + 3 charts to SVG", median_seconds(charts)),
        ("  WeasyPrint: HTML to PDF", median_seconds(lambda: html_to_pdf(html))),
        ("baseline: the HTML page", median_seconds(lambda: client.get(page_url))),
        ("baseline: minimal PDF", median_seconds(lambda: html_to_pdf(MINIMAL))),
    ]
    size = len(render_scorecard_pdf(evaluation, "id"))
    print(f"One scorecard PDF ({evaluation.region.full_name} {YEAR}, {size // 1024} KiB)")
    print(f"median of {REPEATS} after a warm-up; CPU = this process's CPU seconds (all threads)")
    print(f"  {'':<28} {'wall':>7}   {'CPU':>7}")
    for label, (wall, cpu) in rows:
        print(f"  {label:<28} {wall:7.3f} s {cpu:7.3f} s")
    page, minimal = rows[4][1], rows[5][1]
    print(f"  PDF / HTML page     {pdf[0] / page[0]:6.1f}x wall  {pdf[1] / page[1]:6.1f}x CPU")
    wall, cpu = pdf[0] / minimal[0], pdf[1] / minimal[1]
    print(f"  PDF / minimal PDF   {wall:6.1f}x wall  {cpu:6.1f}x CPU")


def batch(count: int) -> None:
    cycle = Cycle.objects.get(year=YEAR)
    print(f"\nBatch: the first {count} published regions of {cycle}")
    results = []
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            jobs = jobs_for(cycle, Path(folder), include_drafts=False)[:count]
            started = time.perf_counter()
            failed = sum(1 for outcome in run(jobs, "id", workers) if not outcome.ok)
            seconds = time.perf_counter() - started
        results.append(seconds)
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}  {seconds:7.1f} s  "
            f"{seconds / len(jobs):6.2f} s per PDF  ({failed} failed)"
        )
    print(f"  speed-up with 2 workers  {results[0] / results[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=20, help="regions in the batch (0: skip)")
    options = parser.parse_args()
    setup_test_environment()  # the test client's host name
    evaluation = Evaluation.objects.select_related(
        "cycle__framework_version", "region__province"
    ).get(region__code=REGION, cycle__year=YEAR, status=EvaluationStatus.PUBLISHED)
    one_pdf(evaluation)
    if options.batch:
        batch(options.batch)


if __name__ == "__main__":
    main()
