"""The rank uncertainty run as it was before issue #13 §4: the baseline `bench_uncertainty.py` and
`bench_rank_intervals.py` measure in the same run (not used by the application or the tests).

A frozen copy of `scoring.uncertainty.rank_uncertainty_matrix`, `scoring.rank_counts` and the
kernel of `scoring.montecarlo` (`shares`, `item_weights`, `evaluate`, `rank_draws`,
`rank_chunks`: the kernel the issue quotes at 1,100-1,200x COINr per draw, whose time in this
run gives the COINr estimate, so it must not move with the live kernel) as of commit 411d539:
rank counts accumulated into one band of ranks per region (memory ~ regions x band width, which
grows with the regions), and every one-at-a-time sensitivity evaluation preparing its policy's
scores again. Only `prepare` (outside the timed kernel) is shared with the live code.
"""

# ruff: noqa

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from scoring.model import Aggregation, Framework, MissingPolicy
from scoring.montecarlo import Draws, Int32Array, Kernel, Prepared, draw, kernel_for, prepare
from scoring.montecarlo import TIE_PLACES
from scoring.rank import rank_array
from scoring.uncertainty import GroupUncertainty, InputSensitivity, MonteCarlo, Uncertainty
from scoring.uncertainty import within_group
from scoring.vector import compile_framework, scale_matrix, score_matrix
from scoring.vector_normalise import FloatArray, IntArray

ArrayT = TypeVar("ArrayT", bound=npt.NDArray[Any])
Key = Any
BLOCK = 1 << 20


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


class RankCounts:  # only what the run reads
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


def rank_uncertainty_matrix(
    framework: Framework,
    raw: FloatArray,
    *,
    regions: Sequence[str] | None = None,
    previous: FloatArray | None = None,
    settings: MonteCarlo | None = None,
    groups: Mapping[str, Sequence[int]] | None = None,
) -> Uncertainty:
    """The same from a (regions x items) raw value array (`value_matrix`), NaN = missing.

    `groups`: name -> row positions of its members; each gets its own ranks and intervals.
    """
    settings = settings or MonteCarlo()
    raw = np.asarray(raw, dtype=np.float64)
    n_regions = raw.shape[0]
    names = tuple(regions) if regions is not None else tuple(str(r) for r in range(n_regions))
    if len(names) != n_regions or n_regions == 0:
        raise ValueError("give one region name per row, and at least one region")
    policies = settings.policies or _default_policies(previous)
    if MissingPolicy.CARRY_FORWARD in policies and previous is None:
        raise ValueError("carry_forward needs the previous cycle's values")
    kernel = kernel_for(framework)
    scores = [_scores(framework, kernel, raw, previous, policy) for policy in policies]
    nominal_index = score_matrix(compile_framework(framework), raw, previous=previous).index
    nominal = rank_array(nominal_index, framework.rounding.places)

    draws = draw(
        kernel,
        settings.seed,
        settings.draws,
        spread=settings.weight_spread,
        geometric_share=settings.geometric_share,
        policies=len(policies),
    )
    reference = _reference(framework, kernel, raw, previous)
    national = RankHistogram(n_regions)
    members = {name: _members(rows, n_regions) for name, rows in (groups or {}).items()}
    histograms = {name: RankHistogram(len(m)) for name, m in members.items()}
    shift = 0
    for ranks in rank_chunks(kernel, scores, draws, settings.chunk):
        national.add(ranks)
        for name, rows in members.items():
            histograms[name].add(within_group(ranks[:, rows]))
        shift += int(np.abs(ranks - reference).sum())

    counts = national.frozen()
    group_counts = {name: histogram.frozen() for name, histogram in histograms.items()}
    low_q, high_q = settings.interval
    median, low, high = counts.percentiles((0.5, low_q, high_q))
    return Uncertainty(
        regions=names,
        nominal=_frozen(nominal),
        median=_frozen(median),
        low=_frozen(low),
        high=_frozen(high),
        mean=_frozen(counts.mean()),
        counts=counts,  # type: ignore[arg-type]  # the old banded counts
        mean_shift=shift / (settings.draws * n_regions),
        sensitivity=_sensitivity(
            framework, kernel, raw, previous, reference, draws, policies, settings
        ),
        policies=policies,
        settings=settings,
        groups={
            name: GroupUncertainty(
                members=_frozen(rows),
                nominal=_frozen(_nominal_within(nominal[rows])),
                **_intervals(group_counts[name], settings),
            )
            for name, rows in members.items()
        },
    )


def _intervals(counts: RankCounts, settings: MonteCarlo) -> dict[str, IntArray]:
    found = counts.percentiles((0.5, *settings.interval))
    return dict(zip(("median", "low", "high"), (_frozen(a) for a in found), strict=True))


def _members(rows: Sequence[int], n_regions: int) -> IntArray:
    found = np.asarray(list(rows), dtype=np.int64)
    if found.size == 0 or found.min() < 0 or found.max() >= n_regions:
        raise ValueError("a group needs at least one member, each a row of the values")
    if np.unique(found).size != found.size:
        raise ValueError("a group lists a region twice")
    return found


def _nominal_within(nominal: IntArray) -> IntArray:
    """Official ranks inside a group from national ones; unranked (0) members stay 0."""
    ranked = nominal > 0
    found = np.zeros(nominal.shape, dtype=np.int64)
    if ranked.any():
        found[ranked] = within_group(nominal[ranked][None, :])[0]
    return found


def _default_policies(previous: FloatArray | None) -> tuple[MissingPolicy, ...]:
    policies = (MissingPolicy.LOWEST, MissingPolicy.REWEIGHT)
    return policies if previous is None else (*policies, MissingPolicy.CARRY_FORWARD)


def _scores(
    framework: Framework,
    kernel: Kernel,
    raw: FloatArray,
    previous: FloatArray | None,
    policy: MissingPolicy,
) -> Prepared:
    compiled = compile_framework(dataclasses.replace(framework, missing=policy))
    return prepare(kernel, scale_matrix(compiled, raw, previous=previous))


def _reference(
    framework: Framework, kernel: Kernel, raw: FloatArray, previous: FloatArray | None
) -> Int32Array:
    """The nominal choices ranked like a draw: no perturbation, the framework's own methods."""
    ranks = _oat(framework, kernel, raw, previous, np.ones((1, len(kernel.edge_codes))))
    return np.asarray(ranks[0], dtype=np.int32)


def _oat(
    framework: Framework,
    kernel: Kernel,
    raw: FloatArray,
    previous: FloatArray | None,
    factors: FloatArray,
    *,
    aggregation: Aggregation | None = None,
    policy: MissingPolicy | None = None,
) -> Int32Array:
    """Ranks (draws x regions) with these factors and one aggregation and policy for all."""
    chosen = policy or framework.missing
    geometric = (aggregation or framework.aggregation) is Aggregation.GEOMETRIC
    n = factors.shape[0]
    draws = Draws(
        factors=factors,
        geometric=np.full(n, geometric),
        policy=np.zeros(n, dtype=np.int64),
    )
    scores = [_scores(framework, kernel, raw, previous, chosen)]
    return np.vstack(list(rank_chunks(kernel, scores, draws, max(n, 1))))


def _sensitivity(
    framework: Framework,
    kernel: Kernel,
    raw: FloatArray,
    previous: FloatArray | None,
    reference: Int32Array,
    draws: Draws,
    policies: tuple[MissingPolicy, ...],
    settings: MonteCarlo,
) -> tuple[InputSensitivity, ...]:
    found: list[InputSensitivity] = []

    def add(name: str, ranks: Iterable[Int32Array]) -> None:
        shifts = np.vstack([np.abs(r - reference) for r in ranks])
        found.append(InputSensitivity(name, float(shifts.mean()), int(shifts.max())))

    if settings.weight_spread > 0:
        # The run's own first draws, with every factor outside the group reset to 1.
        factors = draws.factors[: settings.sensitivity_draws]
        for g, code in enumerate(kernel.group_codes):
            alone = np.where(kernel.group == g, factors, 1.0)
            add(f"weights:{code}", [_oat(framework, kernel, raw, previous, alone)])
    ones = np.ones((1, len(kernel.edge_codes)))
    drawn = {Aggregation.GEOMETRIC} if settings.geometric_share > 0 else set()
    if settings.geometric_share < 1:
        drawn.add(Aggregation.ARITHMETIC)
    others = [a for a in Aggregation if a in drawn and a is not framework.aggregation]
    if others:
        add(
            "aggregation",
            [_oat(framework, kernel, raw, previous, ones, aggregation=a) for a in others],
        )
    nominal_policy = framework.missing
    alternatives = [p for p in policies if p is not nominal_policy]
    if alternatives:
        add(
            "missing",
            [_oat(framework, kernel, raw, previous, ones, policy=p) for p in alternatives],
        )
    return tuple(sorted(found, key=lambda s: (-s.mean_shift, s.input)))


def _frozen(array: ArrayT) -> ArrayT:
    # Results are frozen dataclasses: their arrays must not change under a reader either.
    array.flags.writeable = False
    return array


def shares(kernel: Kernel, factors: FloatArray) -> FloatArray:
    """D x E: each edge's share of its parent after perturbation (rows of siblings sum to 1)."""
    raw = factors * kernel.weights
    # Siblings are contiguous edges: a segment sum, cheaper than a tiny BLAS product.
    sums = np.add.reduceat(raw, kernel.first_edge, axis=1)
    return np.asarray(raw / sums[:, kernel.parent], dtype=np.float64)


def item_weights(kernel: Kernel, edge_shares: FloatArray) -> FloatArray:
    """D x items: every item's share of the index, the product of the shares on its path."""
    padded = np.hstack([edge_shares, np.ones((edge_shares.shape[0], 1))])
    return np.asarray(padded[:, kernel.paths].prod(axis=2), dtype=np.float64)


def evaluate(
    kernel: Kernel, prepared: Prepared, edge_shares: FloatArray, *, geometric: bool
) -> FloatArray:
    """R x D indices; geometric draws are arithmetic means of logs, exponentiated at the end."""
    weights = item_weights(kernel, edge_shares)[:, kernel.active].T  # active x D
    values = prepared.logs if geometric else prepared.values
    index = values @ weights
    if prepared.regions.size:
        gone = np.add.reduceat(edge_shares.T[prepared.absent_edges], prepared.absent_bounds)
        with np.errstate(divide="ignore"):
            inverse = 1.0 / (1.0 - gone)  # 1/Z, P x D
        subtree = (prepared.subtree_logs if geometric else prepared.subtree_values) @ weights
        child, parent = prepared.links
        log_above = np.zeros_like(inverse)
        np.add.at(log_above, child, np.log(inverse[parent]))
        correction = np.exp(log_above) * (inverse - 1.0) * subtree
        index[prepared.owners] += np.add.reduceat(correction, prepared.starts, axis=0)
    index[prepared.unscored] = np.nan
    return np.asarray(np.exp(index) if geometric else index, dtype=np.float64)


def rank_draws(index: FloatArray) -> Int32Array:
    """D x R competition ranks of R x D indices, per draw (column)."""
    keys = np.floor(index.T * 10.0**TIE_PLACES + 0.5 + 1e-6)
    keys = np.where(np.isnan(keys), -np.inf, keys)
    order = np.argsort(-keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    new_block = np.ones(ordered.shape, dtype=np.bool_)
    new_block[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    positions = np.arange(ordered.shape[1], dtype=np.int32)
    starts = np.maximum.accumulate(np.where(new_block, positions, 0), axis=1)
    ranks = np.empty(ordered.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, starts + 1, axis=1)
    return ranks


def rank_chunks(
    kernel: Kernel, scores: Sequence[Prepared], draws: Draws, chunk: int
) -> Iterator[Int32Array]:
    """Ranks (D x R) of successive chunks of draws; `scores[p]` is scored under policy p."""
    n_regions = scores[0].values.shape[0]
    for start in range(0, len(draws.policy), chunk):
        window = slice(start, start + chunk)
        edge_shares = shares(kernel, draws.factors[window])
        policy, geometric = draws.policy[window], draws.geometric[window]
        index = np.empty((n_regions, len(policy)))
        # One evaluation per (policy, aggregation) combination present in the chunk.
        for p, policy_scores in enumerate(scores):
            for geo in (False, True):
                pick = np.flatnonzero((policy == p) & (geometric == geo))
                if pick.size:
                    index[:, pick] = evaluate(
                        kernel, policy_scores, edge_shares[pick], geometric=geo
                    )
        yield rank_draws(index)
