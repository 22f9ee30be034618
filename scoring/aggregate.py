"""Weighted means: arithmetic (official, exact) and geometric (sensitivity analysis).

Weights need not sum to 1: both means divide by the sum of the weights present, so scaling the
weights of a node together changes nothing, and dropping a missing child (reweight policy) spreads
its weight over the others in proportion.

The arithmetic mean of exact rationals is exact. The geometric mean is irrational in general: it
is computed in Decimal at 40 significant digits and returned as the rational value of that result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from scoring.model import Aggregation
from scoring.rounding import CONTEXT, to_decimal

ZERO = Fraction(0)


def weighted_mean(
    pairs: Sequence[tuple[Fraction, Fraction]], method: Aggregation
) -> Fraction | None:
    """Mean of `(weight, value)` pairs; None when no weight is present (the parent is missing)."""
    present = [(w, v) for w, v in pairs if w.numerator > 0]  # cheaper than Fraction's w > 0
    if not present:
        return None
    if method is Aggregation.ARITHMETIC:
        return _arithmetic(present)
    total = sum((w for w, _ in present), ZERO)
    mean = _geometric(present, total)
    # A mean lies between its extremes; clamping removes last-digit noise from ln/exp so an
    # all-5 node cannot come out as 5.000...01 and leave the scale.
    values = [v for _, v in present]
    return max(min(values), min(max(values), mean))


def _arithmetic(pairs: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
    base = math.lcm(*(w.denominator for w, _ in pairs))
    units = [(w.numerator * (base // w.denominator), v) for w, v in pairs]
    mean = mean_of_units(units)
    assert mean is not None  # only positive weights get here
    return mean


def mean_of_units(pairs: Sequence[tuple[int, Fraction]]) -> Fraction | None:
    """The exact arithmetic mean of `(weight, value)` pairs with whole-number weights (a node's
    weights over their common denominator); None when no weight is present.

    It runs in integers over one common denominator of the values and reduces once at the end,
    instead of a gcd at every step of a Fraction sum.
    """
    present = [(u, v) for u, v in pairs if u > 0]
    if not present:
        return None
    base = math.lcm(*(v.denominator for _, v in present))
    weighted = sum(u * v.numerator * (base // v.denominator) for u, v in present)
    return Fraction(weighted, sum(u for u, _ in present) * base)


def _geometric(pairs: Sequence[tuple[Fraction, Fraction]], total: Fraction) -> Fraction:
    # prod(v ** (w / total)) computed as exp(sum(w * ln v) / total); a zero value makes the
    # product zero (the geometric mean is not compensatory). Only positive weights get here.
    if any(v == 0 for _, v in pairs):
        return ZERO
    with localcontext(CONTEXT):
        logs = sum((to_decimal(w) * to_decimal(v).ln() for w, v in pairs), Decimal(0))
        return Fraction((logs / to_decimal(total)).exp())
