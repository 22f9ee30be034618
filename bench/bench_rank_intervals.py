"""Benchmark: the rank intervals publishing stores, for 514 regions (G100SC-like), per cycle.

Run with `uv run python bench/bench_rank_intervals.py` (no Django). The instrument and values are
those of `bench_scoring.py` (same seed). The run is the application's (`cityeval.results.
uncertainty.SETTINGS`: 2,000 draws, seed 2017, sensitivity included) with 38 provinces and
8 peer groups as groups, as `refresh_rank_intervals` runs it inside the publishing transaction.

1. national only (no groups): the baseline, in the same run;
2. national + 46 groups ranked inside the same draws (`groups=`): what publishing pays;
3. the straightforward alternative: one run per group over its members alone (same seed, so the
   same intervals; a test holds them equal), measured on a few groups and extrapolated.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))  # bench_scoring is a sibling script

from bench_scoring import SEED, g100sc_like, g100sc_values

from scoring import compile_framework, value_matrix
from scoring.uncertainty import MonteCarlo, rank_uncertainty_matrix

REGIONS = 514
PROVINCES = 38
PEER_GROUPS = 8
SETTINGS = MonteCarlo(draws=2000, seed=2017)  # = cityeval.results.uncertainty.SETTINGS
SEPARATE_RUNS = 4  # groups run one by one for the straightforward alternative


def groups_for(rng: random.Random, n: int) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for row in range(n):
        groups.setdefault(f"province:{row % PROVINCES}", []).append(row)
    for g in range(PEER_GROUPS):
        size = rng.randint(20, 120)
        groups[f"peer:{g}"] = sorted(rng.sample(range(n), size))
    return groups


def main() -> None:
    rng = random.Random(SEED)
    fw = g100sc_like(rng)
    values = g100sc_values(rng, fw, REGIONS)
    regions = list(values)
    raw = value_matrix(compile_framework(fw), [values[r] for r in regions])
    groups = groups_for(rng, REGIONS)

    rank_uncertainty_matrix(fw, raw[:50], settings=MonteCarlo(draws=20))  # warm caches
    start = time.perf_counter()
    rank_uncertainty_matrix(fw, raw, regions=regions, settings=SETTINGS)
    national = time.perf_counter() - start

    start = time.perf_counter()
    grouped = rank_uncertainty_matrix(fw, raw, regions=regions, settings=SETTINGS, groups=groups)
    with_groups = time.perf_counter() - start

    some = list(groups)[: SEPARATE_RUNS // 2] + list(groups)[-SEPARATE_RUNS // 2 :]
    start = time.perf_counter()
    for name in some:
        alone = rank_uncertainty_matrix(fw, raw[groups[name]], settings=SETTINGS)
        assert np.array_equal(alone.high, grouped.groups[name].high)
    separate = (time.perf_counter() - start) / len(some) * len(groups) + national

    widths = grouped.high - grouped.low
    print(f"Rank intervals as published: {REGIONS} regions, {len(groups)} groups, ", end="")
    print(f"{SETTINGS.draws} draws, seed {SETTINGS.seed}")
    print(f"  BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"national only (baseline): {national:.2f} s")
    print(f"national + groups in the same draws: {with_groups:.2f} s ", end="")
    print(f"(ratio {with_groups / national:.2f} against the baseline)")
    print(f"one run per group (extrapolated from {len(some)}): {separate:.2f} s ", end="")
    print(f"(ratio {separate / national:.2f})")
    print(
        f"national 5-95% interval width: median {np.median(widths):.0f} ranks, max {widths.max()}"
    )
    top = grouped.most_influential
    if top is not None:
        print(f"most influential: {top.input} ({top.mean_shift:.1f} ranks on average)")


if __name__ == "__main__":
    main()
