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
anything within ~1e-12 of one), that figure alone is decided exactly: a mean of maturity levels
that are floats equal to their Decimals on a grid of 2**-20 in integers (`_settle_dyadic`), any
other on the exact path (the engine's `scale_score` and `mean_of_units` over the items and nodes
below it). Predicates are read from the published (rounded) index, as on the exact path.

Where the time goes. Python object work, not arithmetic: each input Decimal is touched once (a
dict look-up and one `float`, the floor of this path with Decimal input: about half of it). Input
as `ScaledValues` (scoring/scaled.py, int64 units of 10**-places) skips that floor: the floats
are `units / 10**places` in one array division (the same floats: a correctly rounded division
of exact integers below 2**50), range checks and the cohort's order are decided in integers, and
a Decimal is made only for a cell decided exactly (its region's values, and a min-max item's
least and greatest value) or a statistic when read (`_LazyStats`). The published figures stay
scaled int64 arrays (`_Table`), and a region's `RegionScore` and its Decimals are made when first
read (`_Regions`, `_Row`: read-only mappings that pickle as `FrozenMap`). Only the root index of
every region is made at once, for the ranks.

Sorting the cohort in floats gives the Decimal order because reading a Decimal as a float is
monotonic; two different Decimals that read as the same float would not be told apart, so a
cohort column holding such a pair sends the batch to the exact path.

`RegionScore.exact` (the unrounded Fractions) is computed when first read, on the exact path.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from abc import ABC, abstractmethod
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from decimal import Decimal
from fractions import Fraction
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from scoring.aggregate import mean_of_units
from scoring.engine import ExactFigures, RegionScore, predicate_for, score_resolved
from scoring.errors import ScoringInputError
from scoring.frozen import FrozenMap
from scoring.model import (
    Aggregation,
    IndicatorKind,
    ItemValues,
    MissingPolicy,
    Normalisation,
)
from scoring.normalise import Cohort, ItemStats, scale_score
from scoring.rounding import exact, quantize_exact_optional
from scoring.scaled import ScaledValues
from scoring.tree import Plan
from scoring.values import resolve
from scoring.vector import compile_framework
from scoring.vector_normalise import BoolArray, FloatArray, ItemColumns, normalise_columns

_Shape = tuple[list[list[tuple[bool, int, int]]], list[list[int]]]
ObjectArray = npt.NDArray[np.object_]
IntArray = npt.NDArray[np.int64]
U = 2.0**-52  # twice the unit roundoff of float64
SAFETY = 2.0
GRID = 2.0**20  # levels on this grid are summed exactly (see _settle_dyadic)
GRID_LIMIT = 2.0**52
LARGEST = 2.0**62  # a published figure's scaled integer must fit an int64
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
    values: Mapping[str, ItemValues] | ScaledValues,
    previous: Mapping[str, ItemValues],
) -> tuple[_Regions, Cohort] | None:
    """Every region's official scores and the cohort, or None to use the exact path.

    `values` as scaled integers is read without a Decimal per value; it must not need carrying
    forward (`score_regions` hands such a batch over as Decimals)."""
    framework = plan.framework
    if (
        framework.aggregation is not Aggregation.ARITHMETIC
        or framework.rounding.round_each_level
        or any(i.normalisation not in SUPPORTED for i in plan.items if i.normalisation)
        or framework.rounding.places > 15
    ):
        return None
    inputs = (
        _read_scaled(plan, values)
        if isinstance(values, ScaledValues)
        else _read(plan, values, previous)
    )
    if inputs is None or not inputs.in_range(plan):
        return None
    raw = inputs.raw
    cohort = inputs.cohort(plan)
    if cohort is None:
        return None
    compiled = compile_framework(framework)
    try:
        scores = normalise_columns(compiled.columns, raw, framework.scale, compiled.item_codes)
    except ScoringInputError:
        return None
    errors = _score_errors(plan, compiled.columns, raw, scores)
    low = float(framework.scale.minimum)
    if framework.missing is not MissingPolicy.REWEIGHT:
        holes = np.isnan(raw)
        scores[holes] = low
        errors[holes] = U * abs(low)
    errors *= SAFETY
    nodes, node_errors = _nodes(plan, scores, errors)
    tags, tag_errors = _tags(plan, scores, errors)

    places = framework.rounding.places
    items_table = _rounded(scores, errors, places)
    nodes_table = _rounded(nodes, node_errors, places)
    tags_table = _rounded(tags, tag_errors, places)
    if items_table is None or nodes_table is None or tags_table is None:
        return None
    tables = (items_table, nodes_table, tags_table)
    found = _results(plan, inputs, previous, scores, cohort, tables)
    return found, cohort


class _Inputs(ABC):
    """What the float path reads of a batch's values: their floats (region x item, NaN = nothing
    to score), what was missing and carried forward, and the exact values behind the floats,
    reached only for the few cells and statistics decided exactly."""

    raw: FloatArray
    missing: BoolArray
    carried: BoolArray
    regions: list[str]

    @abstractmethod
    def given(self, r: int) -> ItemValues:
        """Region r's values as passed, in the mapping form (for its exact figures)."""

    @abstractmethod
    def resolved(self, r: int) -> Sequence[Decimal | None]:
        """Region r's value scored per item (after the missing policy), as Decimals."""

    @abstractmethod
    def exact_in_float(self, rows: IntArray, columns: IntArray) -> BoolArray:
        """Per cell of rows x columns: whether the float is the value itself (a missing value
        counts as exact)."""

    @abstractmethod
    def in_range(self, plan: Plan) -> bool:
        """False when a level or percentage lies off its bounds (the exact path refuses it)."""

    @abstractmethod
    def cohort(self, plan: Plan) -> Cohort | None:
        """The cohort's statistics the items' exact scores need (None when none does)."""

    def stats_for(self, plan: Plan, cohort: Cohort) -> Callable[[int], ItemStats | None]:
        """Per item position, the statistics its exact score needs."""
        codes = [item.code for item in plan.items]
        return lambda j: cohort.stats.get(codes[j])


def _cohort_items(plan: Plan) -> list[int]:
    return [
        j
        for j, item in enumerate(plan.items)
        if item.normalisation in (Normalisation.MIN_MAX, Normalisation.RANK)
    ]


def _bounds(plan: Plan) -> list[tuple[Decimal, Decimal] | None]:
    scale = plan.framework.scale
    return [
        (scale.minimum, scale.maximum)
        if item.kind is IndicatorKind.MATURITY
        else (Decimal(0), Decimal(100))
        if item.kind is IndicatorKind.PERCENTAGE
        else None
        for item in plan.items
    ]


class _DecimalInputs(_Inputs):
    def __init__(
        self,
        values: Mapping[str, ItemValues],
        decimals: ObjectArray,
        numbers: FloatArray,
        missing: BoolArray,
        carried: BoolArray,
    ) -> None:
        self.values, self.decimals = values, decimals
        self.raw, self.missing, self.carried = numbers, missing, carried
        self.regions = list(values)

    def given(self, r: int) -> ItemValues:
        return self.values[self.regions[r]]

    def resolved(self, r: int) -> list[Decimal | None]:
        found: list[Decimal | None] = self.decimals[r].tolist()
        return found

    def exact_in_float(self, rows: IntArray, columns: IntArray) -> BoolArray:
        cells = np.ix_(rows, columns)
        given, held = self.raw[cells], self.decimals[cells]
        valued = ~np.isnan(given)
        exact_input = np.ones(given.shape, np.bool_)
        exact_input[valued] = np.equal(held[valued], given[valued].astype(object))
        return exact_input

    def in_range(self, plan: Plan) -> bool:
        """A value reading as a bound's float may lie just beyond the bound: check it exactly
        (values reading as floats beyond a bound are refused by `normalise_columns`)."""
        bounds = _bounds(plan)
        raw, decimals = self.raw, self.decimals
        for side, beyond in ((0, np.less), (1, np.greater)):
            exact_bound = np.array([None if b is None else b[side] for b in bounds], dtype=object)
            float_bound = np.array([math.nan if b is None else float(b) for b in exact_bound])
            rows, cols = np.nonzero(raw == float_bound)
            if rows.size and beyond(decimals[rows, cols], exact_bound[cols]).any():
                return False
        return True

    def cohort(self, plan: Plan) -> Cohort | None:
        """Every min-max and rank column sorted at once (NaN last, stable, as `sorted` keeps the
        region order of equal values); its Decimals are taken in that order when first read."""
        picked = _cohort_items(plan)
        stats: dict[str, Callable[[], ItemStats]] = {}
        if picked:
            column = self.raw[:, picked]
            order = np.argsort(column, axis=0, kind="stable")
            floats = np.take_along_axis(column, order, axis=0)
            rows, cols = np.nonzero(floats[1:] == floats[:-1])
            if rows.size:
                at = np.array(picked)[cols]
                first = self.decimals[order[rows, cols], at]
                second = self.decimals[order[rows + 1, cols], at]
                if np.not_equal(first, second).any():
                    return None  # two Decimals that read as one float
            counts = (~np.isnan(column)).sum(axis=0).tolist()
            for k, (j, count) in enumerate(zip(picked, counts, strict=True)):
                if count:
                    rows_in_order = order[:count, k]
                    stats[plan.items[j].code] = functools.partial(
                        _stats_of, self.decimals[:, j], rows_in_order
                    )
        return Cohort(regions=self.raw.shape[0], stats=_LazyStats(stats))


def _stats_of(column: ObjectArray, rows: IntArray) -> ItemStats:
    return ItemStats(ordered=tuple(column[rows].tolist()))


def _read(
    plan: Plan, values: Mapping[str, ItemValues], previous: Mapping[str, ItemValues]
) -> _DecimalInputs | None:
    """Resolved Decimals (region x item, an object array), their floats, what was missing and
    what was carried forward; None for anything the exact path must judge. Each value is touched
    once in Python (one dict look-up and one `float`); the rest is array work."""
    codes = [item.code for item in plan.items]
    known = frozenset(codes)
    carry = plan.framework.missing is MissingPolicy.CARRY_FORWARD
    flat: list[object] = []
    missing_rows: dict[int, list[bool]] = {}
    for r, (region, region_values) in enumerate(values.items()):
        if not known.issuperset(region_values):
            return None
        before = previous.get(region) if carry else None
        if before is None:
            flat.extend(map(region_values.get, codes))
            continue
        row = list(map(region_values.get, codes))
        missing_rows[r] = [v is None for v in row]
        flat.extend(before.get(c) if v is None else v for c, v in zip(codes, row, strict=True))
    kinds = set(map(type, flat))
    if not kinds <= {Decimal, type(None)}:
        return None  # ints, and the refusals of binary floats and other types
    size, shape = len(flat), (len(values), len(codes))
    holes = type(None) in kinds
    try:
        filled = [math.nan if v is None else v for v in flat] if holes else flat
        numbers = np.fromiter(map(float, filled), np.float64, size)  # type: ignore[arg-type]
    except ValueError:
        return None  # a signalling NaN
    if holes:
        absent = np.fromiter(map(operator.is_, flat, itertools.repeat(None)), np.bool_, size)
    else:
        absent = np.zeros(size, np.bool_)
    if not np.array_equal(absent, np.isnan(numbers)) or np.isinf(numbers).any():
        return None  # a Decimal NaN or infinity: refused by the exact path
    decimals = np.fromiter(flat, object, size).reshape(shape)
    absent = absent.reshape(shape)
    missing = absent.copy()
    for r, row_missing in missing_rows.items():
        missing[r] = row_missing
    return _DecimalInputs(values, decimals, numbers.reshape(shape), missing, missing & ~absent)


class _ScaledInputs(_Inputs):
    """Values as scaled integers: no Decimal is made but for the cells decided exactly and the
    cohort's statistics when read. Nothing is carried forward (see `fast_scores`)."""

    def __init__(self, scaled: ScaledValues, units: IntArray, present: BoolArray) -> None:
        self.scaled, self.units, self.present = scaled, units, present
        self.regions = list(scaled.regions)
        with np.errstate(invalid="ignore"):
            # Units below 2**50 are exact floats; one correctly rounded division gives the
            # float of the Decimal, as `float(Decimal)` does.
            self.raw = np.where(present, units / float(10**scaled.places), math.nan)
        self.missing = ~present
        self.carried = np.zeros_like(present)

    def given(self, r: int) -> ItemValues:
        return self.scaled.row(r)

    def resolved(self, r: int) -> Sequence[Decimal | None]:
        return _ScaledRow(self.scaled, self.units[r].tolist(), self.present[r].tolist())

    def exact_in_float(self, rows: IntArray, columns: IntArray) -> BoolArray:
        # units / 10**p = (units / 5**p) / 2**p: a float exactly when 5**p divides the units.
        cells = np.ix_(rows, columns)
        divides: BoolArray = (self.units[cells] % 5**self.scaled.places == 0) | ~self.present[cells]
        return divides

    def in_range(self, plan: Plan) -> bool:
        """Levels and percentages within their bounds, decided in integers."""
        ten = 10**self.scaled.places
        lowest, highest = -(2**63), 2**63 - 1
        low, high = [], []
        for pair in _bounds(plan):
            if pair is None:
                low.append(lowest)
                high.append(highest)
            else:
                low.append(max(lowest, math.ceil(Fraction(pair[0]) * ten)))
                high.append(min(highest, math.floor(Fraction(pair[1]) * ten)))
        off = (self.units < np.array(low, np.int64)) | (self.units > np.array(high, np.int64))
        return not (off & self.present).any()

    def cohort(self, plan: Plan) -> Cohort | None:
        stats: dict[str, Callable[[], ItemStats]] = {}
        counts = self.present.sum(axis=0).tolist()
        for j in _cohort_items(plan):
            if counts[j]:
                stats[plan.items[j].code] = functools.partial(self._stats, j)
        return Cohort(regions=self.units.shape[0], stats=_LazyStats(stats))

    def stats_for(self, plan: Plan, cohort: Cohort) -> Callable[[int], ItemStats | None]:
        """A min-max score needs only the cohort's least and greatest value: two Decimals, not
        the whole column's (`scale_score` reads `minimum` and `maximum` alone)."""
        found: dict[int, ItemStats | None] = {}

        def stats(j: int) -> ItemStats | None:
            if j not in found:
                if plan.items[j].normalisation is Normalisation.MIN_MAX:
                    column = self.units[self.present[:, j], j]
                    ends = (int(column.min()), int(column.max())) if column.size else None
                    decimal = self.scaled.decimal
                    found[j] = ItemStats(ordered=tuple(map(decimal, ends))) if ends else None
                else:
                    found[j] = cohort.stats.get(plan.items[j].code)
            return found[j]

        return stats

    def _stats(self, j: int) -> ItemStats:
        # Equal units are equal Decimals down to the exponent: the sort needs no stability.
        ordered = np.sort(self.units[self.present[:, j], j])
        return ItemStats(ordered=tuple(map(self.scaled.decimal, ordered.tolist())))


class _ScaledRow(Sequence[Decimal | None]):
    """One region's values per item, each Decimal made when read (an exact cell reads few)."""

    def __init__(self, scaled: ScaledValues, units: list[int], present: list[bool]) -> None:
        self._scaled, self._units, self._present = scaled, units, present

    @overload
    def __getitem__(self, j: int) -> Decimal | None: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[Decimal | None]: ...
    def __getitem__(self, j: int | slice) -> Decimal | Sequence[Decimal | None] | None:
        if isinstance(j, slice):
            return [self[k] for k in range(len(self))[j]]
        return self._scaled.decimal(self._units[j]) if self._present[j] else None

    def __len__(self) -> int:
        return len(self._units)


def _read_scaled(plan: Plan, scaled: ScaledValues) -> _ScaledInputs | None:
    """The scaled integers in the plan's item order; None for an unknown item code (refused by
    the exact path) or units too large to read as distinct floats."""
    known = {item.code for item in plan.items}
    if not known.issuperset(scaled.codes) or not scaled.fits_floats():
        return None
    column_of = {code: c for c, code in enumerate(scaled.codes)}
    columns = np.array([column_of.get(item.code, -1) for item in plan.items], np.intp)
    have = columns >= 0
    shape = (len(scaled.regions), len(plan.items))
    if have.all():
        units, present = scaled.units[:, columns], scaled.present[:, columns]
    else:
        units, present = np.zeros(shape, np.int64), np.zeros(shape, np.bool_)
        units[:, have] = scaled.units[:, columns[have]]
        present[:, have] = scaled.present[:, columns[have]]
    return _ScaledInputs(scaled, units, present)


class _LazyStats(Mapping[str, ItemStats]):
    """The cohort's statistics, an item's made when first read. Pickles as a `FrozenMap`."""

    def __init__(self, makers: dict[str, Callable[[], ItemStats]]) -> None:
        self._makers = makers
        self._made: dict[str, ItemStats] = {}

    def __getitem__(self, key: str) -> ItemStats:
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._makers[key]()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, key: object) -> bool:
        return key in self._makers

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self.items()),))

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self.items())!r})"


def _score_errors(
    plan: Plan, columns: ItemColumns, raw: FloatArray, scores: FloatArray
) -> FloatArray:
    """Per item score, the bound on |float - exact| (before SAFETY), for all columns at once."""
    scale = plan.framework.scale
    low, high = float(scale.minimum), float(scale.maximum)
    span = high - low
    unit_error = np.zeros(raw.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        if columns.percentage.size:
            unit_error[:, columns.percentage] = 2 * U * np.abs(raw[:, columns.percentage] / 100.0)
        unit_error[:, columns.by_method[Normalisation.RANK]] = 2 * U  # integers and halves
        for method in (Normalisation.GOALPOSTS, Normalisation.DISTANCE_TO_TARGET):
            picked = columns.by_method[method]
            if picked.size:
                end = columns.upper if method is Normalisation.GOALPOSTS else columns.target
                x = raw[:, picked]
                unit_error[:, picked] = _unit_error(x, columns.lower[picked], end[picked])
        picked = columns.by_method[Normalisation.MIN_MAX]
        if picked.size:
            x = raw[:, picked]
            start = np.where(np.isnan(x), np.inf, x).min(axis=0)
            end = np.where(np.isnan(x), -np.inf, x).max(axis=0)
            flat = ~(end > start)  # the midpoint, exactly
            start, end = np.where(flat, 0.0, start), np.where(flat, 1.0, end)
            unit_error[:, picked] = np.where(flat, 0.0, _unit_error(x, start, end))
        unit_error[:, columns.flip] += U
        errors = unit_error * abs(span) * (1 + U) + 3 * U * (abs(low) + abs(span))
        x = raw[:, columns.maturity]
        flipped = columns.flip_maturity[columns.maturity]
        errors[:, columns.maturity] = np.where(
            flipped, 3 * U * (abs(low) + abs(high) + np.abs(x)), U * x
        )
    errors = np.abs(errors)
    errors[np.isnan(scores)] = 0.0
    return errors


def _unit_error(x: FloatArray, start: FloatArray, end: FloatArray) -> FloatArray:
    """The bound for (x - start) / (end - start), per column; 0 where the clip decides."""
    q = (x - start) / (end - start)
    error = (U * (np.abs(x) + np.abs(start)) + np.abs(q) * U * (np.abs(start) + np.abs(end))) / (
        np.abs(end - start)
    ) + U * np.abs(q)
    clipped = (q - error > 1.0) | (q + error < 0.0)
    result: FloatArray = np.where(clipped, 0.0, error)
    return result


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


def _rounded(table: FloatArray, bound: FloatArray, places: int) -> _Table | None:
    """The published figures as scaled integers, and the cells the bound leaves open; None when
    a figure is too large for an int64 (the exact path publishes it)."""
    scale = 10.0**places
    t = np.abs(table) * scale
    absent = np.isnan(table)
    if t[~absent].max(initial=0.0) > LARGEST:
        return None
    margin = bound * scale * (1 + 4 * U) + 4 * U * (t + 1.0)
    with np.errstate(invalid="ignore"):
        lower = np.floor(t - margin + 0.5)
        upper = np.floor(t + margin + 0.5)
    ambiguous = (lower != upper) & ~absent
    units = np.where(absent, 0.0, np.where(table < 0, -lower, lower)).astype(np.int64)
    return _Table(units, absent, ambiguous, places)


class _Table:
    """One kind of published figure (items, nodes or tags) for every region, as scaled integers
    (`units` / 10**places); a region's Decimals are made when its `_Row` is first read."""

    def __init__(self, units: IntArray, absent: BoolArray, ambiguous: BoolArray, places: int):
        self.units, self.absent, self.ambiguous, self.places = units, absent, ambiguous, places
        self.codes: tuple[str, ...] = ()
        self._made: dict[int, Decimal] = {}
        self._rows: list[list[Decimal | None]] | None = None

    def open(self) -> dict[int, list[int]]:
        """Per region with any, the columns still left open."""
        found: dict[int, list[int]] = {}
        for r, c in zip(*(axis.tolist() for axis in np.nonzero(self.ambiguous)), strict=True):
            found.setdefault(r, []).append(c)
        return found

    def settle(self, r: int, c: int, figure: Decimal | None) -> None:
        """An open cell's figure, from the exact path."""
        self.absent[r, c] = figure is None
        if figure is not None:
            self.units[r, c] = int(figure.scaleb(self.places))
        self.ambiguous[r, c] = False

    def settle_units(self, r: int, c: int, units: int) -> None:
        """An open cell's figure as a scaled integer, decided exactly elsewhere."""
        self.units[r, c], self.absent[r, c], self.ambiguous[r, c] = units, False, False

    def settle_many(self, rows: IntArray, c: int, units: IntArray) -> None:
        """`settle_units` for several rows of one column."""
        self.units[rows, c], self.absent[rows, c], self.ambiguous[rows, c] = units, False, False

    def figure(self, units: int) -> Decimal:
        # One Decimal per distinct figure, shared (Decimals are immutable), as round_half_up
        # makes it: the exponent is -places, so 3.5 publishes as 3.50.
        found = self._made.get(units)
        if found is None:
            found = self._made[units] = Decimal(units).scaleb(-self.places)
        return found

    def row(self, r: int) -> dict[str, Decimal | None]:
        if self._rows is None:
            # Every region's Decimals at once, when the first is read: one per distinct figure,
            # and the table as lists in one step (a dict is made per region when it is read).
            distinct, inverse = np.unique(self.units, return_inverse=True)
            made = [self.figure(units) for units in distinct.tolist()]
            published = np.array([*made, None], dtype=object)
            self._rows = published[np.where(self.absent, len(made), inverse)].tolist()
        return dict(zip(self.codes, self._rows[r], strict=True))


class _Row(Mapping[str, Decimal | None]):
    """One region's published figures of one kind: a read-only mapping like `FrozenMap`, whose
    Decimals are made when it is first read. Pickles as a plain `FrozenMap`."""

    __slots__ = ("_data", "_row", "_table")

    def __init__(self, table: _Table, row: int) -> None:
        self._table, self._row = table, row
        self._data: dict[str, Decimal | None] | None = None

    def _figures(self) -> dict[str, Decimal | None]:
        if self._data is None:
            self._data = self._table.row(self._row)
        return self._data

    def __getitem__(self, key: str) -> Decimal | None:
        return self._figures()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.codes)

    def __len__(self) -> int:
        return len(self._table.codes)

    def __contains__(self, key: object) -> bool:
        return key in self._figures()

    def keys(self) -> KeysView[str]:
        return self._figures().keys()

    def values(self) -> ValuesView[Decimal | None]:
        return self._figures().values()

    def items(self) -> ItemsView[str, Decimal | None]:
        return self._figures().items()

    def get(self, key: str, default: Any = None) -> Any:
        return self._figures().get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Row):
            return self._figures() == other._figures()
        if isinstance(other, Mapping):
            return self._figures() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._figures(),))

    def __repr__(self) -> str:
        return f"FrozenMap({self._figures()!r})"


def _results(
    plan: Plan,
    inputs: _Inputs,
    previous: Mapping[str, ItemValues],
    scores: FloatArray,
    cohort: Cohort,
    tables: tuple[_Table, _Table, _Table],
) -> _Regions:
    items, nodes, tags = tables
    items.codes = tuple(item.code for item in plan.items)
    nodes.codes = tuple(node.code for node in plan.nodes)
    tags.codes = tuple(plan.tags)
    shared: dict[tuple[int, Decimal], Fraction] = {}
    shape = _shape(plan)
    _settle_dyadic(plan, inputs, scores, tables, shape)
    open_items, open_nodes, open_tags = items.open(), nodes.open(), tags.open()
    stats = inputs.stats_for(plan, cohort)
    for r in sorted(open_items.keys() | open_nodes.keys() | open_tags.keys()):
        cells = _ExactCells(plan, inputs.resolved(r), stats, shared, shape)
        for j in open_items.get(r, ()):
            items.settle(r, j, cells.published(cells.item(j)))
        for k in open_nodes.get(r, ()):
            nodes.settle(r, k, cells.published(cells.node(k)))
        for t in open_tags.get(r, ()):
            tags.settle(r, t, cells.published(cells.tag(t)))
    return _Regions(plan, inputs, previous, cohort, tables)


class _Regions(Mapping[str, RegionScore]):
    """Every region's `RegionScore`, made when first read (the index of every region is made at
    once: ranks need them all). A read-only mapping in the order given, like `FrozenMap`, and
    pickled as one."""

    def __init__(
        self,
        plan: Plan,
        inputs: _Inputs,
        previous: Mapping[str, ItemValues],
        cohort: Cohort,
        tables: tuple[_Table, _Table, _Table],
    ) -> None:
        self._plan, self._inputs, self._previous, self._cohort = plan, inputs, previous, cohort
        self._tables = tables
        regions = inputs.regions
        self._position = {region: r for r, region in enumerate(regions)}
        nodes = tables[1]
        root = len(plan.nodes) - 1
        figure = nodes.figure
        self.indices: dict[str, Decimal | None] = {
            region: None if hole else figure(units)
            for region, units, hole in zip(
                regions,
                nodes.units[:, root].tolist(),
                nodes.absent[:, root].tolist(),
                strict=True,
            )
        }
        self._missing = _listed(inputs.missing, tables[0].codes)
        self._carried = _listed(inputs.carried, tables[0].codes)
        self._predicates: dict[Decimal | None, str | None] = {}
        self._made: dict[str, RegionScore] = {}
        self._every: dict[str, RegionScore] | None = None

    def __getitem__(self, region: str) -> RegionScore:
        found = self._made.get(region)
        if found is None:
            found = self._made[region] = self._make(region, self._position[region])
        return found

    def _make(self, region: str, r: int) -> RegionScore:
        index = self.indices[region]
        if index not in self._predicates:
            self._predicates[index] = predicate_for(index, self._plan.framework.predicates)
        items, nodes, tags = self._tables
        given = functools.partial(self._inputs.given, r)  # Decimals made only if read
        later = _Later(self._plan, given, self._previous.get(region), self._cohort)
        return RegionScore(
            index=index,
            predicate=self._predicates[index],
            nodes=_Row(nodes, r),
            tags=_Row(tags, r),
            items=_Row(items, r),
            missing=self._missing.get(r, ()),
            carried_forward=self._carried.get(r, ()),
            exact=ExactFigures(
                nodes=_LazyFigures(later, "nodes"),
                tags=_LazyFigures(later, "tags"),
                items=_LazyFigures(later, "items"),
            ),
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._position)

    def __len__(self) -> int:
        return len(self._position)

    def __contains__(self, key: object) -> bool:
        return key in self._position

    def _all(self) -> dict[str, RegionScore]:
        """Every region's score, in the order given (not the order they were first read in)."""
        if self._every is None:
            self._every = {region: self[region] for region in self._position}
        return self._every

    def values(self) -> ValuesView[RegionScore]:
        return self._all().values()

    def items(self) -> ItemsView[str, RegionScore]:
        return self._all().items()

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._all(),))

    def __repr__(self) -> str:
        return f"FrozenMap({self._all()!r})"


def _settle_dyadic(
    plan: Plan,
    inputs: _Inputs,
    scores: FloatArray,
    tables: tuple[_Table, _Table, _Table],
    shape: _Shape,
) -> None:
    """Decide exactly, in integers, the open means of maturity levels (nodes whose children are
    all items, and tags): where every level is a float equal to its Decimal on a grid of 2**-20,
    the mean is exactly (sum of units x level x 2**20, an integer sum that floats hold exactly)
    / (sum of units x 2**20). Means of four half levels land on x.xx5 ties all the time; this
    spares them the exact path."""
    _, nodes, tags = tables
    framework = plan.framework
    bounds = (framework.scale.minimum, framework.scale.maximum)
    if not all(_on_grid(float(b)) and Decimal(float(b)) == b for b in bounds):
        return
    maturity = np.array([item.kind is IndicatorKind.MATURITY for item in plan.items])
    groups: list[tuple[_Table, int, list[int], list[int]]] = []
    children, tag_columns = shape
    for k, kids in enumerate(children):
        if all(is_item for is_item, _, _ in kids):
            groups.append((nodes, k, [at for _, at, _ in kids], [u for _, _, u in kids]))
    for t, tag in enumerate(plan.tags):
        groups.append((tags, t, tag_columns[t], list(plan.tag_units[tag])))
    for table, position, columns, units in groups:
        rows = np.flatnonzero(table.ambiguous[:, position])
        if not rows.size or not maturity[columns].all() or sum(units) >= GRID_LIMIT:
            continue
        picked = np.array(columns, np.intp)
        level = scores[np.ix_(rows, picked)]
        exact_input = inputs.exact_in_float(rows, picked)
        present = ~np.isnan(level)
        scaled = np.where(present, level * GRID, 0.0)
        weights = np.array(units, dtype=np.float64)
        weight = present @ weights
        total = scaled @ weights  # integers below 2**52: every partial sum is exact
        certain = (
            (exact_input & (np.floor(scaled) == scaled)).all(axis=1)
            & (weight > 0)
            & (np.abs(scaled) @ weights < GRID_LIMIT)
        )
        ten = 10**table.places
        settled, numerators, denominators = rows[certain], total[certain], weight[certain]
        if not settled.size:
            continue
        largest_n = int(np.abs(numerators).max())
        largest_d = int(denominators.max()) * int(GRID)
        if 2 * largest_n * ten + 2 * largest_d < 2**62:
            # Every term fits an int64: the same integer formula, for all the cells at once.
            n = np.abs(numerators).astype(np.int64)
            d = denominators.astype(np.int64) * np.int64(GRID)
            figures = (2 * n * ten + d) // (2 * d)  # floor(|x| 10^p + 1/2)
            table.settle_many(settled, position, np.where(numerators < 0, -figures, figures))
            continue
        for r, numerator, denominator in zip(
            settled.tolist(), numerators.tolist(), denominators.tolist(), strict=True
        ):
            n_, d_ = int(numerator), int(denominator) * int(GRID)
            figure = (2 * abs(n_) * ten + d_) // (2 * d_)
            table.settle_units(r, position, -figure if n_ < 0 else figure)


def _on_grid(value: float) -> bool:
    return math.floor(value * GRID) == value * GRID and abs(value * GRID) < GRID_LIMIT


def _listed(flags: BoolArray, codes: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """Per region with any flag set, the codes flagged, in framework order."""
    listed: dict[int, list[str]] = {}
    for r, c in zip(*(axis.tolist() for axis in np.nonzero(flags)), strict=True):
        listed.setdefault(r, []).append(codes[c])
    return {r: tuple(found) for r, found in listed.items()}


class _ExactCells:
    """One region's exact figures, each computed only when a float bound leaves it open: the
    engine's own formulas (`scale_score`, `mean_of_units`), for the items and nodes it needs.
    Item scores depend only on the item and its value (the cohort is the batch's), so `shared`
    keeps them for every region of the batch."""

    def __init__(
        self,
        plan: Plan,
        values: Sequence[Decimal | None],
        stats: Callable[[int], ItemStats | None],
        shared: dict[tuple[int, Decimal], Fraction],
        shape: _Shape,
    ) -> None:
        self.plan, self.values, self.stats, self.shared = plan, values, stats, shared
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
            stats = self.stats(j)
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
        self,
        plan: Plan,
        values: Callable[[], ItemValues],
        previous: ItemValues | None,
        cohort: Cohort,
    ) -> None:
        self._args: tuple[Plan, Callable[[], ItemValues], ItemValues | None, Cohort] | None = (
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
            self._found = score_resolved(plan, resolve(plan, values(), previous), cohort).exact
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
