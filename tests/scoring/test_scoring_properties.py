"""Properties of the engine over random frameworks and values (hypothesis)."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring import (
    competition_ranks,
    compile_framework,
    group_ranks,
    score_matrix,
    score_region,
    score_regions,
    value_matrix,
)
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.model import (
    Aggregation,
    Direction,
    Framework,
    Indicator,
    IndicatorKind,
    MissingPolicy,
    Node,
    Normalisation,
    Rounding,
    Tag,
)
from scoring.rounding import exact

FAST = settings(max_examples=150, deadline=None)
TAGS = (Tag("t0"), Tag("t1", "t0"), Tag("t2"))
STANDALONE = (Normalisation.GOALPOSTS, Normalisation.DISTANCE_TO_TARGET)
COHORT = (Normalisation.MIN_MAX, Normalisation.Z_SCORE, Normalisation.RANK)

weights = st.one_of(
    st.integers(0, 20).map(D),
    st.decimals(min_value=D("0.001"), max_value=D(100), places=3),
)
directions = st.sampled_from(Direction)


@st.composite
def indicators(draw: st.DrawFn, /, code: str, methods: tuple[Normalisation, ...]) -> Indicator:
    weight = draw(weights)
    direction = draw(directions)
    tags = tuple(draw(st.sets(st.sampled_from(["t0", "t1", "t2"]), max_size=2)))
    kind = draw(st.sampled_from(["maturity", "percentage", *methods]))
    if kind == "maturity":
        return maturity(code, weight, tags=tags, direction=direction)
    if kind == "percentage":
        return percentage(code, weight, tags=tags, direction=direction)
    method = Normalisation(kind)
    if method is Normalisation.DISTANCE_TO_TARGET:
        up = direction is Direction.HIGHER_IS_BETTER
        return quantitative(
            code, weight, method, tags=tags, direction=direction,
            lower=10 if up else 90, target=90 if up else 10,
        )  # fmt: skip
    return quantitative(code, weight, method, tags=tags, direction=direction, lower=-20, upper=120)


@st.composite
def frameworks(
    draw: st.DrawFn, /, methods: tuple[Normalisation, ...] = STANDALONE, **fixed: Any
) -> Framework:
    codes = itertools.count()

    def tree(depth: int) -> Node:
        children: list[Node | Indicator] = []
        for _ in range(draw(st.integers(1, 4))):
            if depth < 3 and draw(st.integers(0, 2)) == 0:
                children.append(tree(depth + 1))
            else:
                children.append(draw(indicators(f"i{next(codes)}", methods)))
        if sum(c.weight for c in children) == 0:
            children[0] = dataclasses.replace(children[0], weight=D(1))
        return node(f"n{next(codes)}", 1, *children)

    options: dict[str, Any] = {
        "aggregation": draw(st.sampled_from(Aggregation)),
        "missing": draw(st.sampled_from(MissingPolicy)),
        "rounding": Rounding(places=draw(st.integers(0, 4)), round_each_level=draw(st.booleans())),
        "tags": TAGS,
    }
    return framework(tree(0), **(options | fixed))


def raw_value(draw: st.DrawFn, item: Indicator) -> D:
    if item.kind is IndicatorKind.MATURITY:
        return draw(st.decimals(min_value=1, max_value=5, places=2))
    if item.kind is IndicatorKind.PERCENTAGE:
        return draw(st.decimals(min_value=0, max_value=100, places=1))
    return draw(st.decimals(min_value=-50, max_value=150, places=2))


def items_of(fw: Framework) -> list[Indicator]:
    def walk(n: Node) -> list[Indicator]:
        return [i for c in n.children for i in ([c] if isinstance(c, Indicator) else walk(c))]

    return walk(fw.root)


@st.composite
def region_values(draw: st.DrawFn, /, fw: Framework, missing: bool = True) -> dict[str, D]:
    return {
        item.code: raw_value(draw, item)
        for item in items_of(fw)
        if not missing or draw(st.integers(0, 4)) > 0
    }


def _exact_index(fw: Framework, values: dict[str, D]) -> Fraction | None:
    return score_region(fw, values).exact.nodes[fw.root.code]


@FAST
@given(st.data())
def test_raising_one_item_never_lowers_the_index(data: st.DataObject) -> None:
    # Both aggregations, every policy and rounding, every mapping that needs no cohort.
    fw = data.draw(frameworks())
    values = data.draw(region_values(fw))
    present = [item for item in items_of(fw) if item.code in values]
    assume(present)
    item = data.draw(st.sampled_from(present))
    step = data.draw(st.decimals(min_value=D("0.01"), max_value=50, places=2))
    better = step if item.direction is Direction.HIGHER_IS_BETTER else -step
    raised = values | {item.code: _keep_valid(item, values[item.code] + better)}
    before, after = score_region(fw, values), score_region(fw, raised)
    if before.index is None:  # reweight with only zero-weight items present
        assert after.index is None
        return
    assert after.index is not None
    assert after.index >= before.index
    exact_before, exact_after = _exact_index(fw, values), _exact_index(fw, raised)
    assert exact_before is not None
    assert exact_after is not None
    assert exact_after >= exact_before


def _keep_valid(item: Indicator, value: D) -> D:
    if item.kind is IndicatorKind.MATURITY:
        return max(D(1), min(D(5), value))
    if item.kind is IndicatorKind.PERCENTAGE:
        return max(D(0), min(D(100), value))
    return value


@FAST
@given(st.data())
def test_every_index_stays_within_the_scale(data: st.DataObject) -> None:
    fw = data.draw(frameworks(methods=STANDALONE + COHORT))
    regions = {f"r{n}": data.draw(region_values(fw)) for n in range(data.draw(st.integers(1, 5)))}
    result = score_regions(fw, regions)
    for score in result.regions.values():
        figures = [*score.nodes.values(), *score.tags.values(), *score.exact.nodes.values()]
        for figure in figures:
            assert figure is None or D(1) <= figure <= D(5)


@FAST
@given(st.data())
def test_scaling_the_weights_of_a_node_together_changes_nothing(data: st.DataObject) -> None:
    fw = data.draw(frameworks())
    values = data.draw(region_values(fw))
    factor = data.draw(st.sampled_from([D("0.001"), D("0.5"), D(3), D("7.25"), D(1000)]))
    target = data.draw(st.sampled_from(_node_codes(fw.root)))
    scaled = dataclasses.replace(fw, root=_scale_node(fw.root, target, factor))
    before, after = score_region(fw, values), score_region(scaled, values)
    assert after.index == before.index
    assert after.tags == before.tags
    exact_before, exact_after = _exact_index(fw, values), _exact_index(scaled, values)
    if exact_before is None:
        assert exact_after is None
    else:
        assert exact_after is not None
        assert abs(exact_after - exact_before) < Fraction(1, 10**30)  # geometric: 40 digits


def _node_codes(n: Node) -> list[str]:
    return [n.code, *(code for c in n.children if isinstance(c, Node) for code in _node_codes(c))]


def _scale_node(n: Node, code: str, factor: D) -> Node:
    children = tuple(_scale_node(c, code, factor) if isinstance(c, Node) else c for c in n.children)
    if n.code == code:
        children = tuple(
            dataclasses.replace(c, weight=exact(c.weight) * exact(factor)) for c in children
        )
    return dataclasses.replace(n, children=children)


@FAST
@given(
    st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=3),
        st.one_of(st.none(), st.decimals(min_value=1, max_value=5, places=1)),
        max_size=20,
    ),
    st.data(),
)
def test_ranks_are_consistent_with_scores(scores: dict[str, D | None], data: st.DataObject) -> None:
    groups = {region: data.draw(st.sampled_from("xyz")) for region in scores}
    for ranks, same_group in [
        (competition_ranks(scores), _always),
        (group_ranks(scores, groups), lambda a, b: groups[a] == groups[b]),
    ]:
        for a, b in itertools.product(scores, repeat=2):
            sa, sb, ra, rb = scores[a], scores[b], ranks[a], ranks[b]
            if sa is None:
                assert ra is None
                continue
            assert ra is not None
            if sb is None or not same_group(a, b):
                continue
            assert rb is not None
            if sa > sb:
                assert ra < rb
            if sa == sb:
                assert ra == rb
        # Competition ranking: one plus the number of strictly better regions in the group.
        for a, ra in ranks.items():
            sa = scores[a]
            if sa is not None:
                better = [b for b, sb in scores.items() if sb is not None and sb > sa]
                assert ra == 1 + sum(same_group(a, b) for b in better)


def _always(a: str, b: str) -> bool:
    return True


@FAST
@given(st.data())
def test_the_numpy_path_agrees_with_the_decimal_path(data: st.DataObject) -> None:
    fw = data.draw(
        frameworks(methods=STANDALONE + COHORT, rounding=Rounding(places=2, round_each_level=False))
    )
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 6)))]
    regions = {name: data.draw(region_values(fw)) for name in names}
    previous = {name: data.draw(region_values(fw)) for name in names}
    official = score_regions(fw, regions, previous=previous)

    compiled = compile_framework(fw)
    fast = score_matrix(
        compiled,
        value_matrix(compiled, [regions[n] for n in names]),
        previous=value_matrix(compiled, [previous[n] for n in names]),
    )
    for row, name in enumerate(names):
        exact = official.regions[name].exact
        for col, code in enumerate(compiled.node_codes):
            _assert_close(fast.nodes[row, col], exact.nodes[code])
        for col, code in enumerate(compiled.tag_codes):
            _assert_close(fast.tags[row, col], exact.tags[code])


def _assert_close(fast: float, official: Fraction | None) -> None:
    if official is None:
        assert np.isnan(fast)
    else:
        assert abs(fast - float(official)) <= 1e-9
