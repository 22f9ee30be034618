"""The one way a computed figure is shown to a person: rounded, then formatted by the locale.

A Decimal interpolated as it is prints "91.6667" (Python) or "91,6667" (a template), depending
on where it lands. `figure()` rounds half-up to the framework's places
(`FrameworkVersion.rounding_places`, the published figures' precision) and formats with the
active language ("91,67" in Indonesian, "91.67" in English), thousands grouped ("1.250.000,50"
in Indonesian, "1,250,000.50" in English: a population or a budget is read at a glance).
Templates use the `figure` filter (`{% load numbers %}`), flash messages and other Python text
call `figure()` directly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format

from scoring.model import Rounding
from scoring.rounding import quantize

DEFAULT_PLACES = 2
EMPTY = "—"


def places_of(version: Any) -> int:
    """The framework version's decimal places; the default when there is no version."""
    if version is None:
        return DEFAULT_PLACES
    return int(version.rounding_places())


def figure(value: Any, places: int | None = None) -> str:
    """`value` rounded half-up to `places` (two by default) in the active language's format;
    "—" for None or something that is not a finite number."""
    if value is None or value == "":
        return EMPTY
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return EMPTY
    if not number.is_finite():
        return EMPTY
    digits = DEFAULT_PLACES if places is None else max(0, int(places))
    rounded = quantize(number, Rounding(places=digits))
    return number_format(rounded, decimal_pos=digits, use_l10n=True, force_grouping=True)


def entered(value: Any) -> str:
    """A number someone typed (a level, a percentage), as they would write it in the active
    language: no padding zeros ("1.0000" → "1", "72.5000" → "72,5"); "—" for None; anything
    that is not a number is returned as text."""
    if value is None or value == "":
        return EMPTY
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not number.is_finite():
        return EMPTY
    if number == number.to_integral_value():
        return number_format(int(number), decimal_pos=0, use_l10n=True, force_grouping=True)
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else DEFAULT_PLACES
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
