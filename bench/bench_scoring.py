"""Benchmark: a full national recompute (every index + national and provincial ranks).

Run with `uv run python bench/bench_scoring.py` (no Django). Two synthetic cases with seeded
random values:

1. G100SC-like: 5 evaluation dimensions (10/20/30/20/20) x 6 smart dimensions, 18 elements as
   tags, 4-6 maturity items per element (~90 items), 514 regencies/cities in 38 provinces.
2. 500 regions x 60 quantitative indicators, min-max over the regions, arithmetic aggregation.

Each is recomputed in the same run, `REPEATS` times; the table prints the median seconds per
recompute and the speed-up over the loop, over the exact reference and over COINr. What each row
times, from inputs already in memory (reading the database is inside no row):
- "vectorised, from arrays": `score_matrix` + ranks on a float matrix built beforehand (floats
  only: no official figure);
- "vectorised, from value dicts": the same, building the float matrix from the Decimal dicts;
- "exact loop (baseline)": `score_region` per region in Fractions + ranks;
- "score_regions_exact, figures read": the Fractions-only reference, every figure read;
- "official score_regions": the official path (floats with error bounds, ties decided exactly,
  published Decimals identical to `score_regions_exact`) from {region: {code: Decimal}}, the
  form the application built before; national and provincial ranks included, a region's
  figures made when first read (so not read here);
- "official score_regions, figures read": the same, then every published figure of every region
  read once (what finalisation stores);
- "official, scaled from a DB column" (and ", figures read"): the official path from the form
  the database hands over now (`cityeval/results/scaled.py`): one flat list of ints (the stored
  value x 10**4, None where NULL), made into `ScaledValues.from_flat` inside the timing, so no
  Decimal is made per value.
The last column compares with COINr 1.1.14's float build of 500 units x 60 indicators on this
kind of machine (a quoted figure, `COINR_SECONDS`: R is not installed here); five engineers
share two cores, so compare the ratios of one run, not seconds across runs.

    python bench/bench_scoring.py [--repeats N] [--only min-max|G100SC-like]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from scoring import (
    build_cohort,
    competition_ranks,
    compile_framework,
    group_ranks,
    rank_array,
    score_matrix,
    score_region,
    score_regions,
    value_matrix,
)
from scoring.batch import BatchScore, score_regions_exact
from scoring.build import framework, maturity, node, quantitative
from scoring.model import Framework, Indicator, ItemValues, MissingPolicy, Normalisation, Tag
from scoring.scaled import ScaledValues

REPEATS = 7
COINR_SECONDS = 0.0425  # COINr 1.1.14, float build, 500 units x 60 indicators (quoted)
SEED = 2020
DB_PLACES = 4  # ItemValue.verified_value's decimal_places
EVALUATION = [("baseline", 10), ("output", 20), ("outcome", 30), ("impact", 20), ("quickwin", 20)]
SMART = ["governance", "branding", "economy", "society", "living", "environment"]


def g100sc_like(rng: random.Random) -> Framework:
    tags = [Tag(d) for d in SMART] + [Tag(f"{d}.e{e}", d) for d in SMART for e in range(3)]
    items: dict[tuple[str, str], list[Indicator]] = {}
    for dimension in SMART:
        for element in range(3):
            for k in range(rng.randint(4, 6)):
                evaluation = EVALUATION[(element + k) % 5][0]
                code = f"{evaluation}.{dimension}.e{element}.{k}"
                item = maturity(code, rng.randint(1, 3), tags=(f"{dimension}.e{element}",))
                items.setdefault((evaluation, dimension), []).append(item)
    root = node(
        "index",
        1,
        *(
            node(ev, w, *(node(f"{ev}.{d}", 1, *items[(ev, d)]) for d in SMART))
            for ev, w in EVALUATION
        ),
    )
    return framework(root, code="g100sc-like", tags=tuple(tags), missing=MissingPolicy.LOWEST)


def g100sc_values(rng: random.Random, fw: Framework, regions: int) -> dict[str, ItemValues]:
    codes = compile_framework(fw).item_codes
    return {
        f"R{r:03d}": {
            c: Decimal(rng.randint(2, 10)) / 2 for c in codes if rng.random() > 0.02
        }  # half levels 1..5, ~2% missing
        for r in range(regions)
    }


def quantitative_case(rng: random.Random) -> Framework:
    groups = [
        node(f"pillar{p}", rng.randint(1, 4), *(
            quantitative(f"q{p}.{i}", rng.randint(1, 5), Normalisation.MIN_MAX) for i in range(10)
        ))
        for p in range(6)
    ]  # fmt: skip
    return framework(node("index", 1, *groups), code="quantitative-60")


def quantitative_values(rng: random.Random, fw: Framework, regions: int) -> dict[str, ItemValues]:
    codes = compile_framework(fw).item_codes
    return {
        f"Q{r:03d}": {c: Decimal(round(rng.lognormvariate(3, 1), 2)).quantize(Decimal("0.01"))
                      for c in codes}
        for r in range(regions)
    }  # fmt: skip


def median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> float:
    work()  # warm-up: caches, imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_every_figure(batch: BatchScore) -> int:
    """What finalisation does with a batch: every region's published figures, read once."""
    read = 0
    for score in batch.regions.values():
        read += len([score.index, *score.nodes.values(), *score.tags.values()])
        read += len(list(score.items.values()))
    return read


def run_case(
    name: str,
    fw: Framework,
    values: dict[str, ItemValues],
    rows: list[list[str]],
    repeats: int = REPEATS,
) -> None:
    regions = list(values)
    province = {region: f"P{n % 38:02d}" for n, region in enumerate(regions)}
    province_labels = np.array([province[r] for r in regions])
    compiled = compile_framework(fw)
    raw = value_matrix(compiled, [values[r] for r in regions])
    places = fw.rounding.places

    def vector_arrays() -> object:
        scores = score_matrix(compiled, raw)
        return rank_array(scores.index, places), rank_array(scores.index, places, province_labels)

    def vector_from_values() -> object:
        matrix = value_matrix(compiled, [values[r] for r in regions])
        scores = score_matrix(compiled, matrix)
        return rank_array(scores.index, places), rank_array(scores.index, places, province_labels)

    def decimal_loop() -> object:
        cohort = build_cohort(fw, values) if compiled.columns.by_method else None
        indices = {r: score_region(fw, values[r], cohort=cohort).index for r in regions}
        return competition_ranks(indices), group_ranks(indices, province)

    def decimal_official() -> object:
        return score_regions(fw, values, groups={"province": province})

    def decimal_official_read() -> object:
        return read_every_figure(score_regions(fw, values, groups={"province": province}))

    # What the database gives (`values_list(<units>, flat=True)` ordered by region and item).
    codes = list(compiled.item_codes)
    column = [
        None if (v := values[r].get(c)) is None else int(v.scaleb(DB_PLACES))
        for r in regions
        for c in codes
    ]

    def scaled() -> ScaledValues:
        return ScaledValues.from_flat(column, regions=regions, codes=codes, places=DB_PLACES)

    def scaled_official() -> object:
        return score_regions(fw, scaled(), groups={"province": province})

    def scaled_official_read() -> object:
        return read_every_figure(score_regions(fw, scaled(), groups={"province": province}))

    def decimal_exact() -> object:
        return read_every_figure(score_regions_exact(fw, values, groups={"province": province}))

    # The two paths must agree before their speed is worth comparing.
    official = score_regions(fw, values, groups={"province": province})
    fast = score_matrix(compiled, raw)
    exact = np.array(
        [float(official.regions[r].exact.nodes[compiled.node_codes[-1]] or 0) for r in regions]
    )
    gap = float(np.max(np.abs(exact - fast.index)))
    same_ranks = rank_array(fast.index, places).tolist() == [official.ranks[r] for r in regions]

    reference_batch = score_regions_exact(fw, values, groups={"province": province})
    identical = official == reference_batch
    scaled_identical = scaled_official() == reference_batch

    baseline = median_seconds(decimal_loop, repeats)
    reference = median_seconds(decimal_exact, repeats)
    label = f"{name}: {len(regions)} regions x {len(compiled.item_codes)} items"
    for path, work in [
        ("vectorised, from arrays", vector_arrays),
        ("vectorised, from value dicts", vector_from_values),
        ("exact loop (baseline)", decimal_loop),
        ("score_regions_exact, figures read", decimal_exact),
        ("official score_regions", decimal_official),
        ("official score_regions, figures read", decimal_official_read),
        ("official, scaled from a DB column", scaled_official),
        ("official, scaled from a DB column, figures read", scaled_official_read),
    ]:
        if work is decimal_loop:
            seconds = baseline
        elif work is decimal_exact:
            seconds = reference
        else:
            seconds = median_seconds(work, repeats)
        rows.append(
            [
                label,
                path,
                f"{seconds:.4f}",
                f"{baseline / seconds:.1f}x",
                f"{reference / seconds:.1f}x",
                f"{COINR_SECONDS / seconds:.2f}x",
            ]
        )
    rows.append(
        [
            label,
            f"check: max |float - exact| = {gap:.1e}, ranks equal: {same_ranks}, "
            f"official == exact: {identical}, scaled == exact: {scaled_identical}",
            "",
            "",
            "",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--only", choices=["G100SC-like", "min-max"])
    args = parser.parse_args()
    rng = random.Random(SEED)
    rows: list[list[str]] = []
    g100sc = g100sc_like(rng)
    g100sc_data = g100sc_values(rng, g100sc, 514)
    quant = quantitative_case(rng)
    quant_data = quantitative_values(rng, quant, 500)
    if args.only in (None, "G100SC-like"):
        run_case("G100SC-like", g100sc, g100sc_data, rows, args.repeats)
    if args.only in (None, "min-max"):
        run_case("min-max", quant, quant_data, rows, args.repeats)

    header = ["case", "path", "s/recompute", "vs loop", "vs exact", "vs COINr"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(
        "National recompute (all indices + national and provincial ranks), "
        f"median of {args.repeats}; vs COINr: its quoted {COINR_SECONDS} s for 500 x 60"
    )
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        print("  ".join(cells).rstrip())


if __name__ == "__main__":
    main()
