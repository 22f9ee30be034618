"""Monte Carlo rank uncertainty and sensitivity (scoring.uncertainty, scoring.montecarlo)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import compile_framework, rank_array, scale_matrix, score_matrix, value_matrix
from scoring.build import framework, maturity, node, percentage
from scoring.model import Aggregation, Framework, ItemValues, MissingPolicy, Scale
from scoring.montecarlo import (
    TIE_PLACES,
    draw,
    evaluate,
    kernel_for,
    perturbed,
    prepare,
    rank_draws,
    shares,
)
from scoring.uncertainty import MonteCarlo, Uncertainty, rank_uncertainty


def _two_nodes(policy: MissingPolicy = MissingPolicy.LOWEST) -> Framework:
    return framework(
        node(
            "index",
            1,
            node("x", 1, maturity("x1", 1), maturity("x2", 1)),
            node("y", 1, maturity("y1", 1), maturity("y2", 1)),
        ),
        missing=policy,
    )


def _nested() -> Framework:
    """Three levels, a percentage, unequal and zero weights: the kernel's harder cases."""
    return framework(
        node(
            "index",
            1,
            maturity("top", 1),
            node(
                "a",
                2,
                node("a1", 3, maturity("a11", 1), maturity("a12", 2), maturity("a13", 0)),
                node("a2", 1, percentage("a21", 1), maturity("a22", 1)),
            ),
            node("b", 3, maturity("b1", 1), maturity("b2", 5)),
        )
    )


def _levels(**items: str) -> ItemValues:
    return {code: D(v) for code, v in items.items()}


def _arrays(result: Uncertainty) -> list[Any]:
    return [result.nominal, result.median, result.low, result.high, result.mean, result.counts]


def _cohort(n: int, seed: int) -> dict[str, ItemValues]:
    rng = np.random.default_rng(seed)
    codes = compile_framework(_nested()).item_codes
    cohort: dict[str, ItemValues] = {}
    for r in range(n):
        values: dict[str, D | None] = {}
        for code in codes:
            top = 100 if code == "a21" else 5
            values[code] = None if rng.random() < 0.15 else D(int(rng.integers(1, top + 1)))
        cohort[f"R{r}"] = values
    return cohort


def test_a_seeded_run_is_reproducible_and_the_seed_matters() -> None:
    cohort = _cohort(12, seed=1)
    first = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=300, seed=7))
    again = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=300, seed=7))
    other = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=300, seed=8))
    for a, b in zip(_arrays(first), _arrays(again), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.sensitivity == again.sensitivity
    assert first.mean_shift == again.mean_shift
    assert not np.array_equal(first.counts, other.counts)


def test_the_chunk_size_does_not_change_the_results() -> None:
    cohort = _cohort(9, seed=2)
    whole = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=200, chunk=200))
    pieces = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=200, chunk=7))
    for a, b in zip(_arrays(whole), _arrays(pieces), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_region_far_ahead_keeps_rank_one_in_every_draw() -> None:
    cohort = _cohort(15, seed=3)
    codes = compile_framework(_nested()).item_codes
    cohort = {
        k: {c: D(1) if v is not None else None for c, v in vals.items()}
        for k, vals in cohort.items()
    }
    cohort["leader"] = {code: D(100) if code == "a21" else D(5) for code in codes}
    result = rank_uncertainty(_nested(), cohort, settings=MonteCarlo(draws=500, seed=4))
    leader = result.region("leader")
    assert (leader.nominal, leader.median, leader.low, leader.high) == (1, 1, 1, 1)
    assert result.counts[result.regions.index("leader"), 0] == 500


def test_identical_regions_share_the_first_rank_and_every_figure() -> None:
    same = _levels(x1="4", x2="2", y1="3", y2="3")
    cohort = {"A": same, "B": dict(same), "C": _levels(x1="1", x2="2", y1="2", y2="1")}
    result = rank_uncertainty(_two_nodes(), cohort, settings=MonteCarlo(draws=400, seed=5))
    a, b = result.region("A"), result.region("B")
    assert a.nominal == b.nominal == 1
    assert (a.median, a.low, a.high, a.mean) == (b.median, b.low, b.high, b.mean)
    np.testing.assert_array_equal(result.counts[0], result.counts[1])
    assert result.region("C").low == 3  # a tie for first leaves rank 2 empty (1-1-3)


def test_an_equal_weight_tie_of_different_profiles_spreads_over_both_ranks() -> None:
    cohort = {
        "strong_x": _levels(x1="5", x2="5", y1="1", y2="1"),
        "strong_y": _levels(x1="1", x2="1", y1="5", y2="5"),
    }
    result = rank_uncertainty(
        _two_nodes(), cohort, settings=MonteCarlo(draws=1000, seed=6, geometric_share=0)
    )
    for region in cohort:
        figures = result.region(region)
        assert figures.nominal == 1
        assert (figures.low, figures.high) == (1, 2)
        assert 1.2 < figures.mean < 1.8
    # Whenever one is first the other is second: the draws split the tie, they never keep it.
    assert result.counts[:, 0].sum() == 1000


def test_a_near_tie_that_depends_on_the_weights_has_a_wide_interval() -> None:
    cohort = {
        "lopsided": _levels(x1="5", x2="5", y1="2", y2="1"),  # 3.25: ahead only by the weights
        "balanced": _levels(x1="3.5", x2="3", y1="3", y2="3"),  # 3.125
        "third": _levels(x1="2", x2="2", y1="2", y2="2"),
    }
    result = rank_uncertainty(_two_nodes(), cohort, settings=MonteCarlo(draws=1000, seed=9))
    lopsided, balanced = result.region("lopsided"), result.region("balanced")
    assert (lopsided.nominal, balanced.nominal) == (1, 2)
    assert (lopsided.low, lopsided.high) == (1, 2)
    assert (balanced.low, balanced.high) == (1, 2)
    assert result.region("third").high == 3 == result.region("third").low


def test_without_perturbation_every_draw_has_the_nominal_ranks() -> None:
    cohort = _cohort(20, seed=10)
    result = rank_uncertainty(
        _nested(),
        cohort,
        settings=MonteCarlo(
            draws=50, weight_spread=0, geometric_share=0, policies=(MissingPolicy.LOWEST,)
        ),
    )
    assert len(set(result.nominal.tolist())) == 20  # no rounded ties in this cohort
    np.testing.assert_array_equal(result.counts[np.arange(20), result.nominal - 1], 50)
    np.testing.assert_array_equal(result.median, result.nominal)
    np.testing.assert_array_equal(result.low, result.nominal)
    np.testing.assert_array_equal(result.high, result.nominal)
    assert result.mean_shift == 0
    assert result.sensitivity == ()


def test_the_weights_of_the_only_node_that_differs_are_the_most_influential() -> None:
    rng = np.random.default_rng(11)
    cohort = {}
    for r in range(10):  # x1 + x2 almost constant: the order inside x depends on its weights
        high = int(rng.integers(2, 6))
        cohort[f"R{r}"] = _levels(x1=str(high), x2=str(7 - high), y1="3", y2="4")
    run = MonteCarlo(draws=200, seed=12, geometric_share=0, policies=(MissingPolicy.LOWEST,))
    result = rank_uncertainty(_two_nodes(), cohort, settings=run)
    by_input = {s.input: s.mean_shift for s in result.sensitivity}
    assert result.most_influential is not None
    assert result.most_influential.input == "weights:x"
    assert by_input["weights:x"] > 0
    assert by_input["weights:y"] == by_input["weights:index"] == 0
    assert set(by_input) == {"weights:index", "weights:x", "weights:y"}


def test_sensitivity_names_every_choice_that_is_drawn() -> None:
    cohort = _cohort(10, seed=13)
    previous = _cohort(10, seed=14)
    result = rank_uncertainty(_nested(), cohort, previous=previous, settings=MonteCarlo(draws=100))
    assert result.policies == (
        MissingPolicy.LOWEST,
        MissingPolicy.REWEIGHT,
        MissingPolicy.CARRY_FORWARD,
    )
    names = {s.input for s in result.sensitivity}
    assert names == {"weights:index", "weights:a", "weights:b", "aggregation", "missing"}
    shifts = [s.mean_shift for s in result.sensitivity]
    assert shifts == sorted(shifts, reverse=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"draws": 0}, "at least 1"),
        ({"weight_spread": 1.0}, "weight_spread"),
        ({"geometric_share": 1.5}, "probability"),
        ({"interval": (0.9, 0.1)}, "interval"),
        ({"policies": ()}, "at least one"),
    ],
)
def test_it_refuses_unusable_settings(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MonteCarlo(**options)  # type: ignore[arg-type]


def test_it_refuses_carry_forward_without_previous_values() -> None:
    run = MonteCarlo(policies=(MissingPolicy.CARRY_FORWARD,))
    with pytest.raises(ValueError, match="previous"):
        rank_uncertainty(_nested(), _cohort(3, seed=15), settings=run)


def test_a_region_without_any_value_is_unranked_nominally_and_last_in_draws() -> None:
    cohort = _cohort(5, seed=16)
    cohort["empty"] = {}
    fw = dataclasses.replace(_nested(), missing=MissingPolicy.REWEIGHT)
    result = rank_uncertainty(
        fw, cohort, settings=MonteCarlo(draws=100, policies=(MissingPolicy.REWEIGHT,))
    )
    empty = result.region("empty")
    assert empty.nominal == 0
    assert (empty.low, empty.high) == (6, 6)


def test_ranks_of_a_draw_share_the_best_rank_and_ignore_float_noise() -> None:
    index = np.array([[3.0, 2.0], [4.0, 2.0 + 1e-13], [3.0, np.nan], [1.0, 2.0]])
    np.testing.assert_array_equal(rank_draws(index), [[2, 1, 2, 4], [1, 1, 4, 1]])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    policy=st.sampled_from(list(MissingPolicy)),
    geometric=st.booleans(),
    zero_scale=st.booleans(),
)
def test_the_kernel_matches_a_straightforward_recompute_of_each_draw(
    seed: int, policy: MissingPolicy, geometric: bool, zero_scale: bool
) -> None:
    base = _nested()
    if zero_scale:  # a scale from 0: geometric means meet zero scores
        base = dataclasses.replace(base, scale=Scale(D(0), D(5)))
    compiled = compile_framework(base)
    raw = value_matrix(compiled, list(_cohort(8, seed).values()))
    if zero_scale:
        raw = np.where(raw == 1, 0.0, raw)
    raw[0] = np.nan  # nothing at all
    raw[1, :6] = np.nan  # the whole of node "a": its parent reweights
    nan = np.nan  # items: top, a11, a12, a13 (weight 0), a21, a22, b1, b2
    raw[2] = [2, nan, 3, 4, nan, nan, 2, 4]  # a1 short of an item inside a, short of a2
    raw[3] = [nan, nan, 3, 4, nan, nan, 2, 5]  # the same, and the root short of "top"
    previous = value_matrix(compiled, list(_cohort(8, seed + 1).values()))
    kernel = kernel_for(base)
    draws = draw(kernel, seed, 5, spread=0.25, geometric_share=0.5, policies=1)
    aggregation = Aggregation.GEOMETRIC if geometric else Aggregation.ARITHMETIC
    scores = scale_matrix(
        compile_framework(dataclasses.replace(base, missing=policy)), raw, previous=previous
    )
    prepared = prepare(kernel, scores)
    if policy is MissingPolicy.REWEIGHT:  # nested incomplete nodes: corrections multiply
        assert prepared.links[0].size >= 4
    fast = evaluate(kernel, prepared, shares(kernel, draws.factors), geometric=geometric)
    for d in range(5):
        slow = perturbed(base, draws.factors[d], aggregation=aggregation, missing=policy)
        expected = score_matrix(compile_framework(slow), raw, previous=previous).index
        np.testing.assert_allclose(fast[:, d], expected, rtol=1e-10, atol=1e-12)
        ranks = rank_array(expected, TIE_PLACES)
        ranks = np.where(ranks == 0, 1 + (ranks > 0).sum(), ranks)
        assert rank_draws(fast[:, [d]])[0].tolist() == ranks.tolist()


def test_the_first_draws_of_a_long_run_are_those_of_a_short_run() -> None:
    kernel = kernel_for(_nested())
    long = draw(kernel, 3, 10, spread=0.25, geometric_share=0.5, policies=2)
    short = draw(kernel, 3, 4, spread=0.25, geometric_share=0.5, policies=2)
    np.testing.assert_array_equal(long.factors[:4], short.factors)
    np.testing.assert_array_equal(long.geometric[:4], short.geometric)
    np.testing.assert_array_equal(long.policy[:4], short.policy)
