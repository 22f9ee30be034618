"""Benchmark: Monte Carlo rank uncertainty, 10,000 draws for 514 regions (G100SC-like).

Run with `uv run python bench/bench_uncertainty.py` (no Django). The instrument and the values
are those of `bench_scoring.py` (same seed): ~90 maturity items, ~2% missing, 514 regions.

1. `rank_uncertainty_matrix` with the default choices (weights ±25%, geometric half the time,
   lowest or reweight), sensitivity included: total seconds and seconds per draw.
2. The baseline, in the same run: the straightforward way, one draw at a time: build the
   perturbed `Framework`, `compile_framework` + `score_matrix` (already vectorised over
   regions) and `rank_array`. It runs on the first `BASELINE_DRAWS` draws of the same seeded
   sequence (a run of that many draws has the same draws) and is extrapolated per draw; its rank
   distribution is compared with the kernel's for those draws.

OpenBLAS threads: the kernel's products are small (514 x 90 x 500), and on a 2-core machine
OpenBLAS's thread hand-offs cost more than they save, so this script pins one BLAS thread unless
OPENBLAS_NUM_THREADS is already set (run `OPENBLAS_NUM_THREADS=2 uv run python ...` to compare).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import dataclasses
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))  # bench_scoring is a sibling script

from bench_scoring import SEED, g100sc_like, g100sc_values

from scoring import compile_framework, rank_array, score_matrix, value_matrix
from scoring.model import Aggregation
from scoring.montecarlo import TIE_PLACES, draw, kernel_for, perturbed
from scoring.uncertainty import MonteCarlo, rank_uncertainty_matrix

DRAWS = 10_000
BASELINE_DRAWS = 200
REGIONS = 514


def main() -> None:
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


if __name__ == "__main__":
    main()
