"""Short constructors for frameworks in code: tests, benchmarks and fixtures.

Weights and bounds accept `str | int | Decimal` and become Decimal (never via float):

    framework(node("root", 1,
        node("output", 20, maturity("o1", 1, tags=("sg",)), percentage("o2", 1)),
        node("impact", 30, quantitative("i1", 1, Normalisation.GOALPOSTS, lower=0, upper=10)),
    ), missing=MissingPolicy.REWEIGHT)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.model import (
    Direction,
    Framework,
    Indicator,
    IndicatorKind,
    Node,
    Normalisation,
)

Number = str | int | Decimal


def dec(value: Number) -> Decimal:
    if isinstance(value, float):
        raise TypeError("use a str or Decimal, not a float, for exact figures")
    return value if isinstance(value, Decimal) else Decimal(value)


def _opt(value: Number | None) -> Decimal | None:
    return None if value is None else dec(value)


def node(code: str, weight: Number, *children: Node | Indicator) -> Node:
    return Node(code=code, weight=dec(weight), children=children)


def maturity(
    code: str,
    weight: Number = 1,
    *,
    tags: tuple[str, ...] = (),
    direction: Direction = Direction.HIGHER_IS_BETTER,
) -> Indicator:
    return Indicator(code, dec(weight), IndicatorKind.MATURITY, tags=tags, direction=direction)


def percentage(
    code: str,
    weight: Number = 1,
    *,
    tags: tuple[str, ...] = (),
    direction: Direction = Direction.HIGHER_IS_BETTER,
) -> Indicator:
    return Indicator(code, dec(weight), IndicatorKind.PERCENTAGE, tags=tags, direction=direction)


def quantitative(
    code: str,
    weight: Number,
    normalisation: Normalisation,
    *,
    tags: tuple[str, ...] = (),
    direction: Direction = Direction.HIGHER_IS_BETTER,
    lower: Number | None = None,
    upper: Number | None = None,
    target: Number | None = None,
) -> Indicator:
    return Indicator(
        code,
        dec(weight),
        IndicatorKind.QUANTITATIVE,
        tags=tags,
        direction=direction,
        normalisation=normalisation,
        lower=_opt(lower),
        upper=_opt(upper),
        target=_opt(target),
    )


def framework(root: Node, *, code: str = "test", version: str = "1", **options: Any) -> Framework:
    """A `Framework` around `root`; `options` are the remaining `Framework` fields."""
    return Framework(code=code, version=version, root=root, **options)
