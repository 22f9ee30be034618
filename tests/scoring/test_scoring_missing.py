"""Missing-value policies, computed by hand on one small tree.

root (1)
├── A (weight 3): a1 (1), a2 (1)
└── B (weight 1): b1 (1)
"""

from __future__ import annotations

from decimal import Decimal as D

from scoring import score_region, score_regions
from scoring.build import framework, maturity, node
from scoring.model import Framework, MissingPolicy, Tag


def _tree(policy: MissingPolicy) -> Framework:
    return framework(
        node(
            "root",
            1,
            node("A", 3, maturity("a1", tags=("t",)), maturity("a2")),
            node("B", 1, maturity("b1", tags=("t",))),
        ),
        missing=policy,
        tags=(Tag("t"),),
    )


def test_lowest_scores_a_missing_item_at_the_scale_minimum() -> None:
    # a2 -> 1: A = (5 + 1) / 2 = 3; root = (3 * 3 + 1 * 4) / 4 = 13/4 = 3.25
    result = score_region(_tree(MissingPolicy.LOWEST), {"a1": D(5), "b1": D(4)})
    assert result.nodes["A"] == D("3.00")
    assert result.index == D("3.25")
    assert result.items["a2"] == D("1.00")
    assert result.missing == ("a2",)


def test_reweight_spreads_the_weight_over_present_items() -> None:
    # A = a1 alone = 5; root = (3 * 5 + 1 * 4) / 4 = 19/4 = 4.75
    result = score_region(_tree(MissingPolicy.REWEIGHT), {"a1": D(5), "b1": D(4)})
    assert result.nodes["A"] == D("5.00")
    assert result.index == D("4.75")
    assert result.items["a2"] is None
    assert result.missing == ("a2",)


def test_reweight_drops_a_node_with_nothing_present() -> None:
    # A has nothing: it is missing for the root, which is then b1 alone = 4.
    result = score_region(_tree(MissingPolicy.REWEIGHT), {"b1": D(4)})
    assert result.nodes["A"] is None
    assert result.exact.nodes["A"] is None
    assert result.index == D("4.00")
    assert result.missing == ("a1", "a2")
    # Tag t: a1 missing, so only b1 counts.
    assert result.tags["t"] == D("4.00")


def test_reweight_with_nothing_at_all_gives_no_index_and_no_rank() -> None:
    fw = _tree(MissingPolicy.REWEIGHT)
    result = score_regions(fw, {"empty": {}, "full": {"a1": D(2), "a2": D(2), "b1": D(2)}})
    empty = result.regions["empty"]
    assert (empty.index, empty.predicate, empty.tags["t"]) == (None, None, None)
    assert result.ranks == {"empty": None, "full": 1}


def test_carry_forward_uses_the_previous_cycle_value() -> None:
    # a2 carried from last cycle (3): A = (5 + 3) / 2 = 4; root = (3 * 4 + 4) / 4 = 4
    result = score_region(
        _tree(MissingPolicy.CARRY_FORWARD),
        {"a1": D(5), "b1": D(4)},
        previous={"a1": D(1), "a2": D(3), "b1": D(1)},
    )
    assert result.index == D("4.00")
    assert result.missing == ("a2",)  # still listed as missing
    assert result.carried_forward == ("a2",)
    assert result.items["a1"] == D("5.00")  # present values are never replaced


def test_carry_forward_without_a_previous_value_falls_back_to_lowest() -> None:
    # previous has no a2 (an item new in this framework version): same as lowest, 3.25
    fw = _tree(MissingPolicy.CARRY_FORWARD)
    values = {"a1": D(5), "b1": D(4)}
    with_old = score_region(fw, values, previous={"a1": D(4), "retired": D(2)})
    without = score_region(fw, values)
    assert with_old.index == without.index == D("3.25")
    assert with_old.carried_forward == ()


def test_carry_forward_in_a_batch_takes_each_region_previous_values() -> None:
    fw = _tree(MissingPolicy.CARRY_FORWARD)
    result = score_regions(
        fw,
        {"x": {"a1": D(5), "b1": D(4)}, "y": {"a1": D(5), "b1": D(4)}},
        previous={"x": {"a2": D(3)}},
    )
    assert result.regions["x"].index == D("4.00")
    assert result.regions["y"].index == D("3.25")


def test_none_counts_as_missing() -> None:
    result = score_region(_tree(MissingPolicy.LOWEST), {"a1": D(5), "a2": None, "b1": D(4)})
    assert result.missing == ("a2",)
    assert result.index == D("3.25")
