"""How often each region took each rank over Monte Carlo draws, in memory linear in the regions.

A region's ranks over the draws stay inside a band (its best to its worst rank seen), much
narrower than the cohort: at 5,140 regions a dense regions x ranks table would hold 26 million
counts (211 MB) where the bands hold a few hundred thousand. `RankHistogram` accumulates draws
into one band per region, widening a band (and moving the others along) when a draw falls
outside it; `RankCounts` is the frozen result. It reads like the dense table it replaces
(`counts[r, k]` = draws in which region r ranked k + 1, `counts[:, 0]`, `np.asarray(counts)`),
building only the cells asked for; `np.asarray` builds the whole table, so keep it for small
cohorts.

Percentiles (`percentile`) are ranks that occurred: the smallest rank whose cumulative share of
draws reaches q (inverted CDF), computed on the bands alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from scoring.vector_normalise import FloatArray, IntArray

Int32Array = npt.NDArray[np.int32]

Key = Any  # what numpy accepts as an index of a 2-D array
BLOCK = 1 << 20  # cells counted together


class RankHistogram:
    """Accumulates (draws x n) ranks 1..n into one band of counts per region."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.draws = 0
        self.low = np.zeros(n, dtype=np.int64)  # column (rank - 1) where each band starts
        self.high = np.full(n, -1, dtype=np.int64)  # last column of each band (inclusive)
        self.starts = np.zeros(n + 1, dtype=np.int64)  # band r is values[starts[r]:starts[r + 1]]
        self.values: Int32Array = np.zeros(0, dtype=np.int32)

    def add(self, ranks: npt.NDArray[np.integer[Any]]) -> None:
        if ranks.shape[0] == 0:
            return
        columns = np.asarray(ranks, dtype=np.int64) - 1
        low, high = columns.min(axis=0), columns.max(axis=0)
        if self.draws == 0:
            self._layout(low, high)
        elif (low < self.low).any() or (high > self.high).any():
            self._layout(np.minimum(low, self.low), np.maximum(high, self.high))
        columns += (self.starts[:-1] - self.low)[None, :]
        # Region blocks of about BLOCK cells: a count of all the bands at once would allocate a
        # temporary as large as the bands themselves on every chunk of draws.
        first = 0
        while first < self.n:
            last = int(np.searchsorted(self.starts, self.starts[first] + BLOCK, side="right"))
            last = min(max(last - 1, first + 1), self.n)
            base, end = self.starts[first], self.starts[last]
            found = np.bincount((columns[:, first:last] - base).ravel(), minlength=end - base)
            self.values[base:end] += found.astype(self.values.dtype)
            first = last
        self.draws += ranks.shape[0]

    def _layout(self, low: IntArray, high: IntArray) -> None:
        """Move the bands to [low, high] (each containing its old band)."""
        widths = high - low + 1
        starts = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(widths, out=starts[1:])
        values = np.zeros(int(starts[-1]), dtype=np.int32)  # a run has < 2**31 draws
        if self.values.size:
            old_widths = np.diff(self.starts)
            shift = (starts[:-1] + self.low - low) - self.starts[:-1]
            values[np.arange(self.values.size) + np.repeat(shift, old_widths)] = self.values
        self.low, self.high, self.starts, self.values = low, high, starts, values

    def frozen(self) -> RankCounts:
        if self.draws == 0:
            raise ValueError("no draws were counted")
        return RankCounts(self.n, self.low, self.starts, self.values)


class RankCounts:
    """regions x ranks draw counts, stored as one band per region (see the module docstring)."""

    __slots__ = ("_low", "_starts", "_values", "shape")

    ndim = 2
    dtype = np.dtype(np.int64)  # what cells read as (stored as int32)

    def __init__(self, n: int, low: IntArray, starts: IntArray, values: Int32Array) -> None:
        self.shape = (n, n)
        self._low, self._starts, self._values = low, starts, values
        for array in (low, starts, values):
            array.flags.writeable = False

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def nbytes(self) -> int:
        return int(self._low.nbytes + self._starts.nbytes + self._values.nbytes)

    def band(self, row: int) -> tuple[int, Int32Array]:
        """The region's best rank seen and its counts from that rank on (to its worst)."""
        return int(self._low[row]) + 1, self._values[self._starts[row] : self._starts[row + 1]]

    def percentile(self, q: float) -> IntArray:
        """Per region, the smallest rank whose cumulative share of draws reaches q."""
        return self.percentiles((q,))[0]

    def percentiles(self, qs: tuple[float, ...]) -> list[IntArray]:
        """`percentile` for several q, sharing one cumulative sum over the bands."""
        starts, widths = self._starts[:-1], np.diff(self._starts)
        cumulative = np.cumsum(self._values, dtype=np.int64)
        before = np.r_[0, cumulative][starts]  # counts of the bands before each region's
        within = cumulative - np.repeat(before, widths)
        totals = cumulative[self._starts[1:] - 1] - before
        found = []
        for q in qs:
            needed = q * totals - 1e-9  # tolerance: 0.05 x 10,000 must be exactly 500
            short = within < np.repeat(needed, widths)
            found.append(np.asarray(self._low + np.add.reduceat(short, starts) + 1, np.int64))
        return found

    def mean(self) -> FloatArray:
        """Per region, the mean rank over the draws."""
        starts = self._starts[:-1]
        widths = np.diff(self._starts)
        ranks = np.arange(self._values.size) - np.repeat(starts - self._low - 1, widths)
        values = self._values.astype(np.int64)
        totals = np.add.reduceat(values, starts)
        return np.asarray(np.add.reduceat(values * ranks, starts) / totals)

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
        offset = columns - self._low[rows]
        inside = (offset >= 0) & (offset < self._starts[rows + 1] - self._starts[rows])
        at = self._starts[rows] + np.where(inside, offset, 0)
        found = np.where(inside, self._values[np.minimum(at, self._values.size - 1)], 0)
        found = found.astype(np.int64)
        return found[()] if found.ndim == 0 else found

    def __array__(self, dtype: Any = None, copy: Any = None) -> IntArray:
        return np.asarray(self[:, :], dtype=dtype or np.int64)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RankCounts):
            return NotImplemented
        return self.shape == other.shape and all(
            np.array_equal(a, b)
            for a, b in zip(self._dense_parts(), other._dense_parts(), strict=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def _dense_parts(self) -> tuple[IntArray, IntArray, IntArray]:
        # Bands may be wider than needed (zeros at their ends); compare without them.
        n = self.shape[0]
        rows = np.repeat(np.arange(n), np.diff(self._starts))
        columns = np.arange(self._values.size) - np.repeat(
            self._starts[:-1] - self._low, np.diff(self._starts)
        )
        kept = self._values != 0
        return rows[kept], columns[kept], self._values[kept]

    def __repr__(self) -> str:
        return f"RankCounts({self.shape[0]} regions, {self._values.size} stored counts)"
