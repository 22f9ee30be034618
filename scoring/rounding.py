"""Decimal arithmetic and the official rounding policy.

Intermediate arithmetic runs at 40 significant digits, far beyond any published precision, so the
only rounding a reader can see is the framework's: half-up to `Rounding.places`, as the ministry's
spreadsheets do. Python's default (half-even) would publish 3.125 as 3.12.
"""

from __future__ import annotations

import functools
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

from scoring.model import Rounding

CONTEXT = Context(
    prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


def quantize(value: Decimal, rounding: Rounding) -> Decimal:
    """Round half-up to the policy's places. Never returns a negative zero."""
    exponent = _exponent(rounding.places)
    result = value.quantize(exponent, rounding=ROUND_HALF_UP, context=CONTEXT)
    # "-0.00" would be published for an improvement of -0.001; it means no change.
    return result.copy_abs() if result.is_zero() else result


@functools.cache
def _exponent(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def quantize_optional(value: Decimal | None, rounding: Rounding) -> Decimal | None:
    return None if value is None else quantize(value, rounding)
