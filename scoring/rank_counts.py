"""How often each region took each rank over Monte Carlo draws, in memory linear in the regions.

A region's ranks over the draws can spread over a large part of the cohort: at 5,140 regions a
dense regions x ranks table holds 26 million counts (211 MB), and even one band of ranks per
region (its best to its worst rank seen) holds ~0.4 x regions² counts, so both grow with the
square of the regions. `RankHistogram` keeps instead each region's rank in each draw, as the
smallest integer type that holds a rank (2 bytes up to 65,535 regions): regions x draws, linear
in the regions for a given run, and filled by one strided copy per chunk of draws.
`RankCounts` is the frozen result. It reads like the dense table it replaces (`counts[r, k]` =
draws in which region r ranked k + 1, `counts[:, 0]`, `np.asarray(counts)`), counting only the
rows asked for; `np.asarray` builds the whole table, so keep it for small cohorts.

Percentiles (`percentile`) are ranks that occurred: the smallest rank whose cumulative share of
draws reaches q (inverted CDF), i.e. the region's m-th smallest rank for the smallest m >= q x
draws (less a tolerance of 1e-9, so that 0.05 x 10,000 is exactly 500). They count each
region's ranks (one `bincount` and a cumulative sum over blocks of regions, so that the
regions x ranks counts never exist all at once) when there are more draws than ranks, and
otherwise sort each region's draws (a radix sort for 2-byte ranks): work ~ regions x
min(draws, regions) either way.
The mean rank is an integer sum divided by the draws.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from scoring.vector_normalise import FloatArray, IntArray

Key = Any  # what numpy accepts as an index of a 2-D array
# Cells counted together: small enough that a block's temporaries (8 bytes a cell) stay in the
# cache and are reused block after block rather than mapped afresh (half the time of 1 << 20).
BLOCK = 1 << 16


def rank_dtype(n: int) -> np.dtype[Any]:
    """The smallest unsigned integer type that holds ranks 1..n."""
    return np.dtype(np.uint16 if n <= np.iinfo(np.uint16).max else np.uint32)


class RankHistogram:
    """Accumulates (draws x n) ranks 1..n, chunk after chunk, as one row of ranks per region.

    `draws`, when known, sizes the store once; otherwise chunks are kept and joined at the end.
    """

    def __init__(self, n: int, draws: int | None = None) -> None:
        self.n = n
        self.draws = 0
        self.dtype = rank_dtype(n)
        self.capacity = draws
        self.store: npt.NDArray[Any] | None = None
        self.pieces: list[npt.NDArray[Any]] = []
        if draws is not None:
            self.store = np.empty((n, draws), dtype=self.dtype)

    def add(self, ranks: npt.NDArray[np.integer[Any]]) -> None:
        d = ranks.shape[0]
        if d == 0:
            return
        if ranks.shape[1] != self.n:
            raise ValueError("give one rank per region in each draw")
        if self.store is None:
            self.pieces.append(np.asarray(ranks.T, dtype=self.dtype, order="C"))
        elif self.capacity is not None and self.draws + d > self.capacity:
            raise ValueError("more draws than the histogram was sized for")
        else:
            self.store[:, self.draws : self.draws + d] = ranks.T
        self.draws += d

    def frozen(self) -> RankCounts:
        if self.draws == 0:
            raise ValueError("no draws were counted")
        if self.store is None:
            ranks = np.hstack(self.pieces) if len(self.pieces) > 1 else self.pieces[0]
            self.pieces = []
        else:
            ranks = self.store if self.draws == self.capacity else self.store[:, : self.draws]
            self.store = None
        return RankCounts(self.n, np.ascontiguousarray(ranks))


class RankCounts:
    """regions x ranks draw counts, stored as each region's rank in each draw (see the module
    docstring)."""

    __slots__ = ("_ranks", "shape")

    ndim = 2
    dtype = np.dtype(np.int64)  # what cells read as

    def __init__(self, n: int, ranks: npt.NDArray[Any]) -> None:
        self.shape = (n, n)
        self._ranks = ranks  # n x draws
        ranks.flags.writeable = False

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def draws(self) -> int:
        return int(self._ranks.shape[1])

    @property
    def nbytes(self) -> int:
        return int(self._ranks.nbytes)

    def band(self, row: int) -> tuple[int, IntArray]:
        """The region's best rank seen and its counts from that rank on (to its worst)."""
        ranks = self._ranks[row]
        best = int(ranks.min())
        counts = np.bincount(ranks - best).astype(np.int64)
        counts.flags.writeable = False  # like the rest of the counts
        return best, counts

    def percentile(self, q: float) -> IntArray:
        """Per region, the smallest rank whose cumulative share of draws reaches q."""
        return self.percentiles((q,))[0]

    def percentiles(self, qs: tuple[float, ...]) -> list[IntArray]:
        """`percentile` for several q, sharing one count of each region's ranks."""
        n = self.shape[0]
        # The first rank whose cumulative count c reaches q x draws - 1e-9 (c >= that real
        # number <=> c >= its ceiling m): the region's m-th smallest rank, at least its best.
        needed = [max(1, math.ceil(q * float(self.draws) - 1e-9)) for q in qs]
        found = [np.empty(n, dtype=np.int64) for _ in qs]
        if self.draws < n + 1:
            # Fewer draws than ranks: sort each region's draws and read column m - 1.
            rows = max(1, BLOCK // self.draws)
            for first in range(0, n, rows):
                ordered = np.sort(self._ranks[first : first + rows], axis=1, kind="stable")
                for m, out in zip(needed, found, strict=True):
                    out[first : first + ordered.shape[0]] = ordered[:, m - 1]
            return found
        for first, cumulative in self._cumulative():
            # cumulative[:, k]: draws ranked k or better; k = 0 has none, so the count of
            # columns still short of m is the first rank that reaches it.
            for m, out in zip(needed, found, strict=True):
                out[first : first + cumulative.shape[0]] = (cumulative < m).sum(axis=1)
        return found

    def _cumulative(self) -> Iterator[tuple[int, IntArray]]:
        """(first row, rows x (n + 1) cumulative rank counts) in blocks of about BLOCK cells,
        so that the counts of a large cohort never exist all at once."""
        n = self.shape[0]
        rows = max(1, BLOCK // max(self.draws, n + 1))
        for first in range(0, n, rows):
            block = self._ranks[first : first + rows]
            offsets = (np.arange(block.shape[0], dtype=np.int64) * (n + 1))[:, None]
            counts = np.bincount((block + offsets).ravel(), minlength=block.shape[0] * (n + 1))
            yield first, np.cumsum(counts.reshape(block.shape[0], n + 1), axis=1)

    def mean(self) -> FloatArray:
        """Per region, the mean rank over the draws."""
        totals = self._ranks.sum(axis=1, dtype=np.int64)
        return np.asarray(totals / np.int64(self.draws))

    def __getitem__(self, key: Key) -> Any:
        if isinstance(key, tuple) and len(key) != 2:
            raise IndexError("rank counts are two-dimensional: give a row and a column")
        rows, columns = key if isinstance(key, tuple) else (key, slice(None))
        n = self.shape[0]
        row_basic, column_basic = isinstance(rows, slice), isinstance(columns, slice)
        r = np.arange(n)[rows]
        k = np.arange(n)[columns]
        # numpy's rules: a slice keeps its axis; two index arrays broadcast together.
        if row_basic:
            r = r.reshape(r.shape + (1,) * np.ndim(k))
        elif column_basic:
            r = np.asarray(r)[..., None]
        return self._cells(np.asarray(r), np.asarray(k))

    def _cells(self, rows: IntArray, columns: IntArray) -> Any:
        rows, columns = np.broadcast_arrays(rows, columns)
        flat_rows, flat_ranks = rows.ravel(), columns.ravel() + 1
        found = np.zeros(flat_rows.size, dtype=np.int64)
        # One region at a time: its ranks counted once for every cell asked for.
        order = np.argsort(flat_rows, kind="stable")
        ordered = flat_rows[order]
        bounds = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1], True])
        if not flat_rows.size:
            bounds = bounds[:0]
        for a, b in itertools.pairwise(bounds):
            cells = order[a:b]
            counts = np.bincount(self._ranks[int(ordered[a])], minlength=self.shape[0] + 1)
            found[cells] = counts[flat_ranks[cells]]
        shaped = found.reshape(rows.shape)
        return shaped[()] if shaped.ndim == 0 else shaped

    def __array__(self, dtype: Any = None, copy: Any = None) -> IntArray:
        n = self.shape[0]
        table = np.zeros((n, n), dtype=np.int64)
        for row in range(n):
            table[row] = np.bincount(self._ranks[row], minlength=n + 1)[1:]
        return np.asarray(table, dtype=dtype or np.int64)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RankCounts):
            return NotImplemented
        if self.shape != other.shape or self.draws != other.draws:
            return False
        # Equal counts: the same ranks per region, in whatever order of draws.
        return all(
            np.array_equal(np.sort(a, kind="stable"), np.sort(b, kind="stable"))
            for a, b in zip(self._ranks, other._ranks, strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RankCounts({self.shape[0]} regions, {self.draws} draws)"
