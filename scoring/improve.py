"""Where one step up the rubric raises the index most: the basis of proposed recommendations.

    gains_per_step(framework, values, *, previous=None, cohort=None) -> list[StepGain]
    gains_per_step_many(framework, [values, ...], *, previous=None) -> list[list[StepGain]]

For every maturity item that is not at its best level, the index is scored again with that one
item one level better, and the gain is the rise of the root's index. Scoring goes through the
engine itself, so weights, aggregation, the missing-value policy and rounding per level count
exactly as they do for the official figures; nothing here re-derives the arithmetic.

- "One level better" is the next whole level: 2.5 steps to 3, 3 steps to 4. For a lower-is-better
  item it is the next level down.
- An item without a value steps from the level the policy scores it at: the previous cycle's
  value under carry_forward when there is one, otherwise the scale's minimum (which is how
  `lowest` scores it; under reweight the gain is whatever adding the value does to the index,
  and may be negative).
- Gains are differences of the unrounded index (before the root's own rounding), quantized to
  `GAIN_PLACES` so that items of equal weight tie exactly and keep framework order.

Results are sorted by gain, largest first; ties keep framework order. Items whose step would not
raise the index (gain <= 0) are included: the caller decides what is worth recommending.

`gains_per_step_many` answers the same question for many regions at once through the numpy path
(`scoring.vector`), for the demonstration data and national analyses. It agrees with the Decimal
path to well below `GAIN_PLACES` except at a rounding boundary, and refuses frameworks with
items normalised over a cohort, because there the variants of one region would become each
other's cohort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

import numpy as np

from scoring.engine import score_resolved
from scoring.errors import ScoringInputError
from scoring.model import Direction, Framework, Indicator, IndicatorKind, ItemValues
from scoring.normalise import Cohort
from scoring.rounding import exact, round_half_up
from scoring.tree import Plan, plan_for
from scoring.values import Resolved, as_decimal, resolve
from scoring.vector import compile_framework, score_matrix, value_matrix

GAIN_PLACES = 8
# The float path agrees with the exact one to ~1e-12; a gain closer than this to a half-up boundary
# of GAIN_PLACES is scored again exactly (a wide margin: it costs one exact scoring when it hits).
BOUNDARY_MARGIN = 1e-10


@dataclass(frozen=True)
class StepGain:
    code: str
    current: Decimal | None  # the item's value; None when it has none
    next_level: int  # the level one step better
    gain: Decimal  # rise of the index if the item reached `next_level`


def gains_per_step(
    framework: Framework,
    values: ItemValues,
    *,
    previous: ItemValues | None = None,
    cohort: Cohort | None = None,
) -> list[StepGain]:
    """One region's step gains, equal to `gains_per_step_exact` (see the module docstring).

    All variants are scored at once by the numpy path (`scoring.vector`), which agrees with the
    exact path to ~1e-12 when no level is rounded; a gain that lies within `BOUNDARY_MARGIN` of a
    rounding boundary of `GAIN_PLACES` is scored again exactly, so the quantized gains are the
    exact path's. Frameworks whose figures the float path does not model (rounding of each level,
    items normalised over a cohort) go through the exact path whole.
    """
    plan = plan_for(framework)
    if framework.rounding.round_each_level or plan.cohort_items or cohort is not None:
        return gains_per_step_exact(framework, values, previous=previous, cohort=cohort)
    baseline = resolve(plan, values, previous)
    steps = [
        (item, current, target)
        for item, current, step_from in _candidates(plan, baseline, values)
        if (target := _next_level(item, step_from, framework)) is not None
    ]
    if not steps:
        return []
    compiled = compile_framework(framework)
    columns = {code: i for i, code in enumerate(compiled.item_codes)}
    raw = np.repeat(value_matrix(compiled, [baseline.values]), len(steps) + 1, axis=0)
    rows = np.arange(1, len(steps) + 1)
    raw[rows, [columns[item.code] for item, _c, _t in steps]] = [float(t) for _i, _c, t in steps]
    index = score_matrix(compiled, raw).index
    floor = float(framework.scale.minimum)
    index = np.where(np.isnan(index), floor, index)
    gains = index[1:] - index[0]
    # Distance of each gain from a half-up boundary of GAIN_PLACES, in units of the last place.
    scaled = np.abs(gains) * 10**GAIN_PLACES
    near = np.abs(scaled - np.floor(scaled) - 0.5) * 10.0**-GAIN_PLACES < BOUNDARY_MARGIN
    base_index: Fraction | None = None
    found: list[StepGain] = []
    for (item, current, target), gain, doubtful in zip(steps, gains, near, strict=True):
        if doubtful:
            if base_index is None:
                base_index = _index(plan, baseline, None)
            exact_gain: Fraction | Decimal = (
                _variant_index(plan, baseline, item, target) - base_index
            )
        else:
            exact_gain = Decimal(repr(float(gain)))
        found.append(StepGain(item.code, current, target, _quantized(exact_gain)))
    return _sorted(found)


def gains_per_step_exact(
    framework: Framework,
    values: ItemValues,
    *,
    previous: ItemValues | None = None,
    cohort: Cohort | None = None,
) -> list[StepGain]:
    """One region's step gains on the official (exact) path: every variant scored by the
    Decimal engine. The reference `gains_per_step` is tested equal to."""
    plan = plan_for(framework)
    baseline = resolve(plan, values, previous)
    base_index = _index(plan, baseline, cohort)
    found: list[StepGain] = []
    for item, current, step_from in _candidates(plan, baseline, values):
        target = _next_level(item, step_from, framework)
        if target is None:
            continue
        gain = _variant_index(plan, baseline, item, target, cohort) - base_index
        found.append(StepGain(item.code, current, target, _quantized(gain)))
    return _sorted(found)


def _variant_index(
    plan: Plan, baseline: Resolved, item: Indicator, target: int, cohort: Cohort | None = None
) -> Fraction:
    variant = Resolved(
        values={**baseline.values, item.code: Decimal(target)},
        missing=baseline.missing,
        carried_forward=baseline.carried_forward,
    )
    return _index(plan, variant, cohort)


def gains_per_step_many(
    framework: Framework,
    regions: Sequence[ItemValues],
    *,
    previous: Sequence[ItemValues | None] | None = None,
) -> list[list[StepGain]]:
    """Step gains of many regions at once (float path); one list per region, in order."""
    compiled = compile_framework(framework)
    plan = plan_for(framework)
    if plan.cohort_items:
        codes = ", ".join(item.code for item in plan.cohort_items)
        raise ScoringInputError(
            f"items normalised over the regions scored together cannot be stepped in a batch: "
            f"{codes}; use gains_per_step with a cohort"
        )
    previous = previous if previous is not None else [None] * len(regions)
    if len(previous) != len(regions):
        raise ValueError("previous must hold one entry (or None) per region")
    columns = {code: i for i, code in enumerate(compiled.item_codes)}
    results: list[list[StepGain]] = []
    for values, before in zip(regions, previous, strict=True):
        baseline = resolve(plan, values, before)  # checks codes and types like the Decimal path
        steps = []
        for item, current, step_from in _candidates(plan, baseline, values):
            target = _next_level(item, step_from, framework)
            if target is not None:
                steps.append((item, current, target))
        # Row 0 is the region as it is; row k + 1 has item k of `steps` one level better. The
        # resolved values already carry last cycle's values forward, so no `previous` is needed.
        raw = np.repeat(value_matrix(compiled, [baseline.values]), len(steps) + 1, axis=0)
        for row, (item, _current, target) in enumerate(steps, start=1):
            raw[row, columns[item.code]] = float(target)
        index = score_matrix(compiled, raw).index
        base = index[0] if not np.isnan(index[0]) else float(framework.scale.minimum)
        results.append(
            _sorted(
                [
                    StepGain(item.code, current, target, _quantized(Decimal(repr(float(gain)))))
                    for (item, current, target), gain in zip(steps, index[1:] - base, strict=True)
                ]
            )
        )
    return results


def _candidates(
    plan: Plan, baseline: Resolved, values: ItemValues
) -> list[tuple[Indicator, Decimal | None, Decimal]]:
    """Maturity items with their own value and the level a step starts from."""
    minimum = plan.framework.scale.minimum
    found = []
    for item in plan.items:
        if item.kind is not IndicatorKind.MATURITY:
            continue
        current = as_decimal(item.code, values.get(item.code))
        scored = baseline.values[item.code]  # carried forward, or None when left missing
        if scored is None:
            # The policy scores it as the worst level: the minimum, or the maximum when lower
            # levels are better.
            higher = item.direction is Direction.HIGHER_IS_BETTER
            scored = minimum if higher else plan.framework.scale.maximum
        found.append((item, current, scored))
    return found


def _next_level(item: Indicator, level: Decimal, framework: Framework) -> int | None:
    scale = framework.scale
    if item.direction is Direction.LOWER_IS_BETTER:
        target = int(level.to_integral_value(rounding=ROUND_CEILING)) - 1
        return target if target >= scale.minimum else None
    target = int(level.to_integral_value(rounding=ROUND_FLOOR)) + 1
    return target if target <= scale.maximum else None


def _index(plan: Plan, resolved: Resolved, cohort: Cohort | None) -> Fraction:
    index = score_resolved(plan, resolved, cohort).exact.nodes[plan.root]
    # Nothing scored at all (reweight with every item missing): count it as the scale's floor.
    return index if index is not None else exact(plan.framework.scale.minimum)


def _quantized(gain: Fraction | Decimal) -> Decimal:
    rounded = round_half_up(exact(gain), GAIN_PLACES)
    return rounded.copy_abs() if rounded == 0 else rounded  # -0E-8 reads as 0E-8


def _sorted(gains: list[StepGain]) -> list[StepGain]:
    # Python's sort is stable: equal gains keep framework order.
    return sorted(gains, key=lambda step: step.gain, reverse=True)
