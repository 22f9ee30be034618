"""Which value each item is scored with, after the missing-value policy has had its say.

An item is missing when its code is absent or None. Under carry_forward a missing item takes the
previous cycle's value if there is one; otherwise (and under lowest) it is scored at the scale
minimum, and under reweight it is left out. Missing items are always listed, carried or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import ScoringInputError
from scoring.model import ItemValues, MissingPolicy
from scoring.tree import Plan


@dataclass(frozen=True)
class Resolved:
    values: Mapping[str, Decimal | None]  # item code -> value to score; None = nothing to score
    missing: tuple[str, ...]  # in framework order
    carried_forward: tuple[str, ...]


def resolve(plan: Plan, values: ItemValues, previous: ItemValues | None) -> Resolved:
    known = {item.code for item in plan.items}
    unknown = sorted(code for code in values if code not in known)
    if unknown:
        # A typo in an item code would otherwise silently score the item as missing.
        raise ScoringInputError(f"values for items not in the framework: {', '.join(unknown)}")
    carry = plan.framework.missing is MissingPolicy.CARRY_FORWARD and previous is not None
    resolved: dict[str, Decimal | None] = {}
    missing: list[str] = []
    carried: list[str] = []
    for item in plan.items:
        value = as_decimal(item.code, values.get(item.code))
        if value is None:
            missing.append(item.code)
            if carry:
                assert previous is not None
                # Items of an older framework version may be absent: that is "no previous value".
                value = as_decimal(item.code, previous.get(item.code))
                if value is not None:
                    carried.append(item.code)
        resolved[item.code] = value
    return Resolved(resolved, tuple(missing), tuple(carried))


def as_decimal(code: str, value: object) -> Decimal | None:
    """Accept Decimal and int; refuse binary floats, which cannot carry official figures."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ScoringInputError(
            f"item {code!r}: value must be a Decimal, got {type(value).__name__} {value!r}"
        )
    number = Decimal(value)
    if not number.is_finite():
        raise ScoringInputError(f"item {code!r}: value must be finite, got {number}")
    return number
