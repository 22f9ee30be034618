"""Step gains (`scoring.improve`), computed by hand on one small tree.

root (1)
├── A (weight 3): a1 (1), a2 (1)      each a-item carries 3/4 × 1/2 = 3/8 of the index
└── B (weight 1): b1 (1), p1 (0)      b1 carries 1/4; p1 is a percentage with no weight
"""

from __future__ import annotations

import random
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import improve, score_region
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.errors import ScoringInputError
from scoring.improve import (
    GAIN_PLACES,
    StepGain,
    gains_per_step,
    gains_per_step_exact,
    gains_per_step_many,
)
from scoring.model import (
    Aggregation,
    Direction,
    Framework,
    MissingPolicy,
    Normalisation,
    Rounding,
)
from scoring.rounding import round_half_up


def _tree(policy: MissingPolicy = MissingPolicy.LOWEST, **options: Any) -> Framework:
    return framework(
        node(
            "root",
            1,
            node("A", 3, maturity("a1"), maturity("a2")),
            node("B", 1, maturity("b1"), percentage("p1", 0)),
        ),
        missing=policy,
        **options,
    )


def _codes(gains: list[StepGain]) -> list[str]:
    return [step.code for step in gains]


def test_it_puts_the_item_with_the_biggest_weight_first() -> None:
    gains = gains_per_step(_tree(), {"a1": D(2), "a2": D(5), "b1": D(1), "p1": D(50)})
    assert gains == [
        StepGain("a1", D(2), 3, D("0.37500000")),  # 3/8 of one level
        StepGain("b1", D(1), 2, D("0.25000000")),  # 1/4 of one level
    ]


def test_an_item_at_the_top_level_and_a_percentage_are_not_stepped() -> None:
    gains = gains_per_step(_tree(), {"a1": D(5), "a2": D(5), "b1": D(5), "p1": D(10)})
    assert gains == []


def test_equal_weights_tie_exactly_and_keep_framework_order() -> None:
    gains = gains_per_step(_tree(), {"a1": D(1), "a2": D(1), "b1": D(1)})
    assert _codes(gains) == ["a1", "a2", "b1"]
    assert gains[0].gain == gains[1].gain


def test_a_fractional_level_steps_to_the_next_whole_level() -> None:
    (first, *_rest) = gains_per_step(_tree(), {"a1": D("2.5"), "a2": D(5), "b1": D(5)})
    # 3/8 × (3 - 2.5) = 0.1875
    assert first == StepGain("a1", D("2.5"), 3, D("0.18750000"))


def test_a_missing_item_under_lowest_steps_from_the_minimum() -> None:
    gains = gains_per_step(_tree(), {"a2": D(5), "b1": D(5)})
    assert gains == [StepGain("a1", None, 2, D("0.37500000"))]


def test_reweight_can_make_a_step_for_a_missing_item_lower_the_index() -> None:
    # Baseline: A = a2 = 3, root = (3·3 + 4) / 4 = 3.25.
    # a2 → 4: root = (3·4 + 4) / 4 = 4 (+0.75). b1 → 5: (9 + 5) / 4 = 3.5 (+0.25).
    # a1 → 2 enters the mean: A = 2.5, root = (7.5 + 4) / 4 = 2.875 (−0.375).
    gains = gains_per_step(_tree(MissingPolicy.REWEIGHT), {"a2": D(3), "b1": D(4)})
    assert [(s.code, s.gain) for s in gains] == [
        ("a2", D("0.75000000")),
        ("b1", D("0.25000000")),
        ("a1", D("-0.37500000")),
    ]


def test_carry_forward_steps_from_last_cycles_value() -> None:
    gains = gains_per_step(
        _tree(MissingPolicy.CARRY_FORWARD),
        {"a2": D(5), "b1": D(5)},
        previous={"a1": D(4)},
    )
    assert gains == [StepGain("a1", None, 5, D("0.37500000"))]


def test_a_lower_is_better_item_steps_down() -> None:
    fw = framework(
        node("root", 1, maturity("x", direction=Direction.LOWER_IS_BETTER), maturity("y")),
    )
    gains = gains_per_step(fw, {"x": D(3), "y": D(5)})
    assert gains == [StepGain("x", D(3), 2, D("0.50000000"))]
    assert gains_per_step(fw, {"x": D(1), "y": D(5)}) == []


@pytest.mark.parametrize(
    "options",
    [
        {"rounding": Rounding(places=2, round_each_level=True)},
        {"aggregation": Aggregation.GEOMETRIC},
        {"missing": MissingPolicy.REWEIGHT},
    ],
)
def test_gains_are_the_engines_own_differences(options: dict[str, Any]) -> None:
    fw = framework(
        node(
            "root",
            1,
            node("A", 3, maturity("a1"), maturity("a2"), maturity("a3")),
            node("B", 7, maturity("b1"), maturity("b2")),
        ),
        **options,
    )
    values = {"a1": D(2), "a2": D(3), "b1": D(4), "b2": D("1.5")}
    root = score_region(fw, values).exact.nodes["root"]
    assert root is not None
    for step in gains_per_step(fw, values):
        variant = score_region(fw, {**values, step.code: D(step.next_level)}).exact.nodes["root"]
        assert variant is not None
        expected = round_half_up(variant - root, GAIN_PLACES)
        assert step.gain == expected, step.code


def test_it_refuses_values_for_unknown_items() -> None:
    with pytest.raises(ScoringInputError, match="zz"):
        gains_per_step(_tree(), {"zz": D(1)})


@pytest.mark.parametrize(
    "policy", [MissingPolicy.LOWEST, MissingPolicy.REWEIGHT, MissingPolicy.CARRY_FORWARD]
)
@pytest.mark.parametrize("aggregation", [Aggregation.ARITHMETIC, Aggregation.GEOMETRIC])
def test_the_batch_path_agrees_with_the_decimal_path(
    policy: MissingPolicy, aggregation: Aggregation
) -> None:
    fw = framework(
        node(
            "root",
            1,
            node("A", 2, *(maturity(f"a{i}", i) for i in range(1, 6))),
            node("B", 5, *(maturity(f"b{i}") for i in range(1, 4)), percentage("bp", 2)),
            node("C", 3, node("C1", 1, maturity("c1"), maturity("c2")), maturity("c3", 4)),
        ),
        missing=policy,
        aggregation=aggregation,
    )
    rng = random.Random(7)
    codes = ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "c1", "c2", "c3"]
    regions = [
        {c: D(rng.randint(1, 5)) for c in codes if rng.random() > 0.2} | {"bp": D(40)}
        for _ in range(12)
    ]
    previous = [{c: D(rng.randint(1, 5)) for c in codes} for _ in regions]
    batch = gains_per_step_many(fw, regions, previous=previous)
    for values, before, fast in zip(regions, previous, batch, strict=True):
        exact = gains_per_step(fw, values, previous=before)
        assert {s.code: (s.current, s.next_level) for s in fast} == {
            s.code: (s.current, s.next_level) for s in exact
        }
        exact_gains = {s.code: s.gain for s in exact}
        for step in fast:
            assert abs(step.gain - exact_gains[step.code]) <= D(1).scaleb(-GAIN_PLACES)


def test_the_batch_path_refuses_items_normalised_over_a_cohort() -> None:
    fw = framework(
        node("root", 1, maturity("m"), quantitative("q", 1, Normalisation.MIN_MAX)),
    )
    with pytest.raises(ScoringInputError, match="q"):
        gains_per_step_many(fw, [{"m": D(1), "q": D(3)}])


# The vectorised path against the exact one it replaced (kept as `gains_per_step_exact`): equal
# StepGains (codes, levels, quantized gains, order) on random trees, values and policies.
_LEVEL = st.one_of(
    st.none(), st.integers(1, 5).map(D), st.sampled_from([D("1.5"), D("2.25"), D("3.475")])
)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Framework, dict[str, D], dict[str, D] | None]:
    weights = draw(st.lists(st.integers(1, 9), min_size=4, max_size=4))
    directions = draw(st.lists(st.sampled_from(list(Direction)), min_size=4, max_size=4))
    items = [maturity(f"m{i}", weights[i], direction=directions[i]) for i in range(4)]
    tree = node(
        "root",
        1,
        node("A", draw(st.integers(1, 7)), items[0], items[1]),
        node("B", draw(st.integers(1, 7)), items[2], items[3], percentage("p1", 1)),
    )
    fw = framework(
        tree,
        missing=draw(st.sampled_from(list(MissingPolicy))),
        aggregation=draw(st.sampled_from([Aggregation.ARITHMETIC, Aggregation.GEOMETRIC])),
    )
    values = {f"m{i}": v for i in range(4) if (v := draw(_LEVEL)) is not None}
    if draw(st.booleans()):
        values["p1"] = D(draw(st.integers(0, 100)))
    previous = draw(st.none() | st.just({f"m{i}": D(draw(st.integers(1, 5))) for i in range(4)}))
    return fw, values, previous


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_the_vectorised_path_equals_the_exact_one(
    case: tuple[Framework, dict[str, D], dict[str, D] | None],
) -> None:
    fw, values, previous = case
    assert gains_per_step(fw, values, previous=previous) == gains_per_step_exact(
        fw, values, previous=previous
    )


def test_a_gain_on_a_rounding_boundary_is_scored_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    # x carries 1/200,000,000 of the index: one level more adds exactly 0.000000005, which rounds
    # half-up to 0.00000001; in floats the difference of two indexes near 5 comes out a hair
    # below the half and would round to 0.
    fw = framework(node("root", 1, maturity("x", 1), maturity("y", 2 * 10**8 - 1)))
    values = {"x": D(1), "y": D(5)}
    assert [s.gain for s in gains_per_step(fw, values)] == [D("0.00000001")]
    assert gains_per_step(fw, values) == gains_per_step_exact(fw, values)
    monkeypatch.setattr(improve, "BOUNDARY_MARGIN", 0.0)
    assert [s.gain for s in gains_per_step(fw, values)] == [D("0E-8")]  # what the check prevents
