"""Decimals in JSON: written as strings, so that exact figures survive JSON parsers (as the
exports do, docs/decisions.md "Exported decimals")."""

from __future__ import annotations

from decimal import Decimal

from cityeval.exports.builder import plain


def decimal_text(value: Decimal | None) -> str | None:
    """A stored value without the storage's trailing zeros: 3.0000 -> "3", 42.5000 -> "42.5"."""
    if value is None:
        return None
    return format(plain(value), "f")
