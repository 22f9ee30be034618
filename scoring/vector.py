"""The vectorised float path: many regions (or many Monte Carlo draws) at once, for analysis.

    compiled = compile_framework(framework)
    raw = value_matrix(compiled, [values_a, values_b, ...])  # regions x items, NaN = missing
    result = score_matrix(compiled, raw, previous=None)      # VectorScores
    result.index, result.nodes, result.tags                 # float arrays, one row per region
    ranks = rank_array(result.index, places=2)               # competition ranks, 0 = unranked

`compile_framework` turns the tree into a leaf-weight matrix: row n of `node_weights` holds every
item's share of node n's index (the product of normalised weights from n down to the item), so a
(regions x items) array S of scale scores gives every node index at once as `S @ node_weights.T`
(arithmetic) or `exp(log S @ node_weights.T)` (geometric: nested weighted geometric means
multiply out the same way). When reweight leaves holes (NaN) the nodes are aggregated level by
level instead, because reweighting does not commute with flattening.

Figures are unrounded floats and `round_each_level` is not applied: official figures come from the
Decimal path (`score_region` / `score_regions`). Without rounding the two agree to ~1e-12.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from scoring.model import Aggregation, Framework, ItemValues, MissingPolicy
from scoring.tree import cache_by_framework, plan_for
from scoring.vector_normalise import FloatArray, IntArray, ItemColumns, normalise_columns

ArrayT = TypeVar("ArrayT", bound=npt.NDArray[Any])


@dataclass(frozen=True, eq=False)
class CompiledFramework:
    framework: Framework
    item_codes: tuple[str, ...]
    node_codes: tuple[str, ...]  # children before parents; the root is last
    tag_codes: tuple[str, ...]
    node_weights: FloatArray  # nodes x items; each row sums to 1
    tag_weights: FloatArray  # tags x items; rows sum to 1, or are all zero for an empty tag
    # Per node: columns of its children in the [items | nodes] table, and their weights.
    children: tuple[tuple[IntArray, FloatArray], ...]
    columns: ItemColumns


@dataclass(frozen=True, eq=False)
class VectorScores:
    items: FloatArray  # regions x items: scale scores; NaN where reweight leaves an item out
    nodes: FloatArray  # regions x nodes, in `node_codes` order
    tags: FloatArray  # regions x tags, in `tag_codes` order; NaN where nothing is tagged

    @property
    def index(self) -> FloatArray:
        return self.nodes[:, -1]


@cache_by_framework
def compile_framework(framework: Framework) -> CompiledFramework:
    plan = plan_for(framework)
    item_pos = {item.code: i for i, item in enumerate(plan.items)}
    node_pos = {node.code: k for k, node in enumerate(plan.nodes)}
    n_items = len(plan.items)
    node_weights = np.zeros((len(plan.nodes), n_items))
    children: list[tuple[IntArray, FloatArray]] = []
    for k, node in enumerate(plan.nodes):
        total = sum(node.weights)
        shares = np.array([float(w / total) for w in node.weights])
        columns = []
        for code, share in zip(node.children, shares, strict=True):
            if code in item_pos:
                node_weights[k, item_pos[code]] += share
                columns.append(item_pos[code])
            else:  # children come first, so their row is complete
                node_weights[k] += share * node_weights[node_pos[code]]
                columns.append(n_items + node_pos[code])
        children.append((_frozen(np.array(columns, dtype=np.int64)), _frozen(shares)))

    tag_weights = np.zeros((len(plan.tags), n_items))
    for t, tag in enumerate(plan.tags):
        for code in plan.tag_items[tag]:
            tag_weights[t, item_pos[code]] = float(plan.global_weights[code])
        total = tag_weights[t].sum()
        if total > 0:
            tag_weights[t] /= total
    return CompiledFramework(
        framework=framework,
        item_codes=tuple(item.code for item in plan.items),
        node_codes=tuple(node.code for node in plan.nodes),
        tag_codes=plan.tags,
        node_weights=_frozen(node_weights),
        tag_weights=_frozen(tag_weights),
        children=tuple(children),
        columns=ItemColumns.of(plan.items),
    )


def value_matrix(compiled: CompiledFramework, regions: Sequence[ItemValues]) -> FloatArray:
    """Raw values as a (regions x items) float array; NaN marks a missing item.

    Unlike the official path this does not check codes or types: it is the fast way in.
    """
    nan = float("nan")
    rows = [
        [nan if (v := values.get(code)) is None else float(v) for code in compiled.item_codes]
        for values in regions
    ]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(compiled.item_codes))


def scale_matrix(
    compiled: CompiledFramework, raw: FloatArray, *, previous: FloatArray | None = None
) -> FloatArray:
    """Scale scores of raw values; the rows are the cohort for min-max, z-score and rank items.

    Applies the missing policy like the Decimal path: carry_forward fills from `previous` (same
    shape) before cohort statistics, lowest scores the scale minimum, reweight leaves NaN.
    """
    framework = compiled.framework
    raw = np.asarray(raw, dtype=np.float64)
    if raw.ndim != 2 or raw.shape[1] != len(compiled.item_codes):
        raise ValueError(f"expected (regions, {len(compiled.item_codes)}) values, got {raw.shape}")
    if framework.missing is MissingPolicy.CARRY_FORWARD and previous is not None:
        raw = np.where(np.isnan(raw), previous, raw)
    scores = normalise_columns(compiled.columns, raw, framework.scale, compiled.item_codes)
    if framework.missing is not MissingPolicy.REWEIGHT:
        scores[np.isnan(scores)] = float(framework.scale.minimum)
    return scores


def aggregate_matrix(compiled: CompiledFramework, scores: FloatArray) -> VectorScores:
    """Every node and tag index from a (regions x items) array of scale scores."""
    geometric = compiled.framework.aggregation is Aggregation.GEOMETRIC
    present = ~np.isnan(scores)
    if present.all() and not (geometric and (scores <= 0).any()):
        if geometric:
            nodes = np.exp(np.log(scores) @ compiled.node_weights.T)
        else:
            nodes = scores @ compiled.node_weights.T
    else:
        nodes = _level_by_level(compiled, scores, geometric=geometric)
    tags = _weighted_mean(scores, compiled.tag_weights.T, geometric=geometric)
    return VectorScores(items=scores, nodes=nodes, tags=tags)


def score_matrix(
    compiled: CompiledFramework, raw: FloatArray, *, previous: FloatArray | None = None
) -> VectorScores:
    return aggregate_matrix(compiled, scale_matrix(compiled, raw, previous=previous))


def _level_by_level(
    compiled: CompiledFramework, scores: FloatArray, *, geometric: bool
) -> FloatArray:
    n_items = scores.shape[1]
    table = np.empty((scores.shape[0], n_items + len(compiled.node_codes)))
    table[:, :n_items] = scores
    for k, (columns, shares) in enumerate(compiled.children):
        table[:, n_items + k] = _weighted_mean(
            table[:, columns], shares[:, None], geometric=geometric
        )[:, 0]
    return table[:, n_items:]


def _weighted_mean(values: FloatArray, weights: FloatArray, *, geometric: bool) -> FloatArray:
    """values (r x c) against weights (c x m): weighted means over present values, r x m.

    A column of results with no present weight is NaN (missing for its parent).
    """
    present = ~np.isnan(values)
    total = present.astype(np.float64) @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        if geometric:
            positive = present & (values > 0)
            logs = np.where(positive, np.log(np.where(positive, values, 1.0)), 0.0)
            means = np.exp((logs @ weights) / total)
            # A zero score with positive weight zeroes the geometric mean.
            zeroed = (present & (values == 0)).astype(np.float64) @ (weights > 0) > 0
            means[zeroed] = 0.0
        else:
            means = (np.where(present, values, 0.0) @ weights) / total
    means[total <= 0] = np.nan
    return np.asarray(means, dtype=np.float64)


def _frozen(array: ArrayT) -> ArrayT:
    # Compiled frameworks are cached and shared: nobody may write into their arrays.
    array.flags.writeable = False
    return array
