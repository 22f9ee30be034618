"""Ranks inside groups (provinces, peer groups) from the national Monte Carlo draws."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pytest

from scoring.build import framework, maturity, node
from scoring.model import Framework, ItemValues
from scoring.uncertainty import MonteCarlo, rank_uncertainty, rank_uncertainty_matrix, within_group
from scoring.vector import compile_framework, value_matrix


def _framework() -> Framework:
    return framework(
        node(
            "index",
            1,
            node("x", 1, maturity("x1", 1), maturity("x2", 2)),
            node("y", 1, maturity("y1", 1), maturity("y2", 1)),
        )
    )


def _cohort(n: int, seed: int) -> dict[str, ItemValues]:
    rng = np.random.default_rng(seed)
    return {
        f"R{r}": {
            code: None if rng.random() < 0.1 else D(int(rng.integers(1, 6)))
            for code in ("x1", "x2", "y1", "y2")
        }
        for r in range(n)
    }


def test_within_group_ranks_count_the_members_ranked_strictly_better() -> None:
    national = np.array([[3, 1, 7, 3], [2, 9, 2, 1]])
    # Draw 1: 1 < 3 = 3 < 7 gives 2, 1, 4, 2; draw 2: 1 < 2 = 2 < 9 gives 2, 4, 2, 1.
    np.testing.assert_array_equal(within_group(national), [[2, 1, 4, 2], [2, 4, 2, 1]])


def test_a_group_gets_what_a_run_over_its_members_alone_gets() -> None:
    # A region's index in a draw does not depend on the others (no cohort normalisation), and
    # the draws depend only on the seed: so ranking inside the group must equal ranking alone.
    cohort = _cohort(20, seed=11)
    settings = MonteCarlo(draws=400, seed=3)
    names = list(cohort)
    rows = [1, 4, 5, 9, 13, 17]
    whole = rank_uncertainty(_framework(), cohort, settings=settings)
    raw = value_matrix(compile_framework(_framework()), [cohort[n] for n in names])
    grouped = rank_uncertainty_matrix(
        _framework(), raw, regions=names, settings=settings, groups={"g": rows}
    )
    alone = rank_uncertainty(
        _framework(), {names[r]: cohort[names[r]] for r in rows}, settings=settings
    )
    group = grouped.groups["g"]
    np.testing.assert_array_equal(group.members, rows)
    np.testing.assert_array_equal(group.nominal, alone.nominal)
    np.testing.assert_array_equal(group.median, alone.median)
    np.testing.assert_array_equal(group.low, alone.low)
    np.testing.assert_array_equal(group.high, alone.high)
    # The national figures are those of a run without groups.
    np.testing.assert_array_equal(grouped.counts, whole.counts)


def test_a_group_of_one_is_always_first() -> None:
    cohort = _cohort(5, seed=2)
    raw = value_matrix(compile_framework(_framework()), list(cohort.values()))
    result = rank_uncertainty_matrix(
        _framework(), raw, settings=MonteCarlo(draws=50), groups={"solo": [3]}
    )
    solo = result.groups["solo"]
    assert (solo.nominal[0], solo.median[0], solo.low[0], solo.high[0]) == (1, 1, 1, 1)


@pytest.mark.parametrize(
    ("rows", "problem"),
    [([], "at least one member"), ([0, 5], "each a row"), ([1, 1], "twice")],
)
def test_a_bad_group_is_refused(rows: list[int], problem: str) -> None:
    raw = value_matrix(compile_framework(_framework()), list(_cohort(3, seed=1).values()))
    with pytest.raises(ValueError, match=problem):
        rank_uncertainty_matrix(_framework(), raw, settings=MonteCarlo(draws=5), groups={"g": rows})
