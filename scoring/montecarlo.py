"""The vectorised kernel of the uncertainty analysis (`scoring.uncertainty`): many draws at once.

A draw is one set of choices an index maker could have made: a multiplicative factor on every
weight of the tree (an *edge*: a node and one of its children), arithmetic or geometric
aggregation, and a missing-value policy. For a chunk of D draws and R regions:

- the perturbed weights are renormalised under each node (a segment sum over siblings) and
  multiplied along each item's path to the root (a gather and a product over the tree's depth),
  giving every item's share of the index in every draw, G (D x items);
- without holes the indices are one matrix product, S @ G.T (arithmetic), or exp(log S @ G.T)
  (geometric: nested weighted geometric means multiply out the same way), R x D;
- with reweight holes (NaN), reweighting does not commute with flattening: the flat product is
  corrected for the few (region, node) pairs with an absent child (see `Prepared`), a product
  over those pairs only: still no loop over regions or draws;
- ranks of every draw come from one argsort along the region axis.

Draw ranks use the unrounded index: ties are values equal to `TIE_PLACES` decimals (float noise
between summation orders must not split a real tie) and share the best rank (1-2-2-4). A region
without an index in a draw (reweight with nothing present) is ranked after every other region.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from scoring.model import Aggregation, Framework, Indicator, MissingPolicy, Node
from scoring.rounding import exact
from scoring.tree import cache_by_framework, plan_for
from scoring.vector import compile_framework
from scoring.vector_normalise import BoolArray, FloatArray, IntArray

TIE_PLACES = 9
Int32Array = npt.NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class Kernel:
    """The framework's tree as edge arrays. Nodes are in `compile_framework` order."""

    node_codes: tuple[str, ...]
    edge_codes: tuple[tuple[str, str], ...]  # (parent node, child) per edge
    weights: FloatArray  # E: nominal weights as written
    parent: IntArray  # E: parent node per edge
    first_edge: IntArray  # nodes: each node's first edge (siblings are contiguous)
    paths: IntArray  # items x depth: edges from the item up to the root, padded with E
    group: IntArray  # E: which weight group (see `group_codes`) the edge belongs to
    # Group 0 is the root (the weights of the top-level nodes); then one group per top-level
    # node: every weight inside that node's subtree.
    group_codes: tuple[str, ...]
    active: IntArray  # item columns with a positive share of the index (others never count)
    under: BoolArray  # items x nodes: the item lies in the node's subtree
    ancestors: BoolArray  # nodes x nodes: [k, a] when a is a proper ancestor of k
    # Per node: (item columns, their edges), (child nodes, their edges); zero-weight edges are
    # left out: they never count, and their presence must not make a node present.
    item_edges: tuple[tuple[IntArray, IntArray], ...]
    node_edges: tuple[tuple[IntArray, IntArray], ...]


@dataclass(frozen=True, eq=False)
class Draws:
    factors: FloatArray  # N x E multiplicative weight factors
    geometric: BoolArray  # N
    policy: IntArray  # N: index into the policies in use


@cache_by_framework
def kernel_for(framework: Framework) -> Kernel:
    plan = plan_for(framework)
    compiled = compile_framework(framework)
    item_pos = {code: i for i, code in enumerate(compiled.item_codes)}
    node_pos = {code: k for k, code in enumerate(compiled.node_codes)}
    edges: list[tuple[str, str]] = []
    weights: list[float] = []
    parent: list[int] = []
    up: dict[str, int] = {}  # child code -> the edge above it
    for k, planned in enumerate(plan.nodes):
        for code, weight in zip(planned.children, planned.weights, strict=True):
            up[code] = len(edges)
            edges.append((planned.code, code))
            weights.append(float(weight))
            parent.append(k)
    n_edges, n_nodes = len(edges), len(plan.nodes)
    root = n_nodes - 1

    def chain(code: str) -> list[int]:
        found = []
        while code in up:
            found.append(up[code])
            code = edges[up[code]][0]
        return found

    chains = [chain(code) for code in compiled.item_codes]
    depth = max(len(c) for c in chains)
    paths = np.full((len(chains), depth), n_edges, dtype=np.int64)
    for i, found in enumerate(chains):
        paths[i, : len(found)] = found

    top_level = [code for code in plan.nodes[root].children if code in node_pos]
    group_codes = (plan.nodes[root].code, *top_level)
    group = np.zeros(n_edges, dtype=np.int64)
    for e, (parent_code, _child) in enumerate(edges):
        if parent[e] != root:
            # The edge's parent hangs under exactly one top-level node: the last on its chain.
            top = edges[chain(parent_code)[-1]][1] if chain(parent_code) else parent_code
            group[e] = group_codes.index(top)

    weight_array = np.array(weights, dtype=np.float64)
    positive = np.r_[weight_array > 0, True]
    active = np.flatnonzero(positive[paths].all(axis=1))
    under = np.zeros((len(chains), n_nodes), dtype=np.bool_)
    for i, found in enumerate(chains):
        under[i, [parent[e] for e in found]] = True
    ancestors = np.zeros((n_nodes, n_nodes), dtype=np.bool_)
    for k, planned in enumerate(plan.nodes):
        ancestors[k, [parent[e] for e in chain(planned.code)]] = True
    item_edges, node_edges = [], []
    for k in range(n_nodes):
        mine = [e for e in range(n_edges) if parent[e] == k and weight_array[e] > 0]
        items = [e for e in mine if edges[e][1] in item_pos]
        nodes = [e for e in mine if edges[e][1] in node_pos]
        item_edges.append((_ints([item_pos[edges[e][1]] for e in items]), _ints(items)))
        node_edges.append((_ints([node_pos[edges[e][1]] for e in nodes]), _ints(nodes)))
    kernel = Kernel(
        node_codes=compiled.node_codes,
        edge_codes=tuple(edges),
        weights=weight_array,
        parent=np.array(parent, dtype=np.int64),
        first_edge=np.searchsorted(np.array(parent), np.arange(n_nodes)).astype(np.int64),
        paths=paths,
        group=group,
        group_codes=group_codes,
        active=active,
        under=under,
        ancestors=ancestors,
        item_edges=tuple(item_edges),
        node_edges=tuple(node_edges),
    )
    # Kernels are cached and shared: nobody may write into their arrays.
    for value in vars(kernel).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return kernel


def draw(
    kernel: Kernel,
    seed: int,
    n: int,
    *,
    spread: float,
    geometric_share: float,
    policies: int,
) -> Draws:
    """All random choices up front, so that the chunk size cannot change the results.

    Each kind of choice has its own stream, so the first k draws of a run of n are the draws of
    a run of k with the same seed.
    """
    weights, aggregation, missing = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    factors = weights.uniform(1.0 - spread, 1.0 + spread, size=(n, len(kernel.edge_codes)))
    geometric = aggregation.random(n) < geometric_share
    policy = missing.integers(policies, size=n)
    return Draws(factors=factors, geometric=geometric, policy=policy)


def shares(kernel: Kernel, factors: FloatArray) -> FloatArray:
    """D x E: each edge's share of its parent after perturbation (rows of siblings sum to 1)."""
    raw = factors * kernel.weights
    # Siblings are contiguous edges: a segment sum, cheaper than a tiny BLAS product.
    sums = np.add.reduceat(raw, kernel.first_edge, axis=1)
    return np.asarray(raw / sums[:, kernel.parent], dtype=np.float64)


def item_weights(kernel: Kernel, edge_shares: FloatArray) -> FloatArray:
    """D x items: every item's share of the index, the product of the shares on its path."""
    padded = np.hstack([edge_shares, np.ones((edge_shares.shape[0], 1))])
    return np.asarray(padded[:, kernel.paths].prod(axis=2), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Prepared:
    """Regions' scale scores under one policy, with what reweighting needs, for every draw.

    Reweighting divides a node's sum by the share of its children that are present, Z < 1. Only
    the nodes with an absent child (`pairs`: region, node) have Z < 1, and they are few, so the
    index is the flat product plus one correction per pair: the pair's subtree sum times
    (1/Z - 1), times the 1/Z of every incomplete ancestor of the same region (`links`).
    """

    values: FloatArray  # R x active items: scores, 0 where absent
    logs: FloatArray  # the same for geometric draws: log scores, 0 where absent
    unscored: BoolArray  # R: nothing present at all (the index is NaN)
    regions: IntArray  # P: region of each pair, ascending
    # The node's absent children, as edges grouped by pair: edges[bounds[j]:bounds[j + 1]].
    absent_edges: IntArray
    absent_bounds: IntArray  # P: where each pair's absent edges start
    subtree_values: FloatArray  # P x active items: the region's values under the pair's node
    subtree_logs: FloatArray
    links: tuple[IntArray, IntArray]  # (pair, incomplete ancestor pair of the same region)
    starts: IntArray  # first pair of each region that has pairs
    owners: IntArray  # that region
    # Per pair, the sum of its absent edges' shares; per region, the sum of its pairs'
    # corrections (see `SegmentSums`).
    absent_sums: SegmentSums
    pair_sums: SegmentSums
    linked: IntArray  # the pairs with an incomplete ancestor (`links`' children, once each)
    linked_rows: IntArray  # per link: its child's row in `linked`


def prepare(kernel: Kernel, scores: FloatArray) -> Prepared:
    holes = np.isnan(scores)
    n_regions = scores.shape[0]
    n_nodes, n_edges = len(kernel.node_codes), len(kernel.edge_codes)
    # A node is present when one of its (positive-weight) edges is, incomplete when present
    # but short of one; an edge to an item is present with the item, an edge to a node with
    # the node. Settled level by level: all nodes at once, as many passes as the tree is deep.
    item_cols, item_e = (np.concatenate(a) for a in zip(*kernel.item_edges, strict=True))
    child_nodes, node_e = (np.concatenate(a) for a in zip(*kernel.node_edges, strict=True))
    # Each positive-weight edge counted under its parent: a node has one of some edges present
    # when the count of them is positive (small whole numbers: exact in float32).
    under_parent = np.zeros((n_edges, n_nodes), dtype=np.float32)
    positive = np.flatnonzero(kernel.weights > 0)
    under_parent[positive, kernel.parent[positive]] = 1.0

    def any_edge(edges: BoolArray) -> BoolArray:
        return np.asarray(edges.astype(np.float32) @ under_parent > 0)

    edge_present = np.zeros((n_regions, n_edges), dtype=np.bool_)
    edge_present[:, item_e] = ~holes[:, item_cols]
    node_present = np.zeros((n_regions, n_nodes), dtype=np.bool_)
    for _ in range(kernel.paths.shape[1]):
        node_present = any_edge(edge_present)
        edge_present[:, node_e] = node_present[:, child_nodes]
    incomplete = node_present & any_edge(~edge_present)
    pair_r, pair_k = np.nonzero(incomplete)  # sorted by region
    absent_pair, absent_edges = np.nonzero(
        ~edge_present[pair_r] & (kernel.parent == pair_k[:, None]) & (kernel.weights > 0)
    )
    active = scores[:, kernel.active]
    present = ~holes[:, kernel.active]
    values = np.where(present, active, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(present, np.log(np.where(present, active, 1.0)), 0.0)
    under = kernel.under[kernel.active][:, pair_k].T  # P x active: item under the pair's node
    owners, starts = np.unique(pair_r, return_index=True)
    # Every (pair, pair of the same region), by pair then by the other, kept where the other's
    # node is an ancestor of the pair's.
    sizes = np.diff(np.r_[starts, len(pair_r)])
    per_pair = np.repeat(sizes, sizes)
    child = np.repeat(np.arange(len(pair_r)), per_pair)
    first = np.repeat(np.repeat(starts, sizes), per_pair)
    other = first + np.arange(child.size) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    keep = kernel.ancestors[pair_k[child], pair_k[other]]
    links_child, links_parent = child[keep].astype(np.int64), other[keep].astype(np.int64)
    linked = np.unique(links_child)
    return Prepared(
        values=values,
        logs=logs,
        unscored=~node_present[:, -1],
        regions=pair_r.astype(np.int64),
        absent_edges=absent_edges.astype(np.int64),
        absent_bounds=np.searchsorted(absent_pair, np.arange(len(pair_r))).astype(np.int64),
        subtree_values=np.where(under, values[pair_r], 0.0),
        subtree_logs=np.where(under, logs[pair_r], 0.0),
        links=(links_child, links_parent),
        starts=starts.astype(np.int64),
        owners=owners.astype(np.int64),
        absent_sums=SegmentSums.of(
            np.searchsorted(absent_pair, np.arange(len(pair_r))), absent_edges
        ),
        pair_sums=SegmentSums.of(starts, np.arange(len(pair_r))),
        linked=linked,
        linked_rows=np.searchsorted(linked, links_child).astype(np.int64),
    )


@dataclass(frozen=True, eq=False)
class SegmentSums:
    """Row sums over segments (`terms[bounds[j]:bounds[j + 1]]`, each at least one term), bit
    for bit those of `np.add.reduceat(rows[terms], bounds, axis=0)`, in a few whole-array
    passes instead of numpy's loop over every column of every segment.

    numpy adds a segment as its first term plus the pairwise sum of the others, and a pairwise
    sum of fewer than 8 terms is their plain sum from left to right: so the first terms, plus
    the second terms, to which each further term is added in turn. The rare segment of more
    than 8 terms is left to numpy itself.
    """

    first: IntArray  # per segment, its first term
    second: tuple[IntArray, IntArray]  # (segments with 2 to 8 terms, their second term)
    later: tuple[tuple[IntArray, IntArray], ...]  # per k >= 2: (rows of `second`, k-th term)
    long: tuple[tuple[int, IntArray], ...]  # (segment, its terms): more than 8 terms

    @classmethod
    def of(cls, bounds: IntArray, terms: IntArray) -> SegmentSums:
        bounds = np.asarray(bounds, dtype=np.int64)
        terms = np.asarray(terms, dtype=np.int64)
        sizes = np.diff(np.r_[bounds, terms.size])
        short = np.flatnonzero((sizes >= 2) & (sizes <= 8))
        return cls(
            first=terms[bounds] if bounds.size else _ints([]),
            second=(short, terms[bounds[short] + 1]),
            later=tuple(
                (np.flatnonzero(sizes[short] > k), terms[bounds[short[sizes[short] > k]] + k])
                for k in range(2, int(sizes[short].max(initial=0)))
            ),
            long=tuple(
                (int(j), terms[bounds[j] : bounds[j] + sizes[j]]) for j in np.flatnonzero(sizes > 8)
            ),
        )

    def __call__(self, rows: FloatArray) -> FloatArray:
        found = rows[self.first]
        segments, second = self.second
        if segments.size:
            rest = rows[second]
            for which, terms in self.later:
                rest[which] += rows[terms]
            found[segments] += rest
        for j, terms in self.long:
            found[j] = np.add.reduceat(rows[terms], [0], axis=0)[0]
        return found


def evaluate(
    kernel: Kernel, prepared: Prepared, edge_shares: FloatArray, *, geometric: bool
) -> FloatArray:
    """R x D indices; geometric draws are arithmetic means of logs, exponentiated at the end."""
    weights = item_weights(kernel, edge_shares)[:, kernel.active].T  # active x D
    values = prepared.logs if geometric else prepared.values
    index = values @ weights
    if prepared.regions.size:
        by_edge = np.ascontiguousarray(edge_shares.T)  # E x D: rows gathered whole
        # In place from here on: fresh P x D temporaries cost more than the arithmetic.
        correction = prepared.absent_sums(by_edge)  # P x D: the absent share, 1 - Z
        np.subtract(1.0, correction, out=correction)
        with np.errstate(divide="ignore"):
            np.divide(1.0, correction, out=correction)  # 1/Z
        above = None
        if prepared.linked.size:  # exp(0) = 1 exactly for the others: only these multiply
            log_above = np.zeros((prepared.linked.size, correction.shape[1]))
            np.add.at(log_above, prepared.linked_rows, np.log(correction[prepared.links[1]]))
            above = np.exp(log_above, out=log_above)
        correction -= 1.0  # 1/Z - 1
        if above is not None:
            correction[prepared.linked] = above * correction[prepared.linked]
        correction *= (prepared.subtree_logs if geometric else prepared.subtree_values) @ weights
        index[prepared.owners] += prepared.pair_sums(correction)
    index[prepared.unscored] = np.nan
    if geometric:
        np.exp(index, out=index)
    return index


def rank_draws(index: FloatArray) -> Int32Array:
    """D x R competition ranks of R x D indices, per draw (column).

    Each draw's keys (the index to `TIE_PLACES`, best first, NaN last) are whole numbers; when
    their span leaves room, each is packed with its region's position into one int64 and the
    rows are sorted as plain integers (a SIMD sort, about twice as fast as an argsort); the
    positions read back from the low bits are the argsort. Otherwise (an enormous or infinite
    index) an argsort. Ties get the position of their block's first member either way, so the
    order inside a tie, the one thing the two sorts may differ in, never shows.
    """
    n_regions, n_draws = index.shape
    # floor(x * 10^TIE_PLACES + 0.5 + 1e-6), computed in place in draw-major order so that
    # each draw's sort reads contiguous memory; larger is better, NaN = no index.
    keys = np.empty((n_draws, n_regions))
    np.multiply(index.T, 10.0**TIE_PLACES, out=keys)
    keys += 0.5
    keys += 1e-6
    np.floor(keys, out=keys)
    order, ordered = _sorted_keys(keys)
    positions = np.arange(1, n_regions + 1, dtype=np.int32)
    ranks = np.empty(keys.shape, dtype=np.int32)
    ranks[np.arange(n_draws)[:, None], order] = positions  # ranks[d, order[d, j]] = j + 1
    tied = ordered[:, 1:] == ordered[:, :-1]
    rows = np.flatnonzero(tied.any(axis=1))
    if rows.size:  # in the draws with a tie, a tie block shares its first member's position
        new_block = np.ones((rows.size, n_regions), dtype=np.bool_)
        new_block[:, 1:] = ~tied[rows]
        starts = np.maximum.accumulate(np.where(new_block, positions, 0), axis=1)
        ranks[rows[:, None], order[rows]] = starts
    return ranks


def _sorted_keys(keys: FloatArray) -> tuple[IntArray, npt.NDArray[np.generic]]:
    """(order, the keys in that order, as some increasing function of them) per row of
    whole-number keys, the largest first and NaN last; `keys` is overwritten."""
    n_regions = keys.shape[1]
    bits = max(1, (n_regions - 1).bit_length())
    flat = keys.reshape(-1)
    high, low = float(flat.max()), float(flat.min())  # NaN when a region has no index
    holes = None
    if math.isnan(high) or math.isnan(low):
        holes = np.isnan(keys)
        high, low = float(np.fmax.reduce(flat)), float(np.fmin.reduce(flat))  # NaN: all NaN
    # Room for high - key, NaN as high - low + 1, and the position: below 2**62.
    if not high - low + 1.0 < 2.0 ** min(53, 62 - bits):
        if math.isnan(high):
            high = low = 0.0
        else:
            np.negative(keys, out=keys)
            keys[np.isnan(keys)] = np.inf
            order = np.argsort(keys, axis=1)
            return order, np.take_along_axis(keys, order, axis=1)
    np.subtract(high, keys, out=keys)  # exact: whole numbers whose difference is below 2**53
    if holes is not None:
        keys[holes] = high - low + 1.0
    packed = keys.astype(np.int64)
    packed <<= bits
    packed |= np.arange(n_regions, dtype=np.int64)
    packed.sort(axis=1)
    order = packed & ((1 << bits) - 1)
    packed >>= bits
    return order, packed


def rank_chunks(
    kernel: Kernel, scores: Sequence[Prepared], draws: Draws, chunk: int
) -> Iterator[Int32Array]:
    """Ranks (D x R) of successive chunks of draws; `scores[p]` is scored under policy p."""
    n_regions = scores[0].values.shape[0]
    for start in range(0, len(draws.policy), chunk):
        window = slice(start, start + chunk)
        edge_shares = shares(kernel, draws.factors[window])
        policy, geometric = draws.policy[window], draws.geometric[window]
        ranks = np.empty((len(policy), n_regions), dtype=np.int32)
        # One evaluation per (policy, aggregation) combination present in the chunk, ranked
        # apart (a draw's ranks depend on its own column only) and put in their rows.
        for p, policy_scores in enumerate(scores):
            for geo in (False, True):
                pick = np.flatnonzero((policy == p) & (geometric == geo))
                if pick.size == len(policy):  # the whole chunk: no copies
                    ranks = rank_draws(evaluate(kernel, policy_scores, edge_shares, geometric=geo))
                elif pick.size:
                    index = evaluate(kernel, policy_scores, edge_shares[pick], geometric=geo)
                    ranks[pick] = rank_draws(index)
        yield ranks


def _ints(values: list[int]) -> IntArray:
    return np.array(values, dtype=np.int64)


def perturbed(
    framework: Framework,
    factors: FloatArray,
    *,
    aggregation: Aggregation,
    missing: MissingPolicy,
) -> Framework:
    """The framework one draw stands for, as a plain `Framework`: the straightforward (slow)
    reference that tests and the benchmark compare the kernel with."""
    kernel = kernel_for(framework)
    edge = {codes: e for e, codes in enumerate(kernel.edge_codes)}

    def walk(node: Node) -> Node:
        children = []
        for child in node.children:
            factor = Fraction(float(factors[edge[(node.code, child.code)]]))
            inner = child if isinstance(child, Indicator) else walk(child)
            children.append(dataclasses.replace(inner, weight=exact(child.weight) * factor))
        return dataclasses.replace(node, children=tuple(children))

    return dataclasses.replace(
        framework, root=walk(framework.root), aggregation=aggregation, missing=missing
    )
