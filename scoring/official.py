"""The official figures of a batch computed in floats, with a rigorous error bound per figure.

`score_regions` tries this first; it returns exactly what the exact path (`score_regions_exact`:
Fractions, half-up in integers) returns, or None when the batch is outside its scope (geometric
aggregation, round_each_level, z-scores, a value that is not a Decimal, anything the exact path
must refuse with its own message), and the exact path runs instead.

How the figures stay identical. Every item score, node and tag index is computed in float64 along
with a bound e such that |float - exact| <= e, from standard floating-point error analysis with
u = 2**-53 per operation (every term below uses U = 2u, so second-order terms are covered):
- a Decimal read as a float: U|x|; (x - a) / (b - a) for goalposts, distance to target and
  min-max (a, b also read from Decimals): (U(|x| + |a|) + |q| U(|a| + |b|)) / |b - a| + U|q|,
  and 0 when q is beyond [0, 1] by more than that (the clip then gives the exact bound); a
  fractional rank (integers and halves over n - 1): U|q|; onto the scale: e_unit |max - min| plus
  3U(|min| + |max - min|);
- a weighted mean of k present children with weights w (each the correctly rounded float of the
  exact share): max(e_child) + (2k + 4) U max(|x_child| + e_child).
Each bound is doubled. The published figure is floor(|x| 10^p + 1/2) with the sign of x; where
x +- e (plus the rounding of that test itself) lie on both sides of a boundary (x.xx5 ties and
anything within ~1e-12 of one), that figure alone is computed on the exact path (the engine's
`scale_score` and `mean_of_units` over the items and nodes below it).
Predicates are read from the published (rounded) index, as on the exact path.

Sorting the cohort in floats gives the Decimal order because reading a Decimal as a float is
monotonic; two different Decimals that read as the same float would not be told apart, so a
cohort column holding such a pair sends the batch to the exact path.

`RegionScore.exact` (the unrounded Fractions) is computed when first read, on the exact path.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from scoring.aggregate import mean_of_units
from scoring.engine import ExactFigures, RegionScore, predicate_for, score_resolved
from scoring.errors import ScoringInputError
from scoring.frozen import FrozenMap
from scoring.model import (
    Aggregation,
    Direction,
    IndicatorKind,
    ItemValues,
    MissingPolicy,
    Normalisation,
)
from scoring.normalise import Cohort, ItemStats, scale_score
from scoring.rounding import exact, quantize_exact_optional
from scoring.tree import Plan
from scoring.values import resolve
from scoring.vector import compile_framework
from scoring.vector_normalise import BoolArray, FloatArray, normalise_columns

_Shape = tuple[list[list[tuple[bool, int, int]]], list[list[int]]]
U = 2.0**-52  # twice the unit roundoff of float64
SAFETY = 2.0
SUPPORTED = frozenset(
    {
        Normalisation.GOALPOSTS,
        Normalisation.DISTANCE_TO_TARGET,
        Normalisation.MIN_MAX,
        Normalisation.RANK,
    }
)


def fast_scores(
    plan: Plan,
    values: Mapping[str, ItemValues],
    previous: Mapping[str, ItemValues],
) -> tuple[dict[str, RegionScore], Cohort] | None:
    """Every region's official scores and the cohort, or None to use the exact path."""
    framework = plan.framework
    if (
        framework.aggregation is not Aggregation.ARITHMETIC
        or framework.rounding.round_each_level
        or any(i.normalisation not in SUPPORTED for i in plan.items if i.normalisation)
        or framework.rounding.places > 15
    ):
        return None
    read = _read(plan, values, previous)
    if read is None:
        return None
    decimals, raw, missing, carried = read
    cohort = _cohort(plan, decimals, raw)
    if cohort is None or not _in_range(plan, decimals, raw):
        return None
    compiled = compile_framework(framework)
    try:
        scores = normalise_columns(compiled.columns, raw, framework.scale, compiled.item_codes)
    except ScoringInputError:
        return None
    errors = _score_errors(plan, raw, scores)
    low = float(framework.scale.minimum)
    if framework.missing is not MissingPolicy.REWEIGHT:
        holes = np.isnan(raw)
        scores[holes] = low
        errors[holes] = U * abs(low)
    errors *= SAFETY
    nodes, node_errors = _nodes(plan, scores, errors)
    tags, tag_errors = _tags(plan, scores, errors)

    places = framework.rounding.places
    tables = [
        _rounded(table, bound, places)
        for table, bound in ((scores, errors), (nodes, node_errors), (tags, tag_errors))
    ]
    found = _results(plan, values, previous, decimals, cohort, tables, missing, carried)
    return found, cohort


def _read(
    plan: Plan, values: Mapping[str, ItemValues], previous: Mapping[str, ItemValues]
) -> tuple[list[list[Decimal | None]], FloatArray, BoolArray, BoolArray] | None:
    """Resolved Decimals (region x item), their floats (NaN = nothing to score), what was missing
    and what was carried forward; None for anything the exact path must judge."""
    codes = [item.code for item in plan.items]
    known = frozenset(codes)
    carry = plan.framework.missing is MissingPolicy.CARRY_FORWARD
    rows: list[list[Decimal | None]] = []
    missing_rows: list[list[bool]] = []
    for region, region_values in values.items():
        if region_values.keys() - known:
            return None
        row = [region_values.get(code) for code in codes]
        before = previous.get(region) if carry else None
        if before is not None:
            missing_rows.append([v is None for v in row])
            row = [before.get(c) if v is None else v for c, v in zip(codes, row, strict=True)]
        else:
            missing_rows.append([])  # the same as what has no value: filled in below
        rows.append(row)
    flat = [v for row in rows for v in row]
    if not set(map(type, flat)) <= {Decimal, type(None)}:
        return None  # ints, and the refusals of binary floats and other types
    try:
        numbers = np.array([math.nan if v is None else float(v) for v in flat], dtype=np.float64)
    except ValueError:
        return None  # a signalling NaN
    absent = np.fromiter(map(operator.is_, flat, itertools.repeat(None)), np.bool_, len(flat))
    if not np.array_equal(absent, np.isnan(numbers)) or np.isinf(numbers).any():
        return None  # a Decimal NaN or infinity: refused by the exact path
    shape = (len(rows), len(codes))
    absent = absent.reshape(shape)
    missing = absent.copy()
    for r, row_missing in enumerate(missing_rows):
        if row_missing:
            missing[r] = row_missing
    return rows, numbers.reshape(shape), missing, missing & ~absent


def _cohort(plan: Plan, decimals: list[list[Decimal | None]], raw: FloatArray) -> Cohort | None:
    stats: dict[str, ItemStats] = {}
    columns = list(zip(*decimals, strict=True)) if decimals else []
    for j, item in enumerate(plan.items):
        if item.normalisation not in (Normalisation.MIN_MAX, Normalisation.RANK):
            continue
        rows = np.flatnonzero(~np.isnan(raw[:, j]))
        if not rows.size:
            continue
        order = rows[np.argsort(raw[rows, j], kind="stable")]
        ordered = [columns[j][r] for r in order.tolist()]
        column = raw[order, j]
        same = np.flatnonzero(column[1:] == column[:-1])
        if any(ordered[k] != ordered[k + 1] for k in same.tolist()):
            return None  # two Decimals that read as one float
        stats[item.code] = ItemStats(ordered=tuple(ordered))
    return Cohort(regions=len(decimals), stats=FrozenMap(stats))


def _in_range(plan: Plan, decimals: list[list[Decimal | None]], raw: FloatArray) -> bool:
    """A value reading as a bound's float may lie just beyond the bound: check it exactly."""
    scale = plan.framework.scale
    for j, item in enumerate(plan.items):
        if item.kind is IndicatorKind.MATURITY:
            bounds = (scale.minimum, scale.maximum)
        elif item.kind is IndicatorKind.PERCENTAGE:
            bounds = (Decimal(0), Decimal(100))
        else:
            continue
        low, high = bounds
        for r in np.flatnonzero(raw[:, j] == float(low)).tolist():
            if decimals[r][j] < low:  # type: ignore[operator]
                return False
        for r in np.flatnonzero(raw[:, j] == float(high)).tolist():
            if decimals[r][j] > high:  # type: ignore[operator]
                return False
    return True


def _score_errors(plan: Plan, raw: FloatArray, scores: FloatArray) -> FloatArray:
    """Per item score, the bound on |float - exact| (before SAFETY)."""
    scale = plan.framework.scale
    low, high = float(scale.minimum), float(scale.maximum)
    span = high - low
    errors = np.zeros(raw.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, item in enumerate(plan.items):
            x = raw[:, j]
            if item.kind is IndicatorKind.MATURITY:
                flipped = item.direction is Direction.LOWER_IS_BETTER
                errors[:, j] = 3 * U * (abs(low) + abs(high) + np.abs(x)) if flipped else U * x
                continue
            if item.kind is IndicatorKind.PERCENTAGE:
                unit = x / 100.0
                unit_error = 2 * U * np.abs(unit)
            else:
                unit, unit_error = _unit_error(item.normalisation, x, item)
            if item.direction is Direction.LOWER_IS_BETTER and (
                item.normalisation is not Normalisation.DISTANCE_TO_TARGET
            ):
                unit_error = unit_error + U
            errors[:, j] = unit_error * abs(span) * (1 + U) + 3 * U * (abs(low) + abs(span))
    errors = np.abs(errors)
    errors[np.isnan(scores)] = 0.0
    return errors


def _unit_error(method: Normalisation | None, x: FloatArray, item: Any) -> tuple[FloatArray, Any]:
    if method is Normalisation.RANK:
        return x, 2 * U * np.ones_like(x)  # a unit in [0, 1]: integers and halves, one division
    if method is Normalisation.MIN_MAX:
        present = x[~np.isnan(x)]
        start, end = (present.min(), present.max()) if present.size else (0.0, 0.0)
        if not end > start:
            return x, np.zeros_like(x)  # the midpoint, exactly
    elif method is Normalisation.GOALPOSTS:
        start, end = float(item.lower), float(item.upper)
    else:
        start, end = float(item.lower), float(item.target)
    q = (x - start) / (end - start)
    error = (U * (np.abs(x) + abs(start)) + np.abs(q) * U * (abs(start) + abs(end))) / abs(
        end - start
    ) + U * np.abs(q)
    clipped = (q - error > 1.0) | (q + error < 0.0)
    return q, np.where(clipped, 0.0, error)


def _nodes(plan: Plan, scores: FloatArray, errors: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Node indices level by level with their bounds; NaN where nothing is present."""
    position = {item.code: j for j, item in enumerate(plan.items)}
    n_items = len(plan.items)
    values = np.concatenate([scores, np.empty((scores.shape[0], len(plan.nodes)))], axis=1)
    bounds = np.concatenate([errors, np.empty_like(values[:, n_items:])], axis=1)
    for k, planned in enumerate(plan.nodes):
        position[planned.code] = n_items + k
        total = sum(planned.weights, Fraction(0))
        columns = [position[c] for c in planned.children]
        shares = np.array([float(w / total) for w in planned.weights])
        mean, bound = _weighted(values[:, columns], bounds[:, columns], shares)
        values[:, n_items + k], bounds[:, n_items + k] = mean, bound
    return values[:, n_items:], bounds[:, n_items:]


def _tags(plan: Plan, scores: FloatArray, errors: FloatArray) -> tuple[FloatArray, FloatArray]:
    position = {item.code: j for j, item in enumerate(plan.items)}
    found = np.full((scores.shape[0], len(plan.tags)), np.nan)
    bounds = np.zeros_like(found)
    for t, tag in enumerate(plan.tags):
        codes = plan.tag_items[tag]
        if not codes:
            continue
        columns = [position[c] for c in codes]
        weights = np.array([float(plan.global_weights[c]) for c in codes])
        found[:, t], bounds[:, t] = _weighted(scores[:, columns], errors[:, columns], weights)
    return found, bounds


def _weighted(
    values: FloatArray, errors: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    present = ~np.isnan(values) & (weights > 0)
    total = present @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, values, 0.0) @ weights / total
    k = weights.size
    size = np.where(present, np.abs(values) + errors, 0.0).max(axis=1, initial=0.0)
    worst = np.where(present, errors, 0.0).max(axis=1, initial=0.0)
    bound = worst + (2 * k + 4) * U * size
    mean[total <= 0] = np.nan
    return mean, SAFETY * bound


def _rounded(
    table: FloatArray, bound: FloatArray, places: int
) -> tuple[list[list[Decimal | None]], list[list[int]]]:
    """The published Decimals (None for NaN), and per row the columns the bound leaves open."""
    scale = 10.0**places
    t = np.abs(table) * scale
    margin = bound * scale * (1 + 4 * U) + 4 * U * (t + 1.0)
    absent = np.isnan(table)
    with np.errstate(invalid="ignore"):
        lower = np.floor(t - margin + 0.5)
        upper = np.floor(t + margin + 0.5)
    ambiguous = (lower != upper) & ~absent
    units = np.where(absent, 0.0, np.where(table < 0, -lower, lower)).astype(np.int64)
    # One Decimal per distinct figure, shared (Decimals are immutable), as round_half_up makes it.
    distinct, inverse = np.unique(units, return_inverse=True)
    made = [Decimal(u).scaleb(-places) for u in distinct.tolist()]
    published = np.array([*made, None], dtype=object)
    inverse = np.where(absent, len(made), inverse.reshape(units.shape))
    open_columns: list[list[int]] = [[] for _ in range(table.shape[0])]
    for r, c in zip(*(axis.tolist() for axis in np.nonzero(ambiguous)), strict=True):
        open_columns[r].append(c)
    return published[inverse].tolist(), open_columns


def _results(
    plan: Plan,
    values: Mapping[str, ItemValues],
    previous: Mapping[str, ItemValues],
    decimals: list[list[Decimal | None]],
    cohort: Cohort,
    tables: list[tuple[list[list[Decimal | None]], list[list[int]]]],
    missing: BoolArray,
    carried: BoolArray,
) -> dict[str, RegionScore]:
    framework = plan.framework
    (items, open_items), (nodes, open_nodes), (tags, open_tags) = tables
    item_codes = [item.code for item in plan.items]
    node_codes = [node.code for node in plan.nodes]
    tag_codes = list(plan.tags)
    missing_rows, carried_rows = missing.tolist(), carried.tolist()
    predicate_of: dict[Decimal | None, str | None] = {}
    found: dict[str, RegionScore] = {}
    shared: dict[tuple[int, Decimal], Fraction] = {}
    shape = _shape(plan)
    for r, region in enumerate(values):
        if open_items[r] or open_nodes[r] or open_tags[r]:
            cells = _ExactCells(plan, decimals[r], cohort, shared, shape)
            for j in open_items[r]:
                items[r][j] = cells.published(cells.item(j))
            for k in open_nodes[r]:
                nodes[r][k] = cells.published(cells.node(k))
            for t in open_tags[r]:
                tags[r][t] = cells.published(cells.tag(t))
        index = nodes[r][-1]
        if index not in predicate_of:
            predicate_of[index] = predicate_for(index, framework.predicates)
        later = _Later(plan, values[region], previous.get(region), cohort)
        found[region] = RegionScore(
            index=index,
            predicate=predicate_of[index],
            nodes=FrozenMap(zip(node_codes, nodes[r], strict=True)),
            tags=FrozenMap(zip(tag_codes, tags[r], strict=True)),
            items=FrozenMap(zip(item_codes, items[r], strict=True)),
            missing=tuple(c for c, m in zip(item_codes, missing_rows[r], strict=True) if m),
            carried_forward=tuple(c for c, m in zip(item_codes, carried_rows[r], strict=True) if m),
            exact=ExactFigures(
                nodes=_LazyFigures(later, "nodes"),
                tags=_LazyFigures(later, "tags"),
                items=_LazyFigures(later, "items"),
            ),
        )
    return found


class _ExactCells:
    """One region's exact figures, each computed only when a float bound leaves it open: the
    engine's own formulas (`scale_score`, `mean_of_units`), for the items and nodes it needs.
    Item scores depend only on the item and its value (the cohort is the batch's), so `shared`
    keeps them for every region of the batch."""

    def __init__(
        self,
        plan: Plan,
        values: list[Decimal | None],
        cohort: Cohort,
        shared: dict[tuple[int, Decimal], Fraction],
        shape: _Shape,
    ) -> None:
        self.plan, self.values, self.cohort, self.shared = plan, values, cohort, shared
        self.children, self.tag_columns = shape
        self.items: dict[int, Fraction | None] = {}
        self.nodes: dict[int, Fraction | None] = {}

    def published(self, value: Fraction | None) -> Decimal | None:
        return quantize_exact_optional(value, self.plan.framework.rounding)

    def item(self, j: int) -> Fraction | None:
        value = self.values[j]
        if value is None:
            framework = self.plan.framework
            reweight = framework.missing is MissingPolicy.REWEIGHT
            return None if reweight else exact(framework.scale.minimum)
        found = self.shared.get((j, value))
        if found is None:
            item = self.plan.items[j]
            stats = self.cohort.stats.get(item.code)
            found = scale_score(item, value, self.plan.framework.scale, stats)
            self.shared[(j, value)] = found
        return found

    def node(self, k: int) -> Fraction | None:
        if k not in self.nodes:
            pairs = []
            for is_item, at, units in self.children[k]:
                value = self.item(at) if is_item else self.node(at)
                if value is not None:
                    pairs.append((units, value))
            self.nodes[k] = mean_of_units(pairs)
        return self.nodes[k]

    def tag(self, t: int) -> Fraction | None:
        tag = self.plan.tags[t]
        pairs = []
        for at, units in zip(self.tag_columns[t], self.plan.tag_units[tag], strict=True):
            value = self.item(at)
            if value is not None:
                pairs.append((units, value))
        return mean_of_units(pairs)


def _shape(plan: Plan) -> _Shape:
    """Per node its children as (is an item, column or node position, whole-number weight);
    per tag its item columns."""
    items = {item.code: j for j, item in enumerate(plan.items)}
    nodes = {node.code: k for k, node in enumerate(plan.nodes)}
    children = [
        [
            (code in items, items[code] if code in items else nodes[code], units)
            for code, units in zip(planned.children, planned.units, strict=True)
        ]
        for planned in plan.nodes
    ]
    tags = [[items[code] for code in plan.tag_items[tag]] for tag in plan.tags]
    return children, tags


class _Later:
    """One region's exact (unrounded) figures, computed on the exact path when first read."""

    def __init__(
        self, plan: Plan, values: ItemValues, previous: ItemValues | None, cohort: Cohort
    ) -> None:
        self._args: tuple[Plan, ItemValues, ItemValues | None, Cohort] | None = (
            plan,
            values,
            previous,
            cohort,
        )
        self._found: ExactFigures | None = None

    def get(self) -> ExactFigures:
        if self._found is None:
            assert self._args is not None
            plan, values, previous, cohort = self._args
            self._found = score_resolved(plan, resolve(plan, values, previous), cohort).exact
            self._args = None  # the inputs are no longer needed
        return self._found


class _LazyFigures(Mapping[str, Fraction | None]):
    __slots__ = ("_later", "_name")

    def __init__(self, later: _Later, name: str) -> None:
        self._later, self._name = later, name

    def _data(self) -> Mapping[str, Fraction | None]:
        found: Mapping[str, Fraction | None] = getattr(self._later.get(), self._name)
        return found

    def __getitem__(self, key: str) -> Fraction | None:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the plain figures: a cache or a worker gets no cohort along with them.
        return (FrozenMap, (dict(self._data()),))

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._data())!r})"
