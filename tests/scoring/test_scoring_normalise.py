"""Every mapping onto the 1..5 scale, computed by hand: score = 1 + 4 * unit."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring import ScoringInputError, build_cohort, score_region, score_regions
from scoring.build import framework, maturity, node, percentage, quantitative
from scoring.model import Direction, Framework, Indicator, Normalisation

LOWER = Direction.LOWER_IS_BETTER


def _one(item: Indicator) -> Framework:
    return framework(node("root", 1, item))


def _alone(item: Indicator, value: str) -> D | None:
    return score_region(_one(item), {item.code: D(value)}).index


def _batch(item: Indicator, values: list[str]) -> list[D | None]:
    regions = {f"r{n}": {item.code: D(v)} for n, v in enumerate(values)}
    result = score_regions(_one(item), regions)
    return [result.regions[r].index for r in regions]


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("1", Direction.HIGHER_IS_BETTER, "1.00"),
        ("3.5", Direction.HIGHER_IS_BETTER, "3.50"),  # levels need not be whole
        ("5", Direction.HIGHER_IS_BETTER, "5.00"),
        ("2", LOWER, "4.00"),  # flipped: 1 + 5 - 2
    ],
)
def test_maturity_levels_are_already_on_the_scale(
    value: str, direction: Direction, expected: str
) -> None:
    assert _alone(maturity("m", direction=direction), value) == D(expected)


@pytest.mark.parametrize("value", ["0", "0.99", "5.01", "6", "-1"])
def test_a_maturity_level_off_the_scale_is_refused(value: str) -> None:
    with pytest.raises(ScoringInputError, match=r"item 'm': level .* is off the scale 1\.\.5"):
        _alone(maturity("m"), value)


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("0", Direction.HIGHER_IS_BETTER, "1.00"),
        ("100", Direction.HIGHER_IS_BETTER, "5.00"),
        ("90", Direction.HIGHER_IS_BETTER, "4.60"),  # 1 + 4 * 0.9 (living: 9 of 10 programs)
        ("37.5", Direction.HIGHER_IS_BETTER, "2.50"),  # 1 + 4 * 0.375
        ("25", LOWER, "4.00"),  # 1 + 4 * (1 - 0.25)
    ],
)
def test_percentages_map_linearly(value: str, direction: Direction, expected: str) -> None:
    assert _alone(percentage("p", direction=direction), value) == D(expected)


@pytest.mark.parametrize("value", ["-0.1", "100.5"])
def test_a_percentage_outside_0_to_100_is_refused(value: str) -> None:
    with pytest.raises(ScoringInputError, match="not a percentage"):
        _alone(percentage("p"), value)


GOALPOSTS = Normalisation.GOALPOSTS
DISTANCE = Normalisation.DISTANCE_TO_TARGET


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        ("50", Direction.HIGHER_IS_BETTER, "2.00"),  # (50 - 0) / 200 = 0.25 -> 1 + 1
        ("150", Direction.HIGHER_IS_BETTER, "4.00"),  # 0.75
        ("250", Direction.HIGHER_IS_BETTER, "5.00"),  # clipped to 1
        ("-10", Direction.HIGHER_IS_BETTER, "1.00"),  # clipped to 0
        ("50", LOWER, "4.00"),  # 1 - 0.25 = 0.75
        ("250", LOWER, "1.00"),
    ],
)
def test_goalposts(value: str, direction: Direction, expected: str) -> None:
    item = quantitative("q", 1, GOALPOSTS, lower=0, upper=200, direction=direction)
    assert _alone(item, value) == D(expected)


@pytest.mark.parametrize(
    ("lower", "target", "direction", "value", "expected"),
    [
        # baseline 20 -> target 60: 30 is a quarter of the way -> 1 + 4 * 0.25
        (20, 60, Direction.HIGHER_IS_BETTER, "30", "2.00"),
        (20, 60, Direction.HIGHER_IS_BETTER, "50", "4.00"),  # 30 / 40 = 0.75
        (20, 60, Direction.HIGHER_IS_BETTER, "70", "5.00"),  # capped at the target
        (20, 60, Direction.HIGHER_IS_BETTER, "10", "1.00"),  # worse than baseline: floor 0
        # reduce from 60 to 20: 50 is (50 - 60) / (20 - 60) = 0.25 of the way
        (60, 20, LOWER, "50", "2.00"),
        (60, 20, LOWER, "15", "5.00"),
        (60, 20, LOWER, "65", "1.00"),
    ],
)
def test_distance_to_target(
    lower: int, target: int, direction: Direction, value: str, expected: str
) -> None:
    item = quantitative("q", 1, DISTANCE, lower=lower, target=target, direction=direction)
    assert _alone(item, value) == D(expected)


def test_min_max_over_the_regions_scored_together() -> None:
    # min 10, max 50: 20 -> 10/40 = 0.25 -> 2; 30 -> 0.5 -> 3
    item = quantitative("q", 1, Normalisation.MIN_MAX)
    assert _batch(item, ["10", "20", "30", "50"]) == [D("1.00"), D("2.00"), D("3.00"), D("5.00")]
    flipped = quantitative("q", 1, Normalisation.MIN_MAX, direction=LOWER)
    assert _batch(flipped, ["10", "20", "30", "50"]) == [D("5.00"), D("4.00"), D("3.00"), D("1.00")]


def test_z_score_maps_the_clipped_standard_score_linearly() -> None:
    # 2,4,4,4,5,5,7,9: mean 5, population sd sqrt(32/8) = 2.
    # 9 -> z = 2 -> (2 + 3) / 6 = 5/6 -> 1 + 20/6 = 4.3333 -> 4.33
    # 2 -> z = -1.5 -> 1.5 / 6 = 0.25 -> 2.00; 5 -> z = 0 -> 0.5 -> 3.00; 4 -> z = -0.5 -> 2.6667
    item = quantitative("q", 1, Normalisation.Z_SCORE)
    scores = _batch(item, ["2", "4", "4", "4", "5", "5", "7", "9"])
    assert scores == [
        D(s) for s in ["2.00", "2.67", "2.67", "2.67", "3.00", "3.00", "3.67", "4.33"]
    ]


def test_z_score_clips_an_outlier_at_three_standard_deviations() -> None:
    # 19 zeros and one 100: mean 5, variance (19 * 25 + 95^2) / 20 = 475, sd 21.79.
    # 100 -> z = 4.36 -> clipped to 3 -> 5.00; 0 -> z = -0.2294 -> 2.7706/6 -> 2.8470 -> 2.85
    item = quantitative("q", 1, Normalisation.Z_SCORE)
    scores = _batch(item, ["0"] * 19 + ["100"])
    assert scores[-1] == D("5.00")
    assert scores[0] == D("2.85")


def test_rank_is_fractional_with_ties_averaged() -> None:
    # 10, 20, 20, 40 -> ranks 1, 2.5, 2.5, 4 -> (r - 1) / 3 = 0, 0.5, 0.5, 1
    item = quantitative("q", 1, Normalisation.RANK)
    assert _batch(item, ["20", "10", "40", "20"]) == [D("3.00"), D("1.00"), D("5.00"), D("3.00")]
    # 1..5 -> units 0, 1/4, ..., 1 -> the scale itself; lower-is-better reverses it
    flipped = quantitative("q", 1, Normalisation.RANK, direction=LOWER)
    assert _batch(flipped, ["1", "2", "3", "4", "5"]) == [D(v) for v in "54321"]


@pytest.mark.parametrize(
    "method", [Normalisation.MIN_MAX, Normalisation.Z_SCORE, Normalisation.RANK]
)
def test_a_cohort_that_cannot_tell_regions_apart_gives_the_midpoint(method: Normalisation) -> None:
    item = quantitative("q", 1, method)
    assert _batch(item, ["7", "7", "7"]) == [D("3.00")] * 3
    assert _batch(item, ["7"]) == [D("3.00")]


def test_cohort_statistics_ignore_missing_values() -> None:
    # r1 is missing (lowest -> 1.00) and does not widen the bounds: min 10, max 20.
    fw = _one(quantitative("q", 1, Normalisation.MIN_MAX))
    result = score_regions(fw, {"r0": {"q": D(10)}, "r1": {}, "r2": {"q": D(20)}})
    assert [s.index for s in result.regions.values()] == [D("1.00"), D("1.00"), D("5.00")]
    assert result.cohort.stats["q"].ordered == (D(10), D(20))


def test_cohort_normalisation_of_a_single_region_needs_a_cohort() -> None:
    fw = _one(quantitative("q", 1, Normalisation.MIN_MAX))
    with pytest.raises(ScoringInputError, match=r"needs a cohort|score_regions"):
        score_region(fw, {"q": D(3)})


def test_a_prebuilt_cohort_gives_the_batch_result() -> None:
    fw = _one(quantitative("q", 1, Normalisation.RANK))
    regions = {"a": {"q": D(3)}, "b": {"q": D(9)}, "c": {"q": D(5)}}
    cohort = build_cohort(fw, regions)
    batch = score_regions(fw, regions)
    for region, values in regions.items():
        assert score_region(fw, values, cohort=cohort) == batch.regions[region]
