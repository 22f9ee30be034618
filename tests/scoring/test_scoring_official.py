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
    Framework,
    IndicatorKind,
    ItemValues,
    MissingPolicy,
    Normalisation,
    PredicateBand,
    Rounding,
    Scale,
)
from scoring.official import fast_scores
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
