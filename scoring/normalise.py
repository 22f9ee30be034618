"""Mapping a raw item value onto the framework's scale, in Decimal.

Every item goes through a unit score in [0, 1] (1 = best) and then linearly onto the scale:
`score = scale.minimum + unit * (scale.maximum - scale.minimum)`.

- maturity: the level is already on the scale; a level off the scale is refused.
- percentage: 0..100 maps linearly; a value outside 0..100 is refused.
- quantitative, by the item's normalisation:
  - goalposts: `(x - lower) / (upper - lower)`, clipped to [0, 1].
  - distance to target: share of the way from the baseline `lower` to `target`, floor 0, cap 1.
    The direction is carried by which side of the baseline the target lies on (checked by
    `plan_for`), so this one is never flipped afterwards.
  - min-max: `(x - min) / (max - min)` over the cohort.
  - z-score: population z over the cohort, clipped to [-3, 3], then `(z + 3) / 6`.
  - rank: fractional rank among the cohort (ties averaged), `(rank - 1) / (n - 1)`.
- lower-is-better flips the unit score (`1 - unit`); for maturity, `min + max - level`.

A cohort that cannot tell regions apart (one region, or all values equal) puts everyone at the
midpoint 0.5: with no information to separate them, nobody is rewarded or punished.

Every rational step is exact (`Fraction`): a goalpost span of 3 gives thirds, not 40 digits of
them. The z-score needs a square root; it is computed in Decimal at 40 digits and enters the exact
path as the rational value of that result (z-scores are an analysis option).

The cohort is the set of values the regions scored together are scored with (reported values,
plus carried-forward values under carry_forward). `Cohort` holds its statistics per item; build it
with `scoring.build_cohort` or let `scoring.score_regions` do it.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from scoring.errors import ScoringInputError
from scoring.model import Direction, Indicator, IndicatorKind, Normalisation, Scale
from scoring.rounding import CONTEXT, exact

ZERO = Fraction(0)
ONE = Fraction(1)
HALF = Fraction(1, 2)
HUNDRED = Fraction(100)
# Beyond three standard deviations lie ~0.3% of values under normality. Clipping there keeps the
# score bounded and monotonic while stopping one outlier from squeezing everyone else into a
# narrow band, which an unclipped min-max over z would do; (z + 3) / 6 then maps the mean to 0.5.
Z_CLIP = Decimal(3)
ZERO_DECIMAL = Decimal(0)


@dataclass(frozen=True)
class ItemStats:
    """One item's values over a cohort. The mean and the population standard deviation (the
    cohort is every region scored, not a sample) are computed when first read: only z-score
    items need them."""

    ordered: tuple[Decimal, ...]  # ascending

    def __post_init__(self) -> None:
        if not self.ordered:
            raise ValueError("statistics need at least one value")

    @classmethod
    def of(cls, values: Iterable[Decimal]) -> ItemStats:
        return cls(ordered=tuple(sorted(values)))

    @functools.cached_property
    def mean(self) -> Decimal:
        with localcontext(CONTEXT):
            return sum(self.ordered, ZERO_DECIMAL) / Decimal(len(self.ordered))

    @functools.cached_property
    def std(self) -> Decimal:
        with localcontext(CONTEXT):
            mean = self.mean
            n = Decimal(len(self.ordered))
            variance = sum(((v - mean) ** 2 for v in self.ordered), ZERO_DECIMAL) / n
            return variance.sqrt()

    @property
    def minimum(self) -> Decimal:
        return self.ordered[0]

    @property
    def maximum(self) -> Decimal:
        return self.ordered[-1]


@dataclass(frozen=True)
class Cohort:
    """Statistics of the regions scored together, for items with cohort-relative normalisation."""

    regions: int
    stats: Mapping[str, ItemStats]


def scale_score(item: Indicator, value: Decimal, scale: Scale, stats: ItemStats | None) -> Fraction:
    """The exact score of a present value on the scale; `ScoringInputError` for bad values."""
    if item.kind is IndicatorKind.MATURITY:
        if not scale.minimum <= value <= scale.maximum:
            raise ScoringInputError(
                f"item {item.code!r}: level {value} is off the scale "
                f"{scale.minimum}..{scale.maximum}"
            )
        if item.direction is Direction.LOWER_IS_BETTER:
            return exact(scale.minimum) + exact(scale.maximum) - exact(value)
        return exact(value)
    minimum, maximum = exact(scale.minimum), exact(scale.maximum)
    unit = unit_score(item, value, stats)
    if item.direction is Direction.LOWER_IS_BETTER and (
        item.normalisation is not Normalisation.DISTANCE_TO_TARGET
    ):
        unit = ONE - unit
    return minimum + unit * (maximum - minimum)


def unit_score(item: Indicator, value: Decimal, stats: ItemStats | None) -> Fraction:
    """Where `value` lies in [0, 1] before any direction flip, exactly (z-score: see above)."""
    x = exact(value)
    if item.kind is IndicatorKind.PERCENTAGE:
        if not ZERO <= x <= HUNDRED:
            raise ScoringInputError(f"item {item.code!r}: {value} is not a percentage 0..100")
        return x / HUNDRED
    method = item.normalisation
    if method is Normalisation.GOALPOSTS:
        assert item.lower is not None  # plan_for checked both bounds
        assert item.upper is not None
        return _clip(_share(x, exact(item.lower), exact(item.upper)))
    if method is Normalisation.DISTANCE_TO_TARGET:
        assert item.lower is not None  # plan_for checked baseline and target
        assert item.target is not None
        return _clip(_share(x, exact(item.lower), exact(item.target)))
    if stats is None:
        raise ScoringInputError(
            f"item {item.code!r} is normalised by {method} over the regions scored together: "
            "score it with score_regions, or pass cohort=build_cohort(...)"
        )
    if method is Normalisation.MIN_MAX:
        if stats.maximum == stats.minimum:
            return HALF
        return _clip(_share(x, exact(stats.minimum), exact(stats.maximum)))
    if method is Normalisation.Z_SCORE:
        if stats.std == 0:
            return HALF
        with localcontext(CONTEXT):
            z = max(-Z_CLIP, min(Z_CLIP, (value - stats.mean) / stats.std))
            return Fraction((z + Z_CLIP) / (2 * Z_CLIP))
    if method is Normalisation.RANK:
        return _rank_unit(value, stats.ordered)
    raise ScoringInputError(f"item {item.code!r}: unknown normalisation {method!r}")


def _share(x: Fraction, start: Fraction, end: Fraction) -> Fraction:
    # How far x has gone from start towards end (negative before start, above 1 beyond end).
    return (x - start) / (end - start)


def _rank_unit(value: Decimal, ordered: tuple[Decimal, ...]) -> Fraction:
    n = len(ordered)
    if n == 1:
        return HALF
    below = bisect.bisect_left(ordered, value)
    equal = bisect.bisect_right(ordered, value) - below
    # Average 1-based rank of the tied block is below + (equal + 1) / 2; a value not in the
    # cohort (equal == 0) lands half a place above its lower neighbour.
    return _clip((below + Fraction(equal - 1, 2)) / (n - 1))


def _clip(unit: Fraction) -> Fraction:
    return max(ZERO, min(ONE, unit))
