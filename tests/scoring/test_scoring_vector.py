"""The numpy path on fixed cases: the leaf-weight matrix, and agreement with the Decimal path."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import numpy as np
import pytest

from scoring import (
    ScoringInputError,
    compile_framework,
    score_matrix,
    score_regions,
    value_matrix,
)
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.model import (
    Aggregation,
    Direction,
    Framework,
    ItemValues,
    MissingPolicy,
    Normalisation,
    Tag,
)


def _mixed(policy: MissingPolicy, aggregation: Aggregation) -> Framework:
    lower = Direction.LOWER_IS_BETTER
    return framework(
        node(
            "root",
            1,
            node(
                "output",
                "0.2",
                maturity("m1", 2, tags=("sg.ps",)),
                maturity("m2", 1, direction=lower),
                percentage("p1", 1, tags=("sg",)),
            ),
            node(
                "outcome",
                "0.3",
                node(
                    "deep",
                    1,
                    quantitative("g", 1, Normalisation.GOALPOSTS, lower=0, upper=80),
                    quantitative(
                        "d",
                        3,
                        Normalisation.DISTANCE_TO_TARGET,
                        lower=50,
                        target=10,
                        direction=lower,
                    ),
                ),
                quantitative("mm", 1, Normalisation.MIN_MAX, tags=("se",)),
            ),
            node(
                "impact",
                "0.5",
                quantitative("z", 2, Normalisation.Z_SCORE, tags=("sg.ps",)),
                quantitative("r", 1, Normalisation.RANK, direction=lower),
            ),
        ),
        missing=policy,
        aggregation=aggregation,
        tags=(Tag("sg"), Tag("sg.ps", "sg"), Tag("se"), Tag("unused")),
    )


REGIONS: dict[str, ItemValues] = {
    "a": {
        "m1": D(3),
        "m2": D(2),
        "p1": D(40),
        "g": D(20),
        "d": D(30),
        "mm": D(5),
        "z": D(1),
        "r": D(7),
    },
    "b": {
        "m1": D(5),
        "m2": D(5),
        "p1": D(100),
        "g": D(90),
        "d": D(60),
        "mm": D(9),
        "z": D(4),
        "r": D(7),
    },
    "c": {"m1": D("1.5"), "p1": D(0), "d": D(5), "z": D(2), "r": D(2)},  # m2, g, mm missing
    "d": {"m2": D(1), "g": D(40), "mm": D(1), "r": D(9)},
    "e": {},
}
PREVIOUS: dict[str, ItemValues] = {"c": {"m2": D(4), "mm": D(3)}, "e": {"m1": D(2)}}


@pytest.mark.parametrize("policy", list(MissingPolicy))
@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_vector_path_agrees_with_the_decimal_path(
    policy: MissingPolicy, aggregation: Aggregation
) -> None:
    fw = _mixed(policy, aggregation)
    official = score_regions(fw, REGIONS, previous=PREVIOUS)
    compiled = compile_framework(fw)
    raw = value_matrix(compiled, list(REGIONS.values()))
    previous = value_matrix(compiled, [PREVIOUS.get(r, {}) for r in REGIONS])
    fast = score_matrix(compiled, raw, previous=previous)
    for row, region in enumerate(REGIONS):
        exact = official.regions[region].exact
        for col, code in enumerate(compiled.node_codes):
            _assert_close(fast.nodes[row, col], exact.nodes[code])
        for col, code in enumerate(compiled.tag_codes):
            _assert_close(fast.tags[row, col], exact.tags[code])
        for col, code in enumerate(compiled.item_codes):
            _assert_close(fast.items[row, col], exact.items[code])


def _assert_close(fast: float, official: Fraction | None) -> None:
    if official is None:
        assert np.isnan(fast)
    else:
        assert abs(fast - float(official)) < 1e-9


def test_the_leaf_weight_matrix_holds_each_item_share_of_each_node() -> None:
    compiled = compile_framework(_mixed(MissingPolicy.LOWEST, Aggregation.ARITHMETIC))
    weights = dict(zip(compiled.item_codes, compiled.node_weights[-1], strict=True))
    # root: outcome 0.3 -> deep 1/2 -> d 3/4 = 0.1125; impact 0.5 -> z 2/3 = 1/3
    assert weights["d"] == pytest.approx(0.1125)
    assert weights["z"] == pytest.approx(1 / 3)
    assert compiled.node_weights.sum(axis=1) == pytest.approx(1.0)
    assert not compiled.node_weights.flags.writeable  # shared through the cache


def test_maturity_off_the_scale_is_refused_by_the_vector_path_too() -> None:
    compiled = compile_framework(framework(node("root", 1, maturity("m"))))
    with pytest.raises(ScoringInputError, match=r"'m'.*off the scale"):
        score_matrix(compiled, np.array([[3.0], [5.5]]))


def test_a_wrongly_shaped_matrix_is_refused() -> None:
    compiled = compile_framework(framework(node("root", 1, maturity("m"))))
    with pytest.raises(ValueError, match="expected"):
        score_matrix(compiled, np.ones((3, 2)))
