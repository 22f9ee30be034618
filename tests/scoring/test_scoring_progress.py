"""Progress bands after Open SDG, computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring import Growth, Observation, ProgressBand, ScoringInputError, assess_progress
from scoring.model import Direction

BASE = Observation(2019, D(2))
TARGET = Observation(2025, D(4))  # required CAGR = 2^(1/6) - 1 = 12.246% a year


@pytest.mark.parametrize(
    ("latest", "band"),
    [
        # observed (2.5/2)^(1/2) - 1 = 11.80%; ratio 0.9638 >= 0.95
        ("2.5", ProgressBand.ON_TRACK),
        # (2.3/2)^(1/2) - 1 = 7.24%; ratio 0.591 -> limited (just under 0.60)
        ("2.3", ProgressBand.LIMITED_PROGRESS),
        # (2.4/2)^(1/2) - 1 = 9.54%; ratio 0.779 -> acceleration needed
        ("2.4", ProgressBand.ACCELERATION_NEEDED),
        ("2", ProgressBand.LIMITED_PROGRESS),  # no change: ratio 0
        ("1.9", ProgressBand.DETERIORATION),
        ("4", ProgressBand.TARGET_ACHIEVED),
        ("4.5", ProgressBand.TARGET_ACHIEVED),
    ],
)
def test_bands_against_a_target(latest: str, band: ProgressBand) -> None:
    progress = assess_progress(base=BASE, latest=Observation(2021, D(latest)), target=TARGET)
    assert progress.band is band


def test_the_ratio_is_observed_over_required_growth() -> None:
    progress = assess_progress(base=BASE, latest=Observation(2021, D("2.5")), target=TARGET)
    assert progress.required is not None
    assert progress.ratio is not None
    assert round(progress.observed, 6) == D("0.118034")  # sqrt(1.25) - 1
    assert round(progress.required, 6) == D("0.122462")  # 2^(1/6) - 1
    assert round(progress.ratio, 4) == D("0.9638")


def test_lower_is_better_flips_the_sign() -> None:
    # Poverty rate 20% -> 16% in 2 years, target 10% by 2025:
    # observed -(0.8^(1/2) - 1) = 10.56%, required -(0.5^(1/6) - 1) = 10.91%: ratio 0.968.
    progress = assess_progress(
        base=Observation(2019, D(20)),
        latest=Observation(2021, D(16)),
        target=Observation(2025, D(10)),
        direction=Direction.LOWER_IS_BETTER,
    )
    assert progress.band is ProgressBand.ON_TRACK
    assert progress.observed > 0


@pytest.mark.parametrize(
    ("latest", "band"),
    [
        ("2.1", ProgressBand.ON_TRACK),  # (1.05)^(1/2) - 1 = 2.47% >= 1.5%
        ("2.03", ProgressBand.ACCELERATION_NEEDED),  # 0.75% a year
        ("2.01", ProgressBand.LIMITED_PROGRESS),  # 0.25% a year
        ("1.99", ProgressBand.DETERIORATION),
    ],
)
def test_fixed_growth_thresholds_without_a_target(latest: str, band: ProgressBand) -> None:
    assert assess_progress(base=BASE, latest=Observation(2021, D(latest))).band is band


def test_linear_growth_handles_a_series_that_starts_at_zero() -> None:
    # 0% -> 30% of masterplan programs running in 2 years, 100% by 2025:
    # observed 15 a year, required 100/6 = 16.67 a year: ratio 0.9 -> acceleration needed.
    progress = assess_progress(
        base=Observation(2019, D(0)),
        latest=Observation(2021, D(30)),
        target=Observation(2025, D(100)),
        growth=Growth.LINEAR,
    )
    assert progress.band is ProgressBand.ACCELERATION_NEEDED
    assert progress.ratio == D("0.9")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"latest": Observation(2019, D(3))}, "after the base year"),
        ({"latest": Observation(2021, D(0))}, "positive values"),
        ({"latest": Observation(2021, D(3)), "growth": Growth.LINEAR}, "needs a target"),
    ],
)
def test_unusable_series_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringInputError, match=message):
        assess_progress(base=BASE, **kwargs)  # type: ignore[arg-type]


def test_a_ratio_exactly_on_a_threshold_reaches_the_band() -> None:
    # Required (100 - 0) / 10 = 10 a year; observed 19 in 2 years = 9.5: ratio exactly 0.95.
    progress = assess_progress(
        base=Observation(2020, D(0)),
        latest=Observation(2022, D(19)),
        target=Observation(2030, D(100)),
        growth=Growth.LINEAR,
    )
    assert progress.ratio == D("0.95")
    assert progress.band is ProgressBand.ON_TRACK
