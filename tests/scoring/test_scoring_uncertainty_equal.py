"""The rank uncertainty run gives the figures it gave before its counts were stored per draw.

The digests below were taken from the implementation that kept one band of rank counts per
region (before issue #13 §4): the same seed must give the same counts, percentiles, means,
group intervals and sensitivity, at several sizes and seeds, with and without groups and a
previous cycle.
"""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import compile_framework, value_matrix
from scoring.build import framework, maturity, node, percentage
from scoring.model import Aggregation, Framework, MissingPolicy
from scoring.montecarlo import TIE_PLACES, SegmentSums, rank_draws
from scoring.rank import rank_array
from scoring.uncertainty import MonteCarlo, Uncertainty, rank_uncertainty_matrix


def _framework() -> Framework:
    return framework(
        node(
            "index",
            1,
            maturity("top", 1),
            node(
                "a",
                2,
                node("a1", 3, maturity("a11", 1), maturity("a12", 2), maturity("a13", 0)),
                node("a2", 1, percentage("a21", 1), maturity("a22", 1)),
            ),
            node("b", 3, maturity("b1", 1), maturity("b2", 5)),
        )
    )


def _raw(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    codes = compile_framework(_framework()).item_codes
    rows = [
        {
            code: None
            if rng.random() < 0.15
            else D(int(rng.integers(1, (100 if code == "a21" else 5) + 1)))
            for code in codes
        }
        for _ in range(n)
    ]
    return value_matrix(compile_framework(_framework()), rows)


def _digest(result: Uncertainty) -> str:
    found = hashlib.sha256()
    for array in (result.nominal, result.median, result.low, result.high, result.mean):
        found.update(np.ascontiguousarray(array).tobytes())
    found.update(np.asarray(result.counts, dtype=np.int64).tobytes())
    found.update(repr((result.mean_shift, result.sensitivity)).encode())
    for name in sorted(result.groups):
        group = result.groups[name]
        for array in (group.members, group.nominal, group.median, group.low, group.high):
            found.update(name.encode() + np.ascontiguousarray(array).tobytes())
    return found.hexdigest()[:16]


CASES = {
    # (regions, data seed, draws, run seed, chunk, previous cycle, groups): digest
    (1, 0, 30, 0, 500, False, False): "b96f98bb4656cb87",
    (7, 1, 200, 7, 500, False, True): "540eb85c44cac9eb",
    (40, 2, 333, 2020, 64, True, False): "66b97353d66e8255",
    (120, 3, 500, 11, 500, True, True): "fa2e9eebc08cd752",
    (300, 4, 250, 5, 97, False, True): "8df2ece73ccf37c7",
}


@pytest.mark.parametrize("case", list(CASES))
def test_same_seed_same_figures_as_the_banded_counts(
    case: tuple[int, int, int, int, int, bool, bool],
) -> None:
    n, data_seed, draws, seed, chunk, with_previous, with_groups = case
    raw = _raw(n, data_seed)
    previous = _raw(n, data_seed + 100) if with_previous else None
    groups = None
    if with_groups:
        groups = {f"g{g}": list(range(g, n, 3)) for g in range(min(3, n))}
        groups["all"] = list(range(n))
    result = rank_uncertainty_matrix(
        _framework(),
        raw,
        previous=previous,
        settings=MonteCarlo(draws=draws, seed=seed, chunk=chunk, sensitivity_draws=20),
        groups=groups,
    )
    assert _digest(result) == CASES[case]


METHOD_CASES = {
    # The framework's own policy and aggregation: the one-at-a-time weight evaluations run under
    # them (reweighting's corrections, geometric means). Digests taken at commit a69b0d7, before
    # the kernel ranked by integer sort and summed reweighting in whole-array passes.
    # (regions, data seed, draws, run seed, chunk, policy, aggregation, previous): digest
    (60, 6, 300, 4, 128, "reweight", "geometric", True): "7cc503f01b4e5e8e",
    (200, 7, 400, 9, 500, "reweight", "arithmetic", False): "66d47b01b3f34a7e",
    (90, 8, 250, 13, 77, "carry_forward", "geometric", True): "5a6a4407a1aed3e9",
    (150, 9, 300, 21, 500, "lowest", "geometric", False): "d671394bac96d324",
}


@pytest.mark.parametrize("case", list(METHOD_CASES))
def test_same_seed_same_figures_under_each_nominal_method(
    case: tuple[int, int, int, int, int, str, str, bool],
) -> None:
    n, data_seed, draws, seed, chunk, policy, aggregation, with_previous = case
    fw = dataclasses.replace(
        _framework(), missing=MissingPolicy(policy), aggregation=Aggregation(aggregation)
    )
    result = rank_uncertainty_matrix(
        fw,
        _raw(n, data_seed),
        previous=_raw(n, data_seed + 100) if with_previous else None,
        settings=MonteCarlo(draws=draws, seed=seed, chunk=chunk, sensitivity_draws=25),
    )
    assert _digest(result) == METHOD_CASES[case]


def test_the_stored_counts_grow_linearly_in_the_regions() -> None:
    # A cohort four times larger whose ranks spread four times wider: a table of regions x
    # ranks (or one band of ranks per region) grows sixteenfold, the run's own store fourfold.
    settings = MonteCarlo(draws=60, seed=3, sensitivity_draws=1)
    small, large = (
        rank_uncertainty_matrix(_framework(), _raw(n, 9), settings=settings).counts.nbytes
        for n in (250, 1000)
    )
    assert large <= 4.2 * small


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 9),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.2, 1.0]),
)
def test_draw_ranks_are_competition_ranks_with_the_unindexed_last(
    n: int, draws: int, seed: int, holes: float
) -> None:
    # Few distinct values (ties), values 1e-12 apart (one tie at TIE_PLACES), NaN (no index).
    rng = np.random.default_rng(seed)
    index = rng.integers(0, 4, size=(n, draws)) / 3 + rng.integers(0, 2, size=(n, draws)) * 1e-12
    index[rng.random((n, draws)) < holes] = np.nan
    found = rank_draws(index)
    for d in range(draws):
        expected = rank_array(index[:, d], TIE_PLACES)
        expected[expected == 0] = 1 + int((expected > 0).sum())
        np.testing.assert_array_equal(found[d], expected)


def _competition_ranks(index: np.ndarray) -> np.ndarray:
    """The definition, one draw at a time: 1 + the regions whose key is strictly better, where
    the key is the index to TIE_PLACES decimals and no index (NaN) is worse than any."""
    keys = -np.floor(index.T * 10.0**TIE_PLACES + 0.5 + 1e-6)
    keys = np.where(np.isnan(keys), np.inf, keys)
    return np.asarray(1 + (keys[:, None, :] < keys[:, :, None]).sum(axis=2), dtype=np.int32)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 300),
    st.integers(1, 6),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.05, 1.0]),
    # 1: index-sized keys (integer sort); 1e7 and up: keys too wide to pack (argsort);
    # inf: an infinite index.
    st.sampled_from([1.0, -1.0, 1e4, 1e7, 1e12, np.inf]),
)
def test_draw_ranks_by_either_sort_are_the_competition_ranks_of_the_keys(
    n: int, draws: int, seed: int, holes: float, scale: float
) -> None:
    rng = np.random.default_rng(seed)
    index = rng.integers(0, 50, size=(n, draws)) / 7 + rng.integers(0, 2, size=(n, draws)) * 1e-12
    if np.isinf(scale):
        index[rng.random((n, draws)) < 0.1] = np.inf
    else:
        index *= scale
    index[rng.random((n, draws)) < holes] = np.nan
    np.testing.assert_array_equal(rank_draws(index), _competition_ranks(index))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=0, max_size=30), st.integers(0, 2**32 - 1))
def test_segment_sums_are_numpys_segment_sums_bit_for_bit(sizes: list[int], seed: int) -> None:
    # The kernel's reweighting sums, done in whole-array passes, must not move a single bit
    # (segments of 1 to 8 terms by passes, longer ones by numpy), or a draw's ranks could.
    rng = np.random.default_rng(seed)
    rows = rng.random((40, 6)) * 10.0 ** rng.integers(-8, 8, size=(40, 1))
    terms = rng.integers(0, 40, size=sum(sizes))
    bounds = np.cumsum([0, *sizes[:-1]]) if sizes else np.zeros(0, dtype=np.int64)
    found = SegmentSums.of(bounds, terms)(rows)
    if sizes:
        expected = np.add.reduceat(rows[terms], bounds, axis=0)
        assert found.tobytes() == expected.tobytes()
    else:
        assert found.shape == (0, 6)
