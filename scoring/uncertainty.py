"""Monte Carlo uncertainty and sensitivity of the ranks: how much do they owe to the method?

    result = rank_uncertainty(framework, {region: values}, previous=None,
                              settings=MonteCarlo(draws=10_000, seed=2020))
    result.nominal, result.median, result.low, result.high  # int arrays, one per region
    result.region("64.02")                                  # RegionUncertainty
    result.sensitivity[0]                                   # the choice that moves ranks most

Each draw is a set of choices an index maker could reasonably have made:
- weights: every node's child weights are multiplied by independent uniform factors in
  [1 - spread, 1 + spread] (default ±25%) and renormalised under their node;
- aggregation: geometric with probability `geometric_share`, otherwise arithmetic;
- missing values: a policy drawn uniformly from `policies` (default lowest and reweight, plus
  carry_forward when the previous cycle's values are given).
The values themselves (and the cohort behind min-max, z-score and rank items) stay as given.

Groups (`groups=`: name -> row positions, e.g. a province or a peer group) are ranked inside the
same draws: a member's rank in its group is 1 + the number of members ranked strictly better in
the draw (competition ranks, as nationally), so group intervals come from the very draws that
give the national ones and need no second run.

Ranks: the nominal rank is the competition rank (1-2-2-4) of the official index rounded to the
framework's places, computed on the float path (`rank_array`; equal to the Decimal ranks except
within ~1e-8 of a rounding boundary); 0 means unranked. Ranks inside a draw use the unrounded index
(ties within 1e-9 share the best rank; see `scoring.montecarlo`). The median and the interval
(`low`, `high`, by default the 5th and 95th percentiles) are ranks that occurred: the smallest
rank whose cumulative share of draws reaches the percentile (inverted CDF), so two regions tied
in every draw get identical figures, and a region always first gets [1, 1].

Sensitivity is one-at-a-time: each uncertain input varies alone while the others stay at the
framework's own choices, and the figure is the mean absolute rank shift (over regions and
draws) from the reference ranks, i.e. the unrounded nominal index ranked like a draw. The inputs
are the weights of the top-level nodes (`weights:<root>`), the weights inside each top-level
node's subtree (`weights:<node>`), `aggregation` (the other method, when it can be drawn) and
`missing` (each other policy that can be drawn, averaged). One-at-a-time rather than a
variance-based index because it reads as "ranks move by 3.2 places on average", needs no
assumption about how the inputs combine, and is cheap: `sensitivity_draws` draws per weight
group, one evaluation per alternative aggregation or policy. It ignores interactions (e.g.
reweight under geometric aggregation); `mean_shift` of the whole run shows them together.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from scoring.model import Aggregation, Framework, ItemValues, MissingPolicy
from scoring.montecarlo import (
    Draws,
    Int32Array,
    Kernel,
    Prepared,
    draw,
    kernel_for,
    prepare,
    rank_chunks,
)
from scoring.rank import rank_array
from scoring.rank_counts import RankCounts, RankHistogram
from scoring.vector import compile_framework, scale_matrix, score_matrix, value_matrix
from scoring.vector_normalise import FloatArray, IntArray

ArrayT = TypeVar("ArrayT", bound=npt.NDArray[Any])
CELLS = 1 << 20  # regions x draws evaluated together, at most (8 MB per float array)


@dataclass(frozen=True)
class MonteCarlo:
    draws: int = 1000
    seed: int = 0
    weight_spread: float = 0.25  # factors uniform in [1 - spread, 1 + spread]
    geometric_share: float = 0.5  # probability that a draw aggregates geometrically
    # None: lowest and reweight, plus carry_forward when previous values are given.
    policies: tuple[MissingPolicy, ...] | None = None
    interval: tuple[float, float] = (0.05, 0.95)
    sensitivity_draws: int = 200  # per weight group
    # Draws evaluated together (fewer for a cohort over 2,097 regions: see `CELLS`); memory
    # ~ chunk x regions x 8 bytes per array.
    chunk: int = 500

    def __post_init__(self) -> None:
        if self.draws < 1 or self.chunk < 1 or self.sensitivity_draws < 1:
            raise ValueError("draws, chunk and sensitivity_draws must be at least 1")
        if not 0.0 <= self.weight_spread < 1.0:
            raise ValueError("weight_spread must be in [0, 1): a weight may not vanish")
        if not 0.0 <= self.geometric_share <= 1.0:
            raise ValueError("geometric_share is a probability")
        low, high = self.interval
        if not 0.0 < low <= high < 1.0:
            raise ValueError("interval must be two percentiles 0 < low <= high < 1")
        if self.policies is not None and not self.policies:
            raise ValueError("policies must name at least one missing-value policy")


@dataclass(frozen=True)
class RegionUncertainty:
    region: str
    nominal: int  # rank of the official (rounded) index; 0 = unranked
    median: int
    low: int  # e.g. 5th percentile: the best rank of the interval
    high: int  # e.g. 95th percentile: the worst rank of the interval
    mean: float


@dataclass(frozen=True)
class InputSensitivity:
    input: str  # "weights:<node code>", "aggregation" or "missing"
    mean_shift: float  # mean absolute rank shift when this input alone varies
    max_shift: int  # the largest shift seen for any region


@dataclass(frozen=True, eq=False)
class GroupUncertainty:
    """Ranks inside one group of regions, from the same draws as the national ranks."""

    members: IntArray  # row positions (into `Uncertainty.regions`) of the group's regions
    nominal: IntArray  # one per member, in `members` order; 0 = unranked
    median: IntArray
    low: IntArray
    high: IntArray


@dataclass(frozen=True, eq=False)
class Uncertainty:
    regions: tuple[str, ...]
    nominal: IntArray
    median: IntArray
    low: IntArray
    high: IntArray
    mean: FloatArray
    # regions x ranks: counts[r, k] = draws in which region r ranked k + 1, stored as one band
    # of ranks per region (memory linear in the regions; see `scoring.rank_counts`).
    counts: RankCounts
    mean_shift: float  # mean absolute rank shift over all draws: every choice at once
    sensitivity: tuple[InputSensitivity, ...]  # the most influential first
    policies: tuple[MissingPolicy, ...]  # the policies drawn from
    settings: MonteCarlo
    groups: Mapping[str, GroupUncertainty] = dataclasses.field(default_factory=dict)

    def region(self, code: str) -> RegionUncertainty:
        r = self.regions.index(code)
        return RegionUncertainty(
            region=code,
            nominal=int(self.nominal[r]),
            median=int(self.median[r]),
            low=int(self.low[r]),
            high=int(self.high[r]),
            mean=float(self.mean[r]),
        )

    @property
    def most_influential(self) -> InputSensitivity | None:
        return self.sensitivity[0] if self.sensitivity else None


def rank_uncertainty(
    framework: Framework,
    values: Mapping[str, ItemValues],
    *,
    previous: Mapping[str, ItemValues] | None = None,
    settings: MonteCarlo | None = None,
) -> Uncertainty:
    """Monte Carlo ranks of the regions in `values` (the cohort), in their order."""
    compiled = compile_framework(framework)
    regions = tuple(values)
    raw = value_matrix(compiled, [values[r] for r in regions])
    before = None
    if previous is not None:
        before = value_matrix(compiled, [previous.get(r, {}) for r in regions])
    return rank_uncertainty_matrix(
        framework, raw, regions=regions, previous=before, settings=settings
    )


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
    prepared = _Prepares(framework, kernel, raw, previous)
    scores = [prepared[policy] for policy in policies]
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
    reference = _reference(framework, kernel, prepared)
    national = RankHistogram(n_regions, settings.draws)
    members = {name: _members(rows, n_regions) for name, rows in (groups or {}).items()}
    histograms = {name: RankHistogram(len(m), settings.draws) for name, m in members.items()}
    shift = 0
    for ranks in rank_chunks(kernel, scores, draws, _chunk(settings.chunk, n_regions)):
        national.add(ranks)
        for name, rows in members.items():
            histograms[name].add(within_group(ranks[:, rows]))
        moved = np.subtract(ranks, reference)
        shift += int(np.abs(moved, out=moved).sum(dtype=np.int64))

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
        counts=counts,
        mean_shift=shift / (settings.draws * n_regions),
        sensitivity=_sensitivity(framework, kernel, prepared, reference, draws, policies, settings),
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


def _chunk(chunk: int, n_regions: int) -> int:
    """Draws evaluated together: at most `chunk`, and at most about CELLS regions x draws, so
    that a large cohort's (draws x regions) temporaries stay a few MB each."""
    return max(1, min(chunk, CELLS // n_regions))


def _intervals(counts: RankCounts, settings: MonteCarlo) -> dict[str, IntArray]:
    found = counts.percentiles((0.5, *settings.interval))
    return dict(zip(("median", "low", "high"), (_frozen(a) for a in found), strict=True))


def within_group(ranks: npt.NDArray[np.integer[Any]]) -> IntArray:
    """D x g competition ranks inside a group from the members' D x g ranks in a larger set.

    Ranks are competition ranks, so 1 + the members ranked strictly better is the group rank;
    one sort and one search per draw (rows are offset so that one flat search serves them all).
    """
    n_draws, size = ranks.shape
    wide = np.asarray(ranks, dtype=np.int64)
    offsets = (np.arange(n_draws, dtype=np.int64) * (int(wide.max(initial=0)) + 1))[:, None]
    ordered = (np.sort(wide, axis=1) + offsets).ravel()
    found = np.searchsorted(ordered, (wide + offsets).ravel(), side="left").reshape(wide.shape)
    return np.asarray(found - np.arange(n_draws, dtype=np.int64)[:, None] * size + 1)


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


class _Prepares:
    """The regions' scores prepared for the kernel under each policy, each prepared once for the
    run, its reference and every one-at-a-time evaluation."""

    def __init__(
        self, framework: Framework, kernel: Kernel, raw: FloatArray, previous: FloatArray | None
    ) -> None:
        self.framework, self.kernel, self.raw, self.previous = framework, kernel, raw, previous
        self.found: dict[MissingPolicy, Prepared] = {}

    def __getitem__(self, policy: MissingPolicy) -> Prepared:
        if policy not in self.found:
            compiled = compile_framework(dataclasses.replace(self.framework, missing=policy))
            scores = scale_matrix(compiled, self.raw, previous=self.previous)
            self.found[policy] = prepare(self.kernel, scores)
        return self.found[policy]


def _reference(framework: Framework, kernel: Kernel, prepared: _Prepares) -> Int32Array:
    """The nominal choices ranked like a draw: no perturbation, the framework's own methods."""
    ranks = np.vstack(list(_oat(framework, kernel, prepared, np.ones((1, len(kernel.edge_codes))))))
    return np.asarray(ranks[0], dtype=np.int32)


def _oat(
    framework: Framework,
    kernel: Kernel,
    prepared: _Prepares,
    factors: FloatArray,
    *,
    aggregation: Aggregation | None = None,
    policy: MissingPolicy | None = None,
) -> Iterator[Int32Array]:
    """Ranks (draws x regions, by chunks) with these factors and one aggregation and policy
    for all."""
    chosen = policy or framework.missing
    geometric = (aggregation or framework.aggregation) is Aggregation.GEOMETRIC
    n = factors.shape[0]
    draws = Draws(
        factors=factors,
        geometric=np.full(n, geometric),
        policy=np.zeros(n, dtype=np.int64),
    )
    n_regions = prepared.raw.shape[0]
    return rank_chunks(kernel, [prepared[chosen]], draws, _chunk(max(n, 1), n_regions))


def _sensitivity(
    framework: Framework,
    kernel: Kernel,
    prepared: _Prepares,
    reference: Int32Array,
    draws: Draws,
    policies: tuple[MissingPolicy, ...],
    settings: MonteCarlo,
) -> tuple[InputSensitivity, ...]:
    found: list[InputSensitivity] = []

    def add(name: str, ranks: Iterable[Int32Array]) -> None:
        # Streamed: the mean of whole numbers is their exact (integer) total over their count.
        total, count, largest = 0, 0, 0
        for chunk in ranks:
            shift = np.subtract(chunk, reference)
            np.abs(shift, out=shift)
            total += int(shift.sum(dtype=np.int64))
            count += shift.size
            largest = max(largest, int(shift.max(initial=0)))
        found.append(InputSensitivity(name, total / count, largest))

    if settings.weight_spread > 0:
        # The run's own first draws, with every factor outside the group reset to 1.
        factors = draws.factors[: settings.sensitivity_draws]
        for g, code in enumerate(kernel.group_codes):
            alone = np.where(kernel.group == g, factors, 1.0)
            add(f"weights:{code}", _oat(framework, kernel, prepared, alone))
    ones = np.ones((1, len(kernel.edge_codes)))
    drawn = {Aggregation.GEOMETRIC} if settings.geometric_share > 0 else set()
    if settings.geometric_share < 1:
        drawn.add(Aggregation.ARITHMETIC)
    others = [a for a in Aggregation if a in drawn and a is not framework.aggregation]
    if others:
        add(
            "aggregation",
            itertools.chain.from_iterable(
                _oat(framework, kernel, prepared, ones, aggregation=a) for a in others
            ),
        )
    nominal_policy = framework.missing
    alternatives = [p for p in policies if p is not nominal_policy]
    if alternatives:
        add(
            "missing",
            itertools.chain.from_iterable(
                _oat(framework, kernel, prepared, ones, policy=p) for p in alternatives
            ),
        )
    return tuple(sorted(found, key=lambda s: (-s.mean_shift, s.input)))


def _frozen(array: ArrayT) -> ArrayT:
    # Results are frozen dataclasses: their arrays must not change under a reader either.
    array.flags.writeable = False
    return array
