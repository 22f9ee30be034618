"""Stored figures read back as exact Decimals: the one value→Decimal rule of the project.

A snapshot stores its figures in JSON (numbers or strings, "3.1000"); everything that reads them
(the engine's carry-forward, the rank uncertainty, the report, the scorecard, the exports, the
API) goes through these helpers, never `float` and never its own `Decimal(str(...))`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scoring.model import Rounding
from scoring.rounding import quantize


def decimal_of(value: object) -> Decimal | None:
    """A stored figure ("3.1", 3.1, Decimal) as an exact Decimal; None and "" are None."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def decimals(stored: Mapping[str, object] | None) -> dict[str, Decimal | None]:
    """Stored JSON figures by code as exact Decimals; None stays None."""
    return {code: decimal_of(value) for code, value in (stored or {}).items()}


def published_figure(value: object, places: int) -> Decimal | None:
    """A stored figure as published: half-up to `places` decimals (the results letter's)."""
    exact = decimal_of(value)
    return None if exact is None else quantize(exact, Rounding(places=places))
