"""Competition ranks (1-2-2-4), group ranks and improvement."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pytest

from scoring import competition_ranks, group_ranks, improvement, rank_array, score_regions
from scoring.build import framework, maturity, node
from scoring.model import Rounding


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    scores = {"a": D("4.10"), "b": D("3.90"), "c": D("3.90"), "d": D("3.00"), "e": D("4.10")}
    assert competition_ranks(scores) == {"a": 1, "e": 1, "b": 3, "c": 3, "d": 5}


def test_one_two_two_four() -> None:
    scores = {"a": D("4"), "b": D("3.5"), "c": D("3.5"), "d": D("3")}
    assert competition_ranks(scores) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_unscored_regions_are_unranked_and_take_no_place() -> None:
    assert competition_ranks({"a": D(2), "b": None, "c": D(3)}) == {"a": 2, "b": None, "c": 1}


def test_group_ranks_rank_within_each_group() -> None:
    scores = {"kukar": D("3.2"), "samarinda": D("3.6"), "balikpapan": D("3.6"), "bandung": D("3.1")}
    province = {"kukar": "64", "samarinda": "64", "balikpapan": "64", "bandung": "32"}
    assert group_ranks(scores, province) == {
        "samarinda": 1,
        "balikpapan": 1,
        "kukar": 3,
        "bandung": 1,
    }


def test_a_region_outside_every_group_is_unranked_there() -> None:
    assert group_ranks({"a": D(1), "b": D(2)}, {"a": "g"}) == {"a": 1, "b": None}


def test_a_batch_ranks_the_rounded_index_so_equal_published_figures_share_a_rank() -> None:
    # 4.114 and 4.111 both publish as 4.11: rank 2 each; 4.116 -> 4.12 ranks first.
    fw = framework(node("root", 1, maturity("m")))
    values = {"a": "4.114", "b": "4.116", "c": "4.111", "d": "4.104"}
    result = score_regions(
        fw,
        {r: {"m": D(v)} for r, v in values.items()},
        groups={"province": {"a": "64", "b": "32", "c": "64", "d": "64"}, "peer": {"d": "kota"}},
    )
    assert result.ranks == {"a": 2, "b": 1, "c": 2, "d": 4}
    assert result.group_ranks["province"] == {"a": 1, "b": 1, "c": 1, "d": 3}
    assert result.group_ranks["peer"] == {"a": None, "b": None, "c": None, "d": 1}


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("3.45", "3.12", "0.33"),
        ("3.12", "3.45", "-0.33"),
        ("3.00", "3.00", "0.00"),
        (None, "3.00", None),
        ("3.00", None, None),
    ],
)
def test_improvement_is_the_difference_of_published_indices(
    current: str | None, previous: str | None, expected: str | None
) -> None:
    result = improvement(
        None if current is None else D(current),
        None if previous is None else D(previous),
        Rounding(places=2),
    )
    assert result == (None if expected is None else D(expected))
    if expected is not None:
        assert str(result) == expected  # never "-0.00"


def test_a_batch_reports_improvement_against_the_previous_published_index() -> None:
    # a: 3.2 -> 3.45 published 3.45 (3.445 half-up), improvement 0.25; b has no previous index.
    fw = framework(node("root", 1, maturity("m")))
    result = score_regions(
        fw,
        {"a": {"m": D("3.445")}, "b": {"m": D(3)}},
        previous_indices={"a": D("3.20")},
    )
    assert result.improvements == {"a": D("0.25"), "b": None}


def test_rank_array_matches_the_decimal_ranks() -> None:
    index = np.array([4.114, 4.116, 4.111, 4.104, np.nan, 3.125, 3.12500000001, 1.005])
    # half-up: 4.11, 4.12, 4.11, 4.10, unranked, 3.13, 3.13, 1.01
    assert rank_array(index, 2).tolist() == [2, 1, 2, 4, 0, 5, 5, 7]
    groups = np.array(["x", "y", "x", "x", "x", "y", "y", "x"])
    assert rank_array(index, 2, groups).tolist() == [1, 1, 1, 3, 0, 2, 2, 4]
    assert rank_array(np.array([]), 2).tolist() == []
