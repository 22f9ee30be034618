"""Weighted means in Decimal: arithmetic (official) and geometric (sensitivity analysis).

Weights need not sum to 1: both means divide by the sum of the weights present, so scaling the
weights of a node together changes nothing, and dropping a missing child (reweight policy) spreads
its weight over the others in proportion.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from scoring.model import Aggregation
from scoring.rounding import CONTEXT

ZERO = Decimal(0)


def weighted_mean(pairs: Sequence[tuple[Decimal, Decimal]], method: Aggregation) -> Decimal | None:
    """Mean of `(weight, value)` pairs; None when no weight is present (the parent is missing)."""
    with localcontext(CONTEXT):
        present = [(w, v) for w, v in pairs if w > 0]
        if not present:
            return None
        total = ZERO
        weighted_sum = ZERO
        for w, v in present:
            total += w
            weighted_sum += w * v
        if method is Aggregation.ARITHMETIC:
            mean = weighted_sum / total
        else:
            mean = _geometric(present, total)
        # A mean lies between its extremes; clamping removes last-digit noise from ln/exp so an
        # all-5 node cannot come out as 5.000...01 and leave the scale.
        values = [v for _, v in present]
        return max(min(values), min(max(values), mean))


def _geometric(pairs: Sequence[tuple[Decimal, Decimal]], total: Decimal) -> Decimal:
    # prod(v ** (w / total)) computed as exp(sum(w * ln v) / total); a zero value makes the
    # product zero (the geometric mean is not compensatory). Only positive weights get here.
    if any(v == 0 for _, v in pairs):
        return ZERO
    return (sum((w * v.ln() for w, v in pairs), ZERO) / total).exp()
