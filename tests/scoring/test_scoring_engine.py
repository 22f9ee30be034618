"""Hand-computed cases for the official Decimal path: rounding, aggregation, tags, predicates."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from scoring import FrameworkError, ScoringInputError, score_region, score_regions
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.model import (
    Aggregation,
    Framework,
    Node,
    Normalisation,
    PredicateBand,
    Rounding,
    Scale,
    Tag,
)
from scoring.rounding import quantize

TWO_PLACES = Rounding(places=2)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("3.125", 2, "3.13"),  # half-up; Python's default half-even would give 3.12
        ("3.135", 2, "3.14"),
        ("2.675", 2, "2.68"),  # the classic binary-float trap (float 2.675 is 2.67499...)
        ("3.1249999", 2, "3.12"),
        ("4.195", 2, "4.20"),
        ("-0.005", 2, "-0.01"),  # half-up means away from zero on ties
        ("-0.004", 2, "0.00"),  # never a negative zero
        ("2.5", 0, "3"),
        ("3.14159", 4, "3.1416"),
    ],
)
def test_official_rounding_is_half_up(value: str, places: int, expected: str) -> None:
    assert str(quantize(D(value), Rounding(places=places))) == expected


def _two_nodes(*, round_each_level: bool) -> Framework:
    # A = (7*3 + 1*4) / 8 = 25/8 = 3.125; B = 3; root = mean(A, B).
    return framework(
        node(
            "root",
            1,
            node("A", 1, maturity("a1", 7), maturity("a2", 1)),
            node("B", 1, maturity("b1", 1)),
        ),
        rounding=Rounding(places=2, round_each_level=round_each_level),
    )


def test_round_each_level_rounds_nodes_before_the_parent_aggregates() -> None:
    values = {"a1": D(3), "a2": D(4), "b1": D(3)}
    # Each level: A publishes 3.13 and the root averages 3.13 and 3.00 -> 3.065 -> 3.07.
    each = score_region(_two_nodes(round_each_level=True), values)
    # Full precision: root = (3.125 + 3) / 2 = 3.0625 -> 3.06.
    final = score_region(_two_nodes(round_each_level=False), values)
    assert each.nodes["A"] == final.nodes["A"] == D("3.13")
    assert each.index == D("3.07")
    assert each.exact.nodes["root"] == D("3.065")
    assert final.index == D("3.06")
    assert final.exact.nodes["root"] == D("3.0625")


@pytest.mark.parametrize(
    ("weights", "levels", "expected"),
    [
        # (1*2 + 1*4) / 2 = 3
        ((1, 1), (2, 4), "3.00"),
        # (1*1 + 3*5) / 4 = 4
        ((1, 3), (1, 5), "4.00"),
        # weights need not sum to 1: (10*2 + 20*3 + 30*5) / 60 = 230/60 = 3.8333 -> 3.83
        ((10, 20, 30), (2, 3, 5), "3.83"),
        # the same weights divided by 10 give the same index
        ((1, 2, 3), (2, 3, 5), "3.83"),
        # a zero weight counts for nothing: (1*4 + 0*1) / 1 = 4
        ((1, 0), (4, 1), "4.00"),
        # (1*3 + 1*3.25) / 2 = 3.125 -> 3.13 (half-up at the last step)
        ((1, 1), ("3", "3.25"), "3.13"),
    ],
)
def test_arithmetic_weighted_mean(
    weights: tuple[int, ...], levels: tuple[int | str, ...], expected: str
) -> None:
    items = [maturity(f"i{n}", w) for n, w in enumerate(weights)]
    fw = framework(node("root", 1, *items))
    values = {f"i{n}": D(v) for n, v in enumerate(levels)}
    assert score_region(fw, values).index == D(expected)


@pytest.mark.parametrize(
    ("weights", "levels", "expected"),
    [
        # sqrt(1 * 4) = 2
        ((1, 1), (1, 4), "2.00"),
        # 2^(1/4) * 4^(3/4) = 2^(1/4 + 6/4) = 2^1.75 = 3.3636 -> 3.36
        ((1, 3), (2, 4), "3.36"),
        # cube root of 1 * 3 * 5 = 15^(1/3) = 2.4662 -> 2.47 (arithmetic would give 3.00)
        ((1, 1, 1), (1, 3, 5), "2.47"),
        # equal values: the geometric mean is the value itself, exactly
        ((2, 5), (5, 5), "5.00"),
    ],
)
def test_geometric_weighted_mean(
    weights: tuple[int, ...], levels: tuple[int, ...], expected: str
) -> None:
    items = [maturity(f"i{n}", w) for n, w in enumerate(weights)]
    fw = framework(node("root", 1, *items), aggregation=Aggregation.GEOMETRIC)
    values = {f"i{n}": D(v) for n, v in enumerate(levels)}
    assert score_region(fw, values).index == D(expected)


def test_geometric_nests_like_one_flat_mean() -> None:
    # A = sqrt(1 * 4) = 2, root = sqrt(A * b) = sqrt(2 * 4) = 2.8284 -> 2.83;
    # flat, with global weights 1/4, 1/4, 1/2: 1^(1/4) * 4^(1/4) * 4^(1/2) = 4^(3/4) = 2.8284.
    fw = framework(
        node("root", 1, node("A", 1, maturity("a1"), maturity("a2")), maturity("b", 1)),
        aggregation=Aggregation.GEOMETRIC,
    )
    result = score_region(fw, {"a1": D(1), "a2": D(4), "b": D(4)})
    assert result.nodes["A"] == D("2.00")
    assert result.index == D("2.83")


def test_g100sc_style_evaluation_dimensions_weighted_10_20_30_20_20() -> None:
    # 0.1*3 + 0.2*4 + 0.3*2 + 0.2*5 + 0.2*3.5 = 0.3 + 0.8 + 0.6 + 1.0 + 0.7 = 3.4
    dims = [("baseline", 10), ("output", 20), ("outcome", 30), ("impact", 20), ("quickwin", 20)]
    fw = framework(node("root", 1, *(node(c, w, maturity(f"{c}.1")) for c, w in dims)))
    levels = {"baseline.1": "3", "output.1": "4", "outcome.1": "2", "impact.1": "5"}
    values = {k: D(v) for k, v in levels.items()} | {"quickwin.1": D("3.5")}
    assert score_region(fw, values).index == D("3.40")


def test_tag_index_uses_effective_global_weights_normalised_among_tagged_items() -> None:
    # Global weights: x1 = 3/4 * 1/2 = 3/8, x2 = 3/4 * 1/2 = 3/8, y1 = 1/4.
    # Tag "gov" on x1 and y1: (3/8 * 4 + 1/4 * 2) / (3/8 + 1/4) = (1.5 + 0.5) / 0.625 = 3.2.
    # Element "gov.ps" (x1 only) = 4; dimension "gov" also collects its element's items.
    fw = framework(
        node(
            "root",
            1,
            node("X", 3, maturity("x1", 1, tags=("gov.ps",)), maturity("x2", 1, tags=("eco",))),
            node("Y", 1, maturity("y1", 1, tags=("gov",))),
        ),
        tags=(Tag("gov"), Tag("gov.ps", parent="gov"), Tag("eco"), Tag("env")),
    )
    result = score_region(fw, {"x1": D(4), "x2": D(1), "y1": D(2)})
    assert result.tags["gov"] == D("3.20")
    assert result.tags["gov.ps"] == D("4.00")
    assert result.tags["eco"] == D("1.00")
    assert result.tags["env"] is None  # declared, nothing tagged
    assert list(result.tags) == ["gov", "gov.ps", "eco", "env"]


SPBE_BANDS = (
    PredicateBand("kurang", D("0")),
    PredicateBand("cukup", D("1.8")),
    PredicateBand("baik", D("2.6")),
    PredicateBand("sangat_baik", D("3.5")),
    PredicateBand("memuaskan", D("4.2")),
)


@pytest.mark.parametrize(
    ("level", "index", "predicate"),
    [
        ("4.2", "4.20", "memuaskan"),  # the lower bound is inclusive
        ("4.195", "4.20", "memuaskan"),  # read from the published figure, not 4.195
        ("4.194", "4.19", "sangat_baik"),
        ("3.5", "3.50", "sangat_baik"),
        ("2.6", "2.60", "baik"),
        ("2.59", "2.59", "cukup"),
        ("1.79", "1.79", "kurang"),
    ],
)
def test_predicate_is_the_highest_band_reached(level: str, index: str, predicate: str) -> None:
    # Bands given in any order; reversing them must not matter.
    fw = framework(node("root", 1, maturity("m")), predicates=tuple(reversed(SPBE_BANDS)))
    result = score_region(fw, {"m": D(level)})
    assert (result.index, result.predicate) == (D(index), predicate)


def test_no_predicate_below_every_band() -> None:
    fw = framework(node("root", 1, maturity("m")), predicates=(PredicateBand("ok", D(2)),))
    assert score_region(fw, {"m": D(1)}).predicate is None


def test_item_scores_are_published_rounded_and_kept_exact() -> None:
    # Goalposts 0..3: 1 -> 1/3 -> 1 + 4/3 = 2.3333...
    fw = framework(node("root", 1, quantitative("q", 1, Normalisation.GOALPOSTS, lower=0, upper=3)))
    result = score_region(fw, {"q": D(1)})
    assert result.items["q"] == D("2.33")
    assert result.exact.items["q"] == Fraction(7, 3)


def test_a_custom_scale_and_places() -> None:
    # Scale 0..100, percentage 37.5 -> 37.5; three places.
    fw = framework(
        node("root", 1, percentage("p")),
        scale=Scale(D(0), D(100)),
        rounding=Rounding(places=3),
    )
    assert score_region(fw, {"p": D("37.5")}).index == D("37.500")


@pytest.mark.parametrize(
    ("root", "message"),
    [
        (node("root", 1, maturity("a"), maturity("a")), "more than once"),
        (node("root", 1, node("a", 1, maturity("b")), maturity("a")), "more than once"),
        (node("root", 1, maturity("a", -1), maturity("b")), "weight"),
        (node("root", 1, maturity("a", 0), maturity("b", 0)), "sum to zero"),
        (node("root", 1, node("empty", 1)), "no children"),
        (node("root", 1, quantitative("q", 1, Normalisation.GOALPOSTS, lower=0)), "goalposts"),
        (
            node("root", 1, quantitative("q", 1, Normalisation.GOALPOSTS, lower=5, upper=5)),
            "below upper",
        ),
        (
            node(
                "root",
                1,
                quantitative("q", 1, Normalisation.DISTANCE_TO_TARGET, lower=50, target=20),
            ),
            "beyond the baseline",
        ),
    ],
)
def test_unusable_frameworks_are_refused(root: Node, message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        score_region(framework(root), {})


def test_a_tag_must_be_declared_when_tags_are_declared() -> None:
    fw = framework(node("root", 1, maturity("a", tags=("typo",))), tags=(Tag("gov"),))
    with pytest.raises(FrameworkError, match="undeclared tag 'typo'"):
        score_region(fw, {})


def test_tag_cycles_are_refused() -> None:
    fw = framework(node("root", 1, maturity("a")), tags=(Tag("x", "y"), Tag("y", "x")))
    with pytest.raises(FrameworkError, match="own ancestor"):
        score_region(fw, {})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"a": 3.0}, "must be a Decimal, got float"),
        ({"a": True}, "must be a Decimal"),
        ({"a": D("NaN")}, "finite"),
        ({"a": D(3), "zz": D(1)}, "not in the framework: zz"),
    ],
)
def test_bad_values_are_refused(values: dict[str, object], message: str) -> None:
    fw = framework(node("root", 1, maturity("a")))
    with pytest.raises(ScoringInputError, match=message):
        score_region(fw, values)  # type: ignore[arg-type]


def test_ints_are_accepted_as_exact_values() -> None:
    fw = framework(node("root", 1, maturity("a")))
    assert score_region(fw, {"a": 4}).index == D("4.00")  # type: ignore[dict-item]


def test_a_batch_names_the_region_whose_value_was_refused() -> None:
    fw = framework(node("root", 1, maturity("a")))
    with pytest.raises(ScoringInputError, match=r"region 64\.02: item 'a': level 7"):
        score_regions(fw, {"11.01": {"a": D(3)}, "64.02": {"a": D(7)}})
