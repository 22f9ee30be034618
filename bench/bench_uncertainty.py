"""Benchmark: Monte Carlo rank uncertainty, 10,000 draws for 514 regions (G100SC-like), and the
public path at 514 and 5,140 regions against the banded baseline and COINr.

Run with `uv run python bench/bench_uncertainty.py` (no Django; `--only naive` or `--only sizes`,
`--regions 514`, `--draws 500` to keep a run short). The instrument and the values are those of
`bench_scoring.py` (same seed): ~90 maturity items, ~2% missing, 514 regions.

1. `rank_uncertainty_matrix` with the default choices (weights ±25%, geometric half the time,
   lowest or reweight), sensitivity included: total seconds and seconds per draw.
2. The baseline, in the same run: the straightforward way, one draw at a time: build the
   perturbed `Framework`, `compile_framework` + `score_matrix` (already vectorised over
   regions) and `rank_array`. It runs on the first `BASELINE_DRAWS` draws of the same seeded
   sequence (a run of that many draws has the same draws) and is extrapolated per draw; its rank
   distribution is compared with the kernel's for those draws.

3. `sizes`: `rank_uncertainty_matrix` at 514 and 5,140 regions (`--regions`), `--draws` draws
   (default 2,000, the application's), per draw (best of `--repeats`) and peak traced memory
   (tracemalloc, a separate run), against, in the same run: the implementation before issue
   #13 §4 (`uncertainty_banded`: rank counts as one band of ranks per region) and the kernel
   alone (`rank_chunks` over the
   same draws, scores prepared), as quoted (the copy in `uncertainty_banded`) and now.
   COINr 1.1.14 cannot be installed here (no R); the issue quotes that kernel at 1,100-1,200x
   COINr per draw on this kind of machine, so COINr's per-draw time is estimated as
   `COINR_PER_KERNEL` (1,150) x the quoted kernel's per-draw time measured in this run, at
   each size.

OpenBLAS threads: the kernel's products are small (514 x 90 x 500), and on a 2-core machine
OpenBLAS's thread hand-offs cost more than they save, so this script pins one BLAS thread unless
OPENBLAS_NUM_THREADS is already set (run `OPENBLAS_NUM_THREADS=2 uv run python ...` to compare).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse
import dataclasses
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))  # bench_scoring is a sibling script

import uncertainty_banded
from bench_scoring import SEED, g100sc_like, g100sc_values

from scoring import compile_framework, rank_array, score_matrix, value_matrix
from scoring.model import Aggregation, Framework
from scoring.montecarlo import TIE_PLACES, draw, kernel_for, perturbed, rank_chunks
from scoring.uncertainty import (
    MonteCarlo,
    Uncertainty,
    _default_policies,
    _Prepares,
    rank_uncertainty_matrix,
)
from scoring.vector_normalise import FloatArray

DRAWS = 10_000
BASELINE_DRAWS = 200
REGIONS = 514
SIZES = (514, 5140)
COINR_PER_KERNEL = 1150  # COINr's per-draw time / the kernel's (quoted: 1,100-1,200x)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Monte Carlo rank uncertainty benchmark")
    parser.add_argument("--only", choices=("naive", "sizes"))
    parser.add_argument("--regions", type=int, action="append", help="repeatable; 514 and 5140")
    parser.add_argument("--draws", type=int, default=2000, help="draws of the `sizes` runs")
    parser.add_argument("--repeats", type=int, default=3, help="`sizes` timings: best of")
    args = parser.parse_args(argv)
    if args.only != "sizes":
        naive()
    if args.only != "naive":
        sizes(args.regions or list(SIZES), args.draws, args.repeats)


def naive() -> None:
    rng = random.Random(SEED)
    fw = g100sc_like(rng)
    values = g100sc_values(rng, fw, REGIONS)
    regions = list(values)
    compiled = compile_framework(fw)
    raw = value_matrix(compiled, [values[r] for r in regions])
    run = MonteCarlo(draws=DRAWS, seed=SEED)

    rank_uncertainty_matrix(fw, raw, regions=regions, settings=dataclasses.replace(run, draws=50))
    start = time.perf_counter()
    result = rank_uncertainty_matrix(fw, raw, regions=regions, settings=run)
    fast = time.perf_counter() - start

    # The same draws, one at a time.
    kernel = kernel_for(fw)
    policies = result.policies
    draws = draw(
        kernel,
        run.seed,
        run.draws,
        spread=run.weight_spread,
        geometric_share=run.geometric_share,
        policies=len(policies),
    )
    ranks = np.empty((BASELINE_DRAWS, REGIONS), dtype=np.int64)
    start = time.perf_counter()
    for d in range(BASELINE_DRAWS):
        geometric = bool(draws.geometric[d])
        one = perturbed(
            fw,
            draws.factors[d],
            aggregation=Aggregation.GEOMETRIC if geometric else Aggregation.ARITHMETIC,
            missing=policies[int(draws.policy[d])],
        )
        index = score_matrix(compile_framework(one), raw).index
        ranks[d] = rank_array(index, TIE_PLACES)
    slow = (time.perf_counter() - start) / BASELINE_DRAWS

    # The kernel's own ranks for those draws: the counts of a run limited to them.
    check = rank_uncertainty_matrix(
        fw, raw, regions=regions, settings=dataclasses.replace(run, draws=BASELINE_DRAWS)
    )
    counts = np.zeros_like(check.counts)
    for row in ranks:
        counts[np.arange(REGIONS), row - 1] += 1
    agree = np.array_equal(counts, check.counts)

    per_draw = fast / DRAWS
    print(f"Monte Carlo rank uncertainty: {REGIONS} regions x {len(compiled.item_codes)} items")
    print(
        f"  choices: weights ±{run.weight_spread:.0%}, geometric p={run.geometric_share}, "
        f"missing policy from {[p.value for p in policies]}"
    )
    print(f"  BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"vectorised, {DRAWS} draws (with sensitivity): {fast:.2f} s total, ", end="")
    print(f"{per_draw * 1e3:.3f} ms per draw")
    print(
        f"baseline (per-draw Framework + score_matrix + rank_array), measured on "
        f"{BASELINE_DRAWS} draws: {slow * 1e3:.2f} ms per draw, "
        f"extrapolated to {DRAWS} draws: {slow * DRAWS:.0f} s"
    )
    print(f"speed-up: {slow / per_draw:.0f}x per draw")
    print(f"check: rank distribution of the {BASELINE_DRAWS} baseline draws equal: {agree}")
    top = result.sensitivity[:3]
    print("most influential: " + ", ".join(f"{s.input} ({s.mean_shift:.1f})" for s in top))
    print(f"mean absolute rank shift, all choices together: {result.mean_shift:.1f}")


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _peak(work: Callable[[], object]) -> float:
    """Peak traced bytes (numpy reports its buffers to tracemalloc) while `work` runs, in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _same(a: Uncertainty, b: Uncertainty) -> bool:
    arrays = ("nominal", "median", "low", "high", "mean")
    return (
        all(np.array_equal(getattr(a, f), getattr(b, f)) for f in arrays)
        and a.mean_shift == b.mean_shift
        and a.sensitivity == b.sensitivity
        and all(
            np.array_equal(_row(a.counts, r), _row(b.counts, r))
            for r in range(0, len(a.regions), 7)
        )
    )


def _row(counts: Any, r: int) -> Any:
    """Region r's counts per rank, from either implementation's `band`."""
    best, band = counts.band(r)
    row = np.zeros(len(counts) + 2, dtype=np.int64)
    row[best : best + len(band)] = band
    return row


def _kernel_alone(fw: Framework, raw: FloatArray, run: MonteCarlo, ranks: Any) -> float:
    """Seconds of `ranks` (a `rank_chunks`) over the run's draws, scores prepared beforehand."""
    kernel = kernel_for(fw)
    policies = _default_policies(None)
    prepared = _Prepares(fw, kernel, raw, None)
    scores = [prepared[p] for p in policies]
    draws = draw(
        kernel,
        run.seed,
        run.draws,
        spread=run.weight_spread,
        geometric_share=run.geometric_share,
        policies=len(policies),
    )
    return _timed(lambda: [None for _ in ranks(kernel, scores, draws, run.chunk)])


def sizes(regions: list[int], n_draws: int, repeats: int) -> None:
    rng = random.Random(SEED)
    fw = g100sc_like(rng)
    compiled = compile_framework(fw)
    run = MonteCarlo(draws=n_draws, seed=SEED)
    rank_uncertainty_matrix(fw, np.ones((3, len(compiled.item_codes))), settings=run)  # warm
    print(f"rank_uncertainty_matrix, {n_draws} draws, sensitivity included; ms per draw")
    print(f"  COINr per draw estimated as {COINR_PER_KERNEL} x the quoted kernel's (issue #13)")
    for n in regions:
        values = g100sc_values(random.Random(SEED + n), fw, n)
        raw = value_matrix(compiled, list(values.values()))
        found: dict[str, Uncertainty] = {}

        def new(found: dict[str, Uncertainty] = found, raw: FloatArray = raw) -> None:
            found["new"] = rank_uncertainty_matrix(fw, raw, settings=run)

        def old(found: dict[str, Uncertainty] = found, raw: FloatArray = raw) -> None:
            found["old"] = uncertainty_banded.rank_uncertainty_matrix(fw, raw, settings=run)

        # Best of `repeats`, the four interleaved: the machine is shared.
        times: dict[str, list[float]] = {"quoted": [], "kernel": [], "now": [], "before": []}
        for _ in range(repeats):
            times["quoted"].append(_kernel_alone(fw, raw, run, uncertainty_banded.rank_chunks))
            times["kernel"].append(_kernel_alone(fw, raw, run, rank_chunks))
            times["now"].append(_timed(new))
            times["before"].append(_timed(old))
        quoted, kernel, now, before = (min(times[k]) / n_draws for k in times)
        coinr = COINR_PER_KERNEL * quoted
        peak_now, peak_before = _peak(new), _peak(old)
        print(f"{n} regions:")
        print(f"  kernel as quoted    {quoted * 1e3:8.3f} ms  (COINr ~{coinr * 1e3:.0f} ms)")
        print(f"  kernel now          {kernel * 1e3:8.3f} ms  {coinr / kernel:6.0f}x COINr")
        for name, seconds, peak, counts in (
            ("now", now, peak_now, found["new"].counts.nbytes),
            ("before (banded)", before, peak_before, found["old"].counts.nbytes),
        ):
            print(
                f"  {name:18}  {seconds * 1e3:8.3f} ms  {coinr / seconds:6.0f}x COINr  "
                f"{seconds / quoted:5.2f}x the quoted kernel  peak {peak:6.1f} MB  "
                f"counts {counts / 1e6:6.1f} MB"
            )
        ratio = peak_before / peak_now
        print(f"  speed-up over before: {before / now:.2f}x; peak memory {ratio:.1f}x less")
        print(f"  same figures as before: {_same(found['new'], found['old'])}")


if __name__ == "__main__":
    main()
