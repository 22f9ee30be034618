"""The official batch path in floats with error bounds gives exactly the exact path's figures.

`score_regions_exact` (Fractions, half-up in integers) is the reference; `score_regions` must
return an equal `BatchScore`: every published Decimal (down to its exponent: 3.50, not 3.5), every
rank, predicate, improvement, the cohort and the unrounded exact figures.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from cityeval.frameworks.convert import document_to_scoring
from cityeval.frameworks.loader import load_framework_file
from scoring import ScoringInputError, score_regions
from scoring.batch import BatchScore, score_regions_exact
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.model import (
    Direction,
    Framework,
    IndicatorKind,
    ItemValues,
    MissingPolicy,
    Normalisation,
    PredicateBand,
    Rounding,
    Scale,
    Tag,
)
from scoring.official import fast_scores
from scoring.scaled import ScaledValues
from scoring.tree import plan_for
from tests.scoring.test_scoring_properties import (
    COHORT,
    STANDALONE,
    frameworks,
    items_of,
    region_values,
)

FAST = settings(max_examples=150, deadline=None)


def _same(
    fw: Framework, values: Mapping[str, Mapping[str, D | None]], **options: Any
) -> BatchScore:
    fast, reference = (
        score_regions(fw, values, **options),
        score_regions_exact(fw, values, **options),
    )
    assert fast == reference
    for name, score in fast.regions.items():
        expected = reference.regions[name]
        # Equal Decimals may still print differently (3.5 and 3.50): compare the text too.
        for mine, theirs in [
            (score.nodes, expected.nodes),
            (score.tags, expected.tags),
            (score.items, expected.items),
        ]:
            assert {k: str(v) for k, v in mine.items()} == {k: str(v) for k, v in theirs.items()}
        assert str(score.index) == str(expected.index)
    return fast


def _groups(names: list[str]) -> dict[str, dict[str, str]]:
    return {"province": {name: str(n % 2) for n, name in enumerate(names)}}


@FAST
@given(st.data())
def test_random_frameworks_and_values_publish_the_exact_paths_figures(
    data: st.DataObject,
) -> None:
    fw = data.draw(frameworks(methods=STANDALONE + COHORT))
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 6)))]
    regions = {name: data.draw(region_values(fw)) for name in names}
    previous = {name: data.draw(region_values(fw)) for name in names}
    earlier = {name: data.draw(st.none() | st.decimals(1, 5, places=2)) for name in names}
    _same(fw, regions, previous=previous, previous_indices=earlier, groups=_groups(names))


# Values that land on rounding ties often: quarter levels, percentages in eighths, small weights.
def _tie_value(draw: Any, kind: IndicatorKind) -> D:
    if kind is IndicatorKind.MATURITY:
        return D(draw(st.integers(4, 20))) / 4
    if kind is IndicatorKind.PERCENTAGE:
        return D(draw(st.integers(0, 800))) / 8
    return D(draw(st.integers(-400, 1200))) / 8


@FAST
@given(st.data())
def test_values_on_rounding_ties_publish_the_exact_paths_figures(data: st.DataObject) -> None:
    fw = data.draw(
        frameworks(
            methods=(*STANDALONE, Normalisation.MIN_MAX, Normalisation.RANK),
            aggregation=framework(node("x", 1, maturity("y"))).aggregation,
        )
    )
    fw = dataclasses.replace(fw, rounding=dataclasses.replace(fw.rounding, round_each_level=False))
    items = items_of(fw)
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 8)))]
    regions = {
        name: {
            item.code: _tie_value(data.draw, item.kind)
            for item in items
            if data.draw(st.integers(0, 5)) > 0
        }
        for name in names
    }
    _same(fw, regions, groups=_groups(names))


def _shipped() -> list[Path]:
    return sorted(Path(django_settings.FRAMEWORKS_DIR).glob("*.yaml"))


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: p.stem)
@pytest.mark.parametrize("policy", list(MissingPolicy))
def test_every_shipped_framework_publishes_the_exact_paths_figures(
    path: Path, policy: MissingPolicy
) -> None:
    fw = dataclasses.replace(document_to_scoring(load_framework_file(path)), missing=policy)
    items = items_of(fw)

    @settings(max_examples=15, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        names = [f"r{n}" for n in range(data.draw(st.integers(1, 12)))]
        levels = st.sampled_from([D(v) / 2 for v in range(2, 11)])

        def values() -> dict[str, D]:
            return {i.code: data.draw(levels) for i in items if data.draw(st.integers(0, 9)) > 0}

        regions = {name: values() for name in names}
        previous = {name: values() for name in names}
        _same(fw, regions, previous=previous, groups=_groups(names))

    assert plan_for(fw).items
    check()


def _pair(first: str, second: str, **options: Any) -> Framework:
    return framework(node("index", 1, maturity("a"), maturity("b")), **options)


def test_a_mean_of_exactly_3_475_publishes_3_48_half_up() -> None:
    bands = (PredicateBand("baik", D("3.48")), PredicateBand("cukup", D("3")))
    fw = _pair("a", "b", predicates=bands)
    result = _same(
        fw, {"tie": {"a": D("3.45"), "b": D("3.5")}, "below": {"a": D("3.4499"), "b": D("3.5")}}
    )
    tie, below = result.regions["tie"], result.regions["below"]
    assert str(tie.index) == "3.48"
    assert tie.predicate == "baik"  # on the band's edge
    assert str(below.index) == "3.47"  # 3.47495: just under
    assert below.predicate == "cukup"
    assert result.ranks == {"tie": 1, "below": 2}


def test_an_item_of_x_xx5_publishes_half_up_and_negative_ties_round_away_from_zero() -> None:
    fw = framework(
        node("index", 1, quantitative("q", 1, Normalisation.GOALPOSTS, lower=0, upper=8)),
        scale=Scale(D(-5), D(5)),
    )
    # q = 2.75 -> unit 0.34375 -> -5 + 3.4375 = -1.5625 (half away from zero: -1.56 at 2 places)
    result = _same(fw, {"a": {"q": D("2.75")}, "b": {"q": D("6.875")}})
    assert str(result.regions["a"].index) == "-1.56"
    assert str(result.regions["b"].index) == "3.59"  # 3.59375


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_ties_at_every_precision_round_half_up(places: int) -> None:
    fw = framework(
        node("index", 1, percentage("p")), rounding=Rounding(places=places)
    )  # 1 + 4 * p / 100: p = 61.875 gives 3.475 exactly
    values = {f"r{n}": {"p": D(n) / 8} for n in range(0, 801, 7)}
    _same(fw, values)


def test_min_max_and_rank_items_with_ties_in_the_cohort() -> None:
    fw = framework(
        node(
            "index",
            1,
            quantitative("m", 1, Normalisation.MIN_MAX),
            quantitative("r", 3, Normalisation.RANK),
        ),
        missing=MissingPolicy.REWEIGHT,
    )
    values: dict[str, ItemValues] = {
        f"r{n}": {"m": D(n % 5), "r": D(n % 3)} if n % 4 else {"m": D(n % 5)} for n in range(13)
    }
    _same(fw, values)


@pytest.mark.parametrize(
    "bad",
    [
        {"a": 3, "b": D(2)},  # an int is accepted, on the exact path
        {"a": D("5.0000000000000000001"), "b": D(2)},  # reads as the float 5.0, is off the scale
        {"a": D("NaN"), "b": D(2)},
        {"a": D("Infinity"), "b": D(2)},
        {"a": 3.5, "b": D(2)},  # a binary float is refused
        {"zz": D(1)},
        {"a": D(6)},
    ],
)
def test_what_the_float_path_cannot_vouch_for_goes_to_the_exact_path(bad: dict[str, Any]) -> None:
    fw = _pair("a", "b")
    values: dict[str, ItemValues] = {"ok": {"a": D(2), "b": D(3)}, "bad": bad}
    refusal = ""
    try:
        expected = score_regions_exact(fw, values)
    except ScoringInputError as error:
        refusal = str(error)
    if refusal:
        with pytest.raises(ScoringInputError) as refused:
            score_regions(fw, values)
        assert str(refused.value) == refusal
    else:
        assert score_regions(fw, values) == expected


def test_two_decimals_that_read_as_one_float_leave_the_cohort_to_the_exact_path() -> None:
    fw = framework(node("index", 1, quantitative("m", 1, Normalisation.MIN_MAX)))
    values: dict[str, ItemValues] = {
        "a": {"m": D("1")},
        "b": {"m": D("1.0000000000000000001")},
        "c": {"m": D("0.5")},
    }
    assert fast_scores(plan_for(fw), values, {}) is None
    _same(fw, values)


def test_the_exact_figures_are_computed_when_read_and_pickle_as_plain_figures() -> None:
    fw = _pair("a", "b")
    values: dict[str, ItemValues] = {"r": {"a": D("3.45"), "b": D("3.5")}}
    fast = score_regions(fw, values).regions["r"]
    again = pickle.loads(pickle.dumps(fast))  # noqa: S301 (our own bytes)
    assert again == fast == score_regions_exact(fw, values).regions["r"]
    assert type(again.exact.nodes).__name__ == "FrozenMap"


# The published figures are kept as scaled integers and made into Decimals when read: a batch
# the float path vouches for must still publish exactly, down to each Decimal's exponent.
LOWER = Direction.LOWER_IS_BETTER
EDGES = framework(
    node(
        "index",
        1,
        node(
            "a",
            3,
            maturity("level", 2),
            maturity("worse", 1, direction=LOWER, tags=("t",)),
            percentage("share", 1, tags=("t",)),
            percentage("late", 1, direction=LOWER),
        ),
        node(
            "b",
            2,
            quantitative("mm", 1, Normalisation.MIN_MAX, tags=("t",)),
            quantitative("mm_low", 2, Normalisation.MIN_MAX, direction=LOWER),
            quantitative("rank", 1, Normalisation.RANK, direction=LOWER),
            quantitative("goal", 3, Normalisation.GOALPOSTS, lower=-2, upper=6),
            quantitative("goal_low", 1, Normalisation.GOALPOSTS, lower=0, upper=8, direction=LOWER),
            quantitative(
                "dist", 1, Normalisation.DISTANCE_TO_TARGET, lower=10, target=2, direction=LOWER
            ),
        ),
    ),
    tags=(Tag("t"),),
    predicates=(PredicateBand("baik", D("3.48")), PredicateBand("cukup", D("3"))),
)
# Levels, shares and measures on the bounds (1 and 5, 0 and 100, the goalposts and beyond them),
# on x.xx5 ties after scaling (3.475, 61.875 %), and repeated (ties in the cohort).
EDGE_VALUES = {
    "level": ["1", "5", "3.475", "2.5", "4.125"],
    "worse": ["1", "5", "3.475", "1.5"],
    "share": ["0", "100", "61.875", "0.125", "50"],
    "late": ["0", "100", "61.875", "12.5"],
    "mm": ["0", "-3", "7.5", "7.5", "1.25", "100"],
    "mm_low": ["0", "2", "2", "0.125"],
    "rank": ["1", "1", "2", "3"],
    "goal": ["-2", "6", "-7", "9", "0.75", "2.75"],
    "goal_low": ["0", "8", "2.75", "6.875", "11"],
    "dist": ["10", "2", "0", "12", "6.5"],
}


@pytest.mark.parametrize("policy", list(MissingPolicy))
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_values_on_bounds_and_ties_in_every_kind_and_direction_publish_the_exact_figures(
    policy: MissingPolicy, data: st.DataObject
) -> None:
    fw = dataclasses.replace(EDGES, missing=policy)
    choice = {code: st.none() | st.sampled_from(options) for code, options in EDGE_VALUES.items()}
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 30)))]

    def values() -> dict[str, D | None]:
        drawn = {code: data.draw(options) for code, options in choice.items()}
        return {code: None if v is None else D(v) for code, v in drawn.items()}

    regions = {name: values() for name in names}
    previous = {name: values() for name in names}
    _same(fw, regions, previous=previous, groups=_groups(names))


def test_the_float_path_vouches_for_a_batch_on_bounds_and_ties() -> None:
    # The property tests above would pass vacuously if every batch fell back to the exact path.
    regions = {
        f"r{n}": {code: D(options[n % len(options)]) for code, options in EDGE_VALUES.items()}
        for n in range(12)
    }
    assert fast_scores(plan_for(EDGES), regions, {}) is not None
    result = _same(EDGES, regions)
    level_tie = result.regions["r2"].items
    assert str(level_tie["level"]) == "3.48"  # 3.475 half-up
    assert str(level_tie["share"]) == "3.48"  # 1 + 4 * 61.875 / 100 = 3.475
    assert str(result.regions["r0"].items["share"]) == "1.00"  # 0 %: the exponent is kept
    assert str(result.regions["r1"].items["late"]) == "1.00"  # 100 % late, lower is better


def test_figures_too_large_for_scaled_integers_publish_on_the_exact_path() -> None:
    fw = framework(
        node("index", 1, maturity("a"), maturity("b")),
        scale=Scale(D(0), D(10) ** 6),
        rounding=Rounding(places=15),
    )
    values: dict[str, ItemValues] = {"r": {"a": D("999999.125"), "b": D(3)}}
    assert fast_scores(plan_for(fw), values, {}) is None
    _same(fw, values)


def test_published_figures_read_like_a_frozen_map_and_pickle_as_one() -> None:
    regions = {
        f"r{n}": {code: D(options[n % len(options)]) for code, options in EDGE_VALUES.items()}
        for n in range(5)
    }
    batch = score_regions(EDGES, regions, groups=_groups(list(regions)))
    reference = score_regions_exact(EDGES, regions, groups=_groups(list(regions)))
    assert list(batch.regions) == list(reference.regions)
    assert "r1" in batch.regions
    assert "zz" not in batch.regions
    assert len(batch.regions) == 5
    score = batch.regions["r3"]
    assert list(score.items) == list(reference.regions["r3"].items)
    assert "mm" in score.items
    assert "zz" not in score.items
    assert score.items.get("zz") is None
    assert repr(score.nodes) == repr(reference.regions["r3"].nodes)
    again = pickle.loads(pickle.dumps(batch))  # noqa: S301 (our own bytes)
    assert again == batch == reference
    assert type(again.regions).__name__ == "FrozenMap"
    assert type(again.regions["r3"].items).__name__ == "FrozenMap"
    with pytest.raises(KeyError):
        batch.regions["zz"]


@pytest.mark.parametrize("policy", list(MissingPolicy))
def test_means_of_half_levels_on_ties_are_decided_in_integers(
    policy: MissingPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mean of four half levels is a multiple of 1/8: x.125, x.375... are ties at two places,
    # and the float bound leaves every one open. They must publish half-up without a single
    # figure computed on the exact path.
    fw = framework(
        node(
            "index",
            1,
            maturity("a", 1, tags=("t",)),
            maturity("b", 1, tags=("t",)),
            maturity("c", 2, direction=LOWER, tags=("u",)),
            maturity("d", 4, tags=("t", "u")),
        ),
        tags=(Tag("t"), Tag("u")),
        missing=policy,
    )
    levels = [None, D("1"), D("1.5"), D("2.50"), D("4.5"), D("5")]
    values: dict[str, ItemValues] = {
        f"r{n}": dict(zip("abcd", (levels[(n // 6**k) % 6] for k in range(4)), strict=True))
        for n in range(6**4)
    }
    reference = score_regions_exact(fw, values)
    ties = [s for s in reference.regions.values() if s.index is not None and s.index % D("0.01")]
    assert not ties  # every figure has two places
    exact_ties = [s for s in reference.regions.values() if (s.exact.nodes["index"] or 0) * 200 % 2]
    assert exact_ties  # and many lie exactly on x.xx5

    def refuse(*args: object) -> None:
        raise AssertionError("a mean of levels went to the exact path")

    monkeypatch.setattr("scoring.official._ExactCells", refuse)
    _same(fw, values)


# The same values as scaled integers (`ScaledValues`, the form the database hands over): every
# published figure equal to the exact path's on the Decimals.
def _scaled(regions: Mapping[str, Mapping[str, D | None]], least: int = 0) -> ScaledValues:
    present = [v for values in regions.values() for v in values.values() if v is not None]
    exponents = [-int(v.as_tuple().exponent) for v in present]
    places = max([least, *exponents])
    rows = [
        (name, code, None if v is None else int(v.scaleb(places)))
        for name, values in regions.items()
        for code, v in values.items()
    ]
    return ScaledValues.from_rows(rows, places=places, regions=list(regions))


def _same_scaled(
    fw: Framework, regions: Mapping[str, Mapping[str, D | None]], least: int = 0, **options: Any
) -> BatchScore:
    scaled = _scaled(regions, least)
    fast = score_regions(fw, scaled, **options)
    reference = score_regions_exact(fw, regions, **options)
    assert fast == reference
    for name, score in fast.regions.items():
        expected = reference.regions[name]
        for mine, theirs in [
            (score.nodes, expected.nodes),
            (score.tags, expected.tags),
            (score.items, expected.items),
        ]:
            assert {k: str(v) for k, v in mine.items()} == {k: str(v) for k, v in theirs.items()}
        assert str(score.index) == str(expected.index)
        assert score.missing == expected.missing
        assert score.exact == expected.exact
    return fast


@FAST
@given(st.data())
def test_scaled_values_publish_the_exact_paths_figures(data: st.DataObject) -> None:
    fw = data.draw(frameworks(methods=STANDALONE + COHORT))
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 6)))]
    regions = {name: data.draw(region_values(fw)) for name in names}
    earlier = {name: data.draw(st.none() | st.decimals(1, 5, places=2)) for name in names}
    least = data.draw(st.integers(0, 6))  # a field with more places than any value needs
    _same_scaled(fw, regions, least, previous_indices=earlier, groups=_groups(names))


@FAST
@given(st.data())
def test_scaled_values_on_rounding_ties_publish_the_exact_paths_figures(
    data: st.DataObject,
) -> None:
    fw = data.draw(
        frameworks(
            methods=(*STANDALONE, Normalisation.MIN_MAX, Normalisation.RANK),
            aggregation=framework(node("x", 1, maturity("y"))).aggregation,
        )
    )
    fw = dataclasses.replace(fw, rounding=dataclasses.replace(fw.rounding, round_each_level=False))
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 8)))]
    regions = {
        name: {
            item.code: _tie_value(data.draw, item.kind)
            if data.draw(st.integers(0, 5)) > 0
            else None
            for item in items_of(fw)
        }
        for name in names
    }
    _same_scaled(fw, regions, data.draw(st.integers(0, 4)), groups=_groups(names))


@pytest.mark.parametrize("policy", list(MissingPolicy))
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_scaled_values_on_bounds_and_ties_in_every_kind_and_direction(
    policy: MissingPolicy, data: st.DataObject
) -> None:
    fw = dataclasses.replace(EDGES, missing=policy)
    choice = {code: st.none() | st.sampled_from(options) for code, options in EDGE_VALUES.items()}
    names = [f"r{n}" for n in range(data.draw(st.integers(1, 30)))]

    def values() -> dict[str, D | None]:
        drawn = {code: data.draw(options) for code, options in choice.items()}
        return {code: None if v is None else D(v) for code, v in drawn.items()}

    regions = {name: values() for name in names}
    previous = {name: values() for name in names}  # carried forward through the Decimals
    _same_scaled(fw, regions, 4, previous=previous, groups=_groups(names))


def test_scaled_values_of_3_475_publish_3_48_and_the_float_path_vouches_for_them() -> None:
    regions = {
        f"r{n}": {code: D(options[n % len(options)]) for code, options in EDGE_VALUES.items()}
        for n in range(12)
    }
    scaled = _scaled(regions, 4)
    assert fast_scores(plan_for(EDGES), scaled, {}) is not None
    result = _same_scaled(EDGES, regions, 4)
    assert str(result.regions["r2"].items["level"]) == "3.48"  # 3.4750 half-up
    assert str(result.regions["r1"].items["late"]) == "1.00"
    stats = result.cohort.stats["mm"]
    expected = ["-3.0000", "0.0000", "1.2500", "7.5000", "7.5000", "100.0000"]
    assert [str(v) for v in stats.ordered[::2]] == expected  # sorted, as the field stores


@pytest.mark.parametrize(
    "bad",
    [
        {"a": D("5.0001"), "b": D(2)},  # just off the scale: the exact path's refusal
        {"a": D("0.9999")},
        {"zz": D(1)},  # an item not in the framework
        {
            "a": D("140737488355328.0000")
        },  # 2**47: too many units for distinct floats: scored through Decimals
    ],
)
def test_scaled_values_the_float_path_cannot_vouch_for_go_to_the_exact_path(
    bad: dict[str, D],
) -> None:
    fw = _pair("a", "b")
    values: dict[str, dict[str, D | None]] = {"ok": {"a": D(2), "b": D(3)}, "bad": dict(bad)}
    scaled = _scaled(values, 4)
    refusal = ""
    try:
        expected = score_regions_exact(fw, values)
    except ScoringInputError as error:
        refusal = str(error)
    if refusal:
        with pytest.raises(ScoringInputError) as refused:
            score_regions(fw, scaled)
        assert str(refused.value) == refusal
    else:
        assert score_regions(fw, scaled) == expected


def test_scaled_values_are_built_alike_from_rows_ids_and_a_flat_column() -> None:
    rows = [("b", "x", 35), ("a", "y", None), ("a", "x", -12), ("b", "y", 0)]
    by_rows = ScaledValues.from_rows(rows, places=1, regions=["a", "b"])
    by_ids = ScaledValues.from_ids(
        [2, 1, 1, 2], [8, 9, 8, 9], [35, None, -12, 0], regions={1: "a", 2: "b"},
        codes={8: "x", 9: "y"}, places=1,
    )  # fmt: skip
    flat = ScaledValues.from_flat(
        [-12, None, 35, 0], regions=["a", "b"], codes=["x", "y"], places=1
    )
    expected = {"a": {"x": D("-1.2")}, "b": {"x": D("3.5"), "y": D("0.0")}}
    for built in (by_rows, by_ids, flat):
        assert built.as_mapping() == expected
        assert built.row(0, with_missing=True) == {"x": D("-1.2"), "y": None}
        assert str(built.as_mapping()["b"]["y"]) == "0.0"
    with pytest.raises(ValueError, match="more than one row"):
        ScaledValues.from_rows([*rows, ("a", "x", 1)], places=1)
    with pytest.raises(ValueError, match="not among the regions"):
        ScaledValues.from_rows(rows, places=1, regions=["a"])
    with pytest.raises(ValueError, match="not named"):
        ScaledValues.from_ids([3], [8], [1], regions={1: "a"}, codes={8: "x"}, places=1)
    with pytest.raises(ValueError, match="units for"):
        ScaledValues.from_flat([1], regions=["a"], codes=["x", "y"], places=1)


@pytest.mark.parametrize("scaled", [False, True])
def test_a_tie_at_twelve_places_too_large_for_int64_arrays_is_decided_in_integers(
    scaled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (4 + 2**-12 + 4) / 2 = 4.0001220703125: a tie at 12 places whose integer test overflows an
    # int64, so it is settled one Python integer at a time (never on the exact path).
    fw = framework(node("index", 1, maturity("a"), maturity("b")), rounding=Rounding(places=12))
    values: dict[str, dict[str, D | None]] = {
        "tie": {"a": D("4.000244140625"), "b": D(4)},
        "below": {"a": D("4.000244140624"), "b": D(4)},
    }

    def refuse(*args: object) -> None:
        raise AssertionError("a mean of levels went to the exact path")

    monkeypatch.setattr("scoring.official._ExactCells", refuse)
    result = _same_scaled(fw, values, 12) if scaled else _same(fw, values)
    assert str(result.regions["tie"].index) == "4.000122070313"
