"""The engine's input data: a framework tree and a region's item values.

These dataclasses are the contract between the engine and the rest of cityeval. The Django side
(`cityeval.frameworks`) converts a validated framework document into a `Framework`; the engine
never sees YAML, pydantic or the database.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

# A weight is an exact rational: a Decimal as written (0.25) or a Fraction (8/11, a ratio that has
# no finite decimal). The engine computes with it exactly; it is never evaluated to some digits.
Weight = Decimal | Fraction


class IndicatorKind(enum.StrEnum):
    MATURITY = "maturity"  # a level on the framework's scale (1..5), chosen against a rubric
    PERCENTAGE = "percentage"  # 0..100, e.g. share of masterplan programs running
    QUANTITATIVE = "quantitative"  # a measured value with a unit, normalised onto the scale


class Direction(enum.StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class Normalisation(enum.StrEnum):
    # Fixed bounds from the framework (lower, upper): a region's score does not depend on others.
    GOALPOSTS = "goalposts"
    # Bounds observed over the regions scored together (batch only).
    MIN_MAX = "min_max"
    # Standard score over the regions scored together (batch only).
    Z_SCORE = "z_score"
    # Fractional rank among the regions scored together (batch only).
    RANK = "rank"
    # Share of the way from `lower` (baseline) to `target`, capped at the target.
    DISTANCE_TO_TARGET = "distance_to_target"


class Aggregation(enum.StrEnum):
    ARITHMETIC = "arithmetic"  # the official method
    GEOMETRIC = "geometric"  # an alternative for sensitivity analysis


class MissingPolicy(enum.StrEnum):
    LOWEST = "lowest"  # a missing item counts as the bottom of the scale
    REWEIGHT = "reweight"  # weights are spread over the items that are present
    CARRY_FORWARD = "carry_forward"  # last cycle's value is used; lowest if there is none


@dataclass(frozen=True)
class Scale:
    minimum: Decimal = Decimal(1)
    maximum: Decimal = Decimal(5)


@dataclass(frozen=True)
class Rounding:
    """How official figures are rounded: always half-up (like the ministry's spreadsheets)."""

    places: int = 2
    # True: every node's index is rounded before its parent aggregates it (spreadsheet style).
    # False: only the published figures are rounded; aggregation uses full precision.
    round_each_level: bool = False


@dataclass(frozen=True)
class PredicateBand:
    """A named band of the index, e.g. 'Memuaskan' for index >= 4.2. Lower bound is inclusive."""

    code: str
    minimum: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    weight: Weight
    kind: IndicatorKind
    # Codes of second-axis tags (smart dimensions and their elements) this item counts toward.
    tags: tuple[str, ...] = ()
    direction: Direction = Direction.HIGHER_IS_BETTER
    normalisation: Normalisation | None = None  # quantitative only
    lower: Decimal | None = None  # goalposts lower bound, or the baseline for distance to target
    upper: Decimal | None = None  # goalposts upper bound
    target: Decimal | None = None  # distance to target


@dataclass(frozen=True)
class Node:
    """An inner node of the framework tree; its index aggregates its children by weight."""

    code: str
    weight: Weight
    children: tuple[Node | Indicator, ...]


@dataclass(frozen=True)
class Tag:
    """A tag of the second axis. Elements name their dimension as parent."""

    code: str
    parent: str | None = None


@dataclass(frozen=True)
class Framework:
    code: str
    version: str
    root: Node
    scale: Scale = field(default_factory=Scale)
    rounding: Rounding = field(default_factory=Rounding)
    missing: MissingPolicy = MissingPolicy.LOWEST
    aggregation: Aggregation = Aggregation.ARITHMETIC
    # Sorted from the highest band down or not; the engine picks the highest band reached.
    predicates: tuple[PredicateBand, ...] = ()
    tags: tuple[Tag, ...] = ()


# A region's raw item values: indicator code -> value as entered (level, percent, or measure).
# An absent code, or None, is a missing item.
ItemValues = Mapping[str, Decimal | None]
