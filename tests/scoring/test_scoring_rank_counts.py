"""Rank counts kept as each region's ranks: the same figures as the dense regions x ranks table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.rank_counts import RankCounts, RankHistogram


def _dense(n: int, chunks: list[np.ndarray]) -> Any:
    """The reference: every (region, rank) cell of an n x n table."""
    counts = np.zeros((n, n), dtype=np.int64)
    for ranks in chunks:
        for row in ranks:
            counts[np.arange(n), row - 1] += 1
    return counts


def _dense_percentile(counts: np.ndarray, q: float) -> Any:
    cumulative = counts.cumsum(axis=1)
    return (cumulative < q * cumulative[:, -1:] - 1e-9).sum(axis=1) + 1


def _banded(n: int, chunks: list[np.ndarray]) -> RankCounts:
    histogram = RankHistogram(n)
    for ranks in chunks:
        histogram.add(ranks)
    return histogram.frozen()


@st.composite
def _rank_chunks(draw: Any) -> tuple[int, list[np.ndarray]]:
    n = draw(st.integers(1, 12))
    sizes = draw(st.lists(st.integers(1, 6), min_size=1, max_size=5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Ranks drift between chunks so that bands have to widen on both sides.
    chunks = [rng.integers(1, n + 1, size=(size, n)) for size in sizes]
    return n, chunks


@settings(max_examples=200, deadline=None)
@given(_rank_chunks(), st.sampled_from([0.05, 0.1, 0.5, 0.9, 0.95]))
def test_bands_give_the_dense_tables_every_cell_percentile_and_mean(
    case: tuple[int, list[np.ndarray]], q: float
) -> None:
    n, chunks = case
    dense, banded = _dense(n, chunks), _banded(n, chunks)
    np.testing.assert_array_equal(np.asarray(banded), dense)
    np.testing.assert_array_equal(banded.percentile(q), _dense_percentile(dense, q))
    np.testing.assert_array_equal(banded.mean(), dense @ np.arange(1, n + 1) / dense.sum(axis=1))


@settings(max_examples=100, deadline=None)
@given(_rank_chunks())
def test_indexing_reads_like_the_dense_table(case: tuple[int, list[np.ndarray]]) -> None:
    n, chunks = case
    dense, banded = _dense(n, chunks), _banded(n, chunks)
    rows = np.arange(n)[::-1]
    keys: list[Any] = [
        (0, 0),
        (n - 1, -1),
        0,
        -1,
        (slice(None), 0),
        (slice(None), slice(None)),
        (slice(1, None, 2), slice(None, -1)),
        (rows, rows[::-1]),
        (rows, slice(None)),
        (slice(None), rows[:2]),
        (1 % n, rows),
        (rows[:, None], rows[None, :]),
    ]
    for key in keys:
        np.testing.assert_array_equal(banded[key], dense[key], err_msg=repr(key))
    assert banded.shape == dense.shape


def test_out_of_range_cells_are_refused_like_numpys() -> None:
    banded = _banded(3, [np.array([[1, 2, 3]])])
    with pytest.raises(IndexError):
        banded[3, 0]
    with pytest.raises(IndexError):
        banded[0, 3]
    with pytest.raises(IndexError):
        banded[0, 0, 0]


def test_counts_are_read_only_and_equal_by_content() -> None:
    first = _banded(3, [np.array([[1, 2, 3]]), np.array([[2, 1, 3]])])
    # The same counts reached through other bands (a widened band keeps zeros at its ends).
    second = _banded(3, [np.array([[2, 1, 3]]), np.array([[1, 2, 3]])])
    assert first == second
    assert first != _banded(3, [np.array([[1, 2, 3]]), np.array([[1, 2, 3]])])
    with pytest.raises(ValueError, match="read-only"):
        first.band(0)[1][0] = 5


def test_memory_is_two_bytes_per_region_and_draw_however_far_ranks_spread() -> None:
    # 4,000 regions taking any rank in 200 draws: the dense table (or one band of ranks per
    # region) would be 128 MB, the ranks themselves are 1.6 MB.
    n, rng = 4000, np.random.default_rng(1)
    histogram = RankHistogram(n, draws=200)
    for _ in range(4):
        histogram.add(rng.integers(1, n + 1, size=(50, n)))
    counts = histogram.frozen()
    assert counts.nbytes == n * 200 * 2
    assert counts[n // 2].sum() == 200


def test_a_histogram_sized_for_some_draws_refuses_more() -> None:
    histogram = RankHistogram(2, draws=1)
    histogram.add(np.array([[1, 2]]))
    with pytest.raises(ValueError, match="more draws"):
        histogram.add(np.array([[2, 1]]))


def test_a_histogram_without_draws_has_no_counts() -> None:
    with pytest.raises(ValueError, match="no draws"):
        RankHistogram(3).frozen()
