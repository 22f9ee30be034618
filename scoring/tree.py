"""A framework checked once and flattened into the shape every scoring path walks.

`plan_for(framework)` validates the tree (unique codes, usable weights, complete bounds, known
tags) and returns a `Plan`: the items in framework order, the inner nodes children-first, each
item's effective global weight and the items behind each tag. Frameworks are frozen and
hashable, so the plan is cached: scoring 514 regions validates the framework once.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from scoring.errors import FrameworkError
from scoring.frozen import FrozenMap
from scoring.model import (
    Aggregation,
    Direction,
    Framework,
    Indicator,
    IndicatorKind,
    Node,
    Normalisation,
)

# Normalisations whose bounds come from the regions scored together rather than the framework.
COHORT_NORMALISATIONS = frozenset(
    {Normalisation.MIN_MAX, Normalisation.Z_SCORE, Normalisation.RANK}
)


@dataclass(frozen=True)
class PlannedNode:
    code: str
    children: tuple[str, ...]
    weights: tuple[Fraction, ...]  # as written, exactly; aggregation divides by their sum
    units: tuple[int, ...]  # the same weights as whole numbers over their common denominator


@dataclass(frozen=True)
class Plan:
    framework: Framework
    items: tuple[Indicator, ...]  # depth-first framework order
    nodes: tuple[PlannedNode, ...]  # children before parents; the root is last
    # Product of the normalised weights from the root down to the item: its share of the index,
    # exactly (shares such as 1/18 * 8/11 have no finite decimal).
    global_weights: Mapping[str, Fraction]
    tags: tuple[str, ...]  # declared tags first, then tags only items mention
    tag_items: Mapping[str, tuple[str, ...]]  # items carrying the tag or one of its descendants
    # The global weights of each tag's items as whole numbers over one common denominator, in
    # `tag_items` order: the arithmetic mean then runs on integers (`aggregate.mean_of_units`).
    tag_units: Mapping[str, tuple[int, ...]]

    @property
    def root(self) -> str:
        return self.nodes[-1].code

    @property
    def cohort_items(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.items if i.normalisation in COHORT_NORMALISATIONS)


T = TypeVar("T")


def cache_by_framework(build: Callable[[Framework], T]) -> Callable[[Framework], T]:
    """Memoise per framework; a framework holding a list where the model says tuple is
    unhashable, and is then still served, just not cached."""
    cached = functools.lru_cache(maxsize=64)(build)

    @functools.wraps(build)
    def get(framework: Framework) -> T:
        try:
            hash(framework)
        except TypeError:
            return build(framework)
        return cached(framework)

    return get


@cache_by_framework
def plan_for(framework: Framework) -> Plan:
    """Validate `framework` and flatten it. Raises `FrameworkError` naming the offending code."""
    _check_framework(framework)
    items: list[Indicator] = []
    nodes: list[PlannedNode] = []
    global_weights: dict[str, Fraction] = {}
    seen: set[str] = set()

    def walk(node: Node, share: Fraction) -> None:
        _claim(node.code, seen)
        if not node.children:
            raise FrameworkError(f"node {node.code!r} has no children")
        weights = tuple(_weight(child) for child in node.children)
        total = sum(weights, Fraction(0))
        if total <= 0:
            raise FrameworkError(f"the weights under node {node.code!r} sum to zero")
        for child, weight in zip(node.children, weights, strict=True):
            child_share = share * weight / total
            if isinstance(child, Indicator):
                _claim(child.code, seen)
                _check_indicator(child)
                items.append(child)
                global_weights[child.code] = child_share
            else:
                walk(child, child_share)
        codes = tuple(c.code for c in node.children)
        nodes.append(PlannedNode(node.code, codes, weights, as_units(weights)))

    walk(framework.root, Fraction(1))
    tags, tag_items = _tag_index(framework, items)
    return Plan(
        framework=framework,
        items=tuple(items),
        nodes=tuple(nodes),
        global_weights=FrozenMap(global_weights),
        tags=tags,
        tag_items=FrozenMap(tag_items),
        tag_units=FrozenMap(
            {tag: as_units([global_weights[c] for c in codes]) for tag, codes in tag_items.items()}
        ),
    )


def as_units(weights: Sequence[Fraction]) -> tuple[int, ...]:
    """Weights scaled by their common denominator: whole numbers in the same proportions."""
    base = math.lcm(*(w.denominator for w in weights))
    return tuple(w.numerator * (base // w.denominator) for w in weights)


def _claim(code: str, seen: set[str]) -> None:
    # Node and item codes share one namespace: results and values are both keyed by code.
    if code in seen:
        raise FrameworkError(f"code {code!r} is used more than once in the framework")
    seen.add(code)


def _weight(child: Node | Indicator) -> Fraction:
    weight = child.weight
    # A float is refused: 0.1 as a binary float is not the tenth the framework wrote.
    exact = isinstance(weight, Fraction) or (isinstance(weight, Decimal) and weight.is_finite())
    if not exact or weight < 0:
        raise FrameworkError(
            f"{child.code!r}: weight must be a finite Decimal or Fraction >= 0, got {weight!r}"
        )
    return Fraction(weight)


def _check_framework(framework: Framework) -> None:
    scale = framework.scale
    if not scale.minimum.is_finite() or not scale.maximum.is_finite():
        raise FrameworkError("the scale bounds must be finite")
    if scale.minimum >= scale.maximum:
        raise FrameworkError(f"scale minimum {scale.minimum} must be below maximum {scale.maximum}")
    if framework.rounding.places < 0:
        raise FrameworkError("rounding places must be >= 0")
    if framework.aggregation is Aggregation.GEOMETRIC and scale.minimum < 0:
        raise FrameworkError("geometric aggregation needs a scale that starts at 0 or above")
    codes = [band.code for band in framework.predicates]
    if len(set(codes)) != len(codes):
        raise FrameworkError("predicate band codes must be unique")


def _check_indicator(item: Indicator) -> None:
    where = f"indicator {item.code!r}"
    if item.kind is not IndicatorKind.QUANTITATIVE:
        if item.normalisation is not None:
            raise FrameworkError(f"{where}: only quantitative items take a normalisation")
        return
    if item.normalisation is None:
        raise FrameworkError(f"{where}: a quantitative item needs a normalisation")
    if item.normalisation is Normalisation.GOALPOSTS:
        if item.lower is None or item.upper is None:
            raise FrameworkError(f"{where}: goalposts need both lower and upper")
        if item.lower >= item.upper:
            raise FrameworkError(f"{where}: goalpost lower must be below upper")
    if item.normalisation is Normalisation.DISTANCE_TO_TARGET:
        if item.lower is None or item.target is None:
            raise FrameworkError(f"{where}: distance to target needs lower (baseline) and target")
        # The baseline-to-target path already carries the direction; a target on the wrong
        # side of the baseline is a framework typo, not a choice.
        upward = item.target > item.lower
        if item.target == item.lower or upward != (item.direction is Direction.HIGHER_IS_BETTER):
            raise FrameworkError(
                f"{where}: target must lie beyond the baseline in the item's direction "
                f"({item.direction.value} is better)"
            )


def _tag_index(
    framework: Framework, items: list[Indicator]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    parents = {tag.code: tag.parent for tag in framework.tags}
    if len(parents) != len(framework.tags):
        raise FrameworkError("tag codes must be unique")
    for code, parent in parents.items():
        if parent is not None and parent not in parents:
            raise FrameworkError(f"tag {code!r} names an unknown parent {parent!r}")
        _ancestry(code, parents)  # refuses cycles even among tags no item uses
    order = list(parents)
    members: dict[str, list[str]] = {code: [] for code in order}
    for item in items:
        for tag in _with_ancestors(item, parents):
            if tag not in members:
                if parents:
                    raise FrameworkError(f"indicator {item.code!r} carries undeclared tag {tag!r}")
                order.append(tag)
                members[tag] = []
            if item.code not in members[tag]:
                members[tag].append(item.code)
    return tuple(order), {tag: tuple(codes) for tag, codes in members.items()}


def _with_ancestors(item: Indicator, parents: Mapping[str, str | None]) -> Iterator[str]:
    # An item tagged with an element also counts toward the element's dimension.
    for tag in item.tags:
        yield from _ancestry(tag, parents)


def _ancestry(tag: str, parents: Mapping[str, str | None]) -> list[str]:
    chain: list[str] = []
    current: str | None = tag
    while current is not None:
        if current in chain:
            raise FrameworkError(f"tag {current!r} is its own ancestor")
        chain.append(current)
        current = parents.get(current)
    return chain
