"""The official scoring path for one region: exact rationals, published as rounded Decimals.

    score_region(framework, values, *, previous=None, cohort=None) -> RegionScore

`values` maps item codes to raw values (a maturity level, a percentage, a measure); `previous` is
the previous cycle's raw values, used only by the carry_forward policy; `cohort` carries the
statistics of the regions scored together and is needed only for min-max, z-score and rank items
(build it with `build_cohort`, or score the whole batch with `scoring.score_regions`).

Every figure is computed in exact rationals (`Fraction`; see `scoring.rounding`) and rounded once,
half-up to the framework's places, when it is published. The result holds those official figures
(`index`, `nodes`, `tags`, `items`, Decimals) and, in `exact`, the same figures before their own
rounding (Fractions). With `round_each_level` each inner node is rounded before its parent
aggregates it; item scores are never rounded before aggregation. Tag indices are weighted means
of item scores with each item's effective global weight, so they do not depend on
`round_each_level`. Under reweight a node with
nothing present is None, and so is everything above it that has nothing else.

The predicate is read from the rounded index, so the published figure and the published band
always agree (4.195 publishes as 4.20 and is therefore Memuaskan at >= 4.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scoring.aggregate import mean_of_units, weighted_mean
from scoring.frozen import FrozenMap
from scoring.model import Aggregation, Framework, ItemValues, MissingPolicy, PredicateBand
from scoring.normalise import Cohort, ItemStats, scale_score
from scoring.rounding import exact, quantize_exact_optional
from scoring.tree import Plan, plan_for
from scoring.values import Resolved, resolve

Figures = Mapping[str, Decimal | None]
ExactMap = Mapping[str, Fraction | None]


@dataclass(frozen=True)
class ExactFigures:
    """Figures before their own rounding, as exact rationals (inputs may already be rounded
    under round_each_level; geometric means and z-scores are exact values of 40-digit results)."""

    nodes: ExactMap  # node code -> index, root included
    tags: ExactMap  # tag code -> index
    items: ExactMap  # item code -> score on the scale


@dataclass(frozen=True)
class RegionScore:
    index: Decimal | None  # the root's official index; None only if nothing at all was scored
    predicate: str | None  # code of the highest band whose minimum <= index
    nodes: Figures  # node code -> official index, root included
    tags: Figures  # tag code -> official index; None for a tag with nothing to score
    items: Figures  # item code -> score on the scale, rounded for display
    missing: tuple[str, ...]  # items without a current value, in framework order
    carried_forward: tuple[str, ...]  # missing items scored with the previous cycle's value
    exact: ExactFigures


def score_region(
    framework: Framework,
    values: ItemValues,
    *,
    previous: ItemValues | None = None,
    cohort: Cohort | None = None,
) -> RegionScore:
    """Score one region. Raises `FrameworkError` or `ScoringInputError` with the offending code."""
    plan = plan_for(framework)
    return score_resolved(plan, resolve(plan, values, previous), cohort)


def build_cohort(
    framework: Framework,
    values: Mapping[str, ItemValues],
    *,
    previous: Mapping[str, ItemValues] | None = None,
) -> Cohort:
    """Cohort statistics over `values` (region -> item values) for later `score_region` calls."""
    plan = plan_for(framework)
    previous = previous or {}
    return cohort_of(plan, [resolve(plan, v, previous.get(r)) for r, v in values.items()])


def cohort_of(plan: Plan, regions: Iterable[Resolved]) -> Cohort:
    regions = list(regions)
    stats: dict[str, ItemStats] = {}
    for item in plan.cohort_items:
        present = [v for r in regions if (v := r.values[item.code]) is not None]
        if present:
            stats[item.code] = ItemStats.of(present)
    return Cohort(regions=len(regions), stats=FrozenMap(stats))


def score_resolved(plan: Plan, resolved: Resolved, cohort: Cohort | None) -> RegionScore:
    framework = plan.framework
    rounding = framework.rounding
    reweight = framework.missing is MissingPolicy.REWEIGHT
    minimum = exact(framework.scale.minimum)
    items: dict[str, Fraction | None] = {}
    for item in plan.items:
        value = resolved.values[item.code]
        if value is None:
            items[item.code] = None if reweight else minimum
        else:
            stats = cohort.stats.get(item.code) if cohort is not None else None
            items[item.code] = scale_score(item, value, framework.scale, stats)

    # What each parent aggregates: item scores, then node indices (rounded or not).
    feeds: dict[str, Fraction | None] = dict(items)
    exact_nodes: dict[str, Fraction | None] = {}
    nodes: dict[str, Decimal | None] = {}
    arithmetic = framework.aggregation is Aggregation.ARITHMETIC
    for node in plan.nodes:
        if arithmetic:
            mean = mean_of_units(
                [
                    (u, v)
                    for code, u in zip(node.children, node.units, strict=True)
                    if (v := feeds[code]) is not None
                ]
            )
        else:
            pairs = [
                (w, v)
                for code, w in zip(node.children, node.weights, strict=True)
                if (v := feeds[code]) is not None
            ]
            mean = weighted_mean(pairs, framework.aggregation)
        exact_nodes[node.code] = mean
        published = quantize_exact_optional(mean, rounding)
        nodes[node.code] = published
        if rounding.round_each_level:
            feeds[node.code] = None if published is None else exact(published)
        else:
            feeds[node.code] = mean

    exact_tags: dict[str, Fraction | None] = {}
    for tag in plan.tags:
        if arithmetic:
            exact_tags[tag] = mean_of_units(
                [
                    (u, v)
                    for code, u in zip(plan.tag_items[tag], plan.tag_units[tag], strict=True)
                    if (v := items[code]) is not None
                ]
            )
        else:
            tag_pairs = [
                (plan.global_weights[code], v)
                for code in plan.tag_items[tag]
                if (v := items[code]) is not None
            ]
            exact_tags[tag] = weighted_mean(tag_pairs, framework.aggregation)

    index = nodes[plan.root]
    return RegionScore(
        index=index,
        predicate=predicate_for(index, framework.predicates),
        nodes=FrozenMap(nodes),
        tags=_rounded(exact_tags, framework),
        items=_rounded(items, framework),
        missing=resolved.missing,
        carried_forward=resolved.carried_forward,
        exact=ExactFigures(
            nodes=FrozenMap(exact_nodes),
            tags=FrozenMap(exact_tags),
            items=FrozenMap(items),
        ),
    )


def predicate_for(index: Decimal | None, bands: Iterable[PredicateBand]) -> str | None:
    """The highest band whose (inclusive) minimum the index reaches; None below every band."""
    if index is None:
        return None
    reached = [band for band in bands if band.minimum <= index]
    return max(reached, key=lambda band: band.minimum).code if reached else None


def _rounded(figures: ExactMap, framework: Framework) -> Figures:
    return FrozenMap(
        {k: quantize_exact_optional(v, framework.rounding) for k, v in figures.items()}
    )
