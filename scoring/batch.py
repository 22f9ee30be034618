"""The official (exact) path for a batch of regions: a national (re)computation.

    score_regions(framework, {region: values}, *, previous=None, previous_indices=None,
                  groups=None) -> BatchScore

- `values`: region -> item code -> Decimal, or a `ScaledValues` (scoring.scaled): the same values
  as scaled integers, the form a database hands over without a Decimal per value; the figures
  are identical either way.
- `previous`: region -> the previous cycle's raw item values, used by carry_forward.
- `previous_indices`: region -> the previous cycle's published index, for `improvements`.
- `groups`: grouping name -> (region -> group key), e.g. {"province": {"64.02": "64"}, "peer":
  {...}}; `group_ranks[name][region]` is the region's rank within its group.

The regions passed are the cohort for min-max, z-score and rank items: its statistics are
computed once, from the values each region is scored with, before any region is scored. Ranks are
competition ranks (1-2-2-4) of the rounded official index.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import RegionScore, cohort_of, score_resolved
from scoring.errors import ScoringInputError
from scoring.frozen import FrozenMap
from scoring.model import Framework, ItemValues, MissingPolicy
from scoring.normalise import Cohort
from scoring.official import fast_scores
from scoring.rank import competition_ranks, group_ranks, improvement
from scoring.scaled import ScaledValues
from scoring.tree import Plan, plan_for
from scoring.values import Resolved, resolve

RankMap = Mapping[str, int | None]


@dataclass(frozen=True)
class BatchScore:
    regions: Mapping[str, RegionScore]  # in the order given
    ranks: RankMap  # national competition rank of the official index; None if unscored
    group_ranks: Mapping[str, RankMap]  # grouping name -> region -> rank within its group
    improvements: Mapping[str, Decimal | None]  # None without a previous published index
    cohort: Cohort


def score_regions(
    framework: Framework,
    values: Mapping[str, ItemValues] | ScaledValues,
    *,
    previous: Mapping[str, ItemValues] | None = None,
    previous_indices: Mapping[str, Decimal | None] | None = None,
    groups: Mapping[str, Mapping[str, str]] | None = None,
) -> BatchScore:
    """Score every region, rank them nationally and within groups, and compute improvement.

    The float path with error bounds (`scoring.official`) gives the figures when it can vouch
    for every one of them; otherwise the exact path (`score_regions_exact`) does.
    """
    plan = plan_for(framework)
    if isinstance(values, ScaledValues) and (
        (previous and framework.missing is MissingPolicy.CARRY_FORWARD) or not values.fits_floats()
    ):
        values = values.as_mapping()  # carrying forward mixes in the previous cycle's Decimals
    fast = fast_scores(plan, values, previous or {})
    if fast is None:
        # The plan made above serves the exact path too (planning validates the whole tree).
        if isinstance(values, ScaledValues):
            values = values.as_mapping()
        return _exact(plan, values, previous or {}, previous_indices or {}, groups)
    scores, cohort = fast
    return _batch(framework, scores, scores.indices, cohort, previous_indices or {}, groups)


def score_regions_exact(
    framework: Framework,
    values: Mapping[str, ItemValues] | ScaledValues,
    *,
    previous: Mapping[str, ItemValues] | None = None,
    previous_indices: Mapping[str, Decimal | None] | None = None,
    groups: Mapping[str, Mapping[str, str]] | None = None,
) -> BatchScore:
    """`score_regions` on the exact path only: every figure in Fractions (the reference)."""
    if isinstance(values, ScaledValues):
        values = values.as_mapping()
    return _exact(plan_for(framework), values, previous or {}, previous_indices or {}, groups)


def _exact(
    plan: Plan,
    values: Mapping[str, ItemValues],
    previous: Mapping[str, ItemValues],
    previous_indices: Mapping[str, Decimal | None],
    groups: Mapping[str, Mapping[str, str]] | None,
) -> BatchScore:
    resolved: dict[str, Resolved] = {}
    for region, region_values in values.items():
        with _for_region(region):
            resolved[region] = resolve(plan, region_values, previous.get(region))
    cohort = cohort_of(plan, resolved.values())
    scores: dict[str, RegionScore] = {}
    for region, region_resolved in resolved.items():
        with _for_region(region):
            scores[region] = score_resolved(plan, region_resolved, cohort)
    indices = {region: score.index for region, score in scores.items()}
    return _batch(plan.framework, FrozenMap(scores), indices, cohort, previous_indices, groups)


def _batch(
    framework: Framework,
    scores: Mapping[str, RegionScore],  # read-only already
    indices: Mapping[str, Decimal | None],
    cohort: Cohort,
    previous_indices: Mapping[str, Decimal | None],
    groups: Mapping[str, Mapping[str, str]] | None,
) -> BatchScore:
    return BatchScore(
        regions=scores,
        ranks=FrozenMap(competition_ranks(indices)),
        group_ranks=FrozenMap(
            {name: FrozenMap(group_ranks(indices, keys)) for name, keys in (groups or {}).items()}
        ),
        improvements=FrozenMap(
            {
                region: improvement(index, previous_indices[region], framework.rounding)
                if region in previous_indices
                else None  # no previous index: no improvement
                for region, index in indices.items()
            }
        ),
        cohort=cohort,
    )


@contextmanager
def _for_region(region: str) -> Iterator[None]:
    # A national run must name the region whose input was refused.
    try:
        yield
    except ScoringInputError as error:
        raise ScoringInputError(f"region {region}: {error}") from error
