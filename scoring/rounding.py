"""Exact arithmetic and the official rounding policy.

Official figures are computed in exact rationals (`fractions.Fraction`): weights written as ratios
(8/11), weighted means and the rational normalisations lose nothing, so a figure that lies exactly
on a tie (699/200 = 3.495) is seen as a tie and rounded the way the framework says: half-up to
`Rounding.places`, as the ministry's spreadsheets do (Python's default, half-even, would publish
3.125 as 3.12). Only the irrational operations (geometric means, square roots for z-scores, both
analysis options) run in Decimal at 40 significant digits (`CONTEXT`) and re-enter the exact path
as the rational value of that 40-digit result.
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
from fractions import Fraction

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


def exact(value: Decimal | Fraction | int) -> Fraction:
    """The exact rational a Decimal, an int or a Fraction stands for (no rounding at all)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(*value.as_integer_ratio())  # two ints: Fraction's fast path


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` rounded half-up (ties away from zero) to `places` decimals, decided exactly.

    The result has exactly `places` decimals (3.5 at two places is `Decimal("3.50")`) and is never
    a negative zero.
    """
    scale = 10**places
    numerator, denominator = value.numerator * scale, value.denominator
    # floor(|x| * 10^p + 1/2) in integers: a tie is seen as a tie whatever the denominator.
    units = (2 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(-units if numerator < 0 else units).scaleb(-places)


def quantize_exact(value: Fraction, rounding: Rounding) -> Decimal:
    """The official figure for an exact value: half-up at the policy's places."""
    return round_half_up(value, rounding.places)


def quantize_exact_optional(value: Fraction | None, rounding: Rounding) -> Decimal | None:
    return None if value is None else quantize_exact(value, rounding)


def to_decimal(value: Fraction) -> Decimal:
    """A 40-digit Decimal for an irrational operation (ln, exp, sqrt) on an exact value."""
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
