"""Progress bands from growth over time, after the Open SDG (Statistics Canada) method.

    assess_progress(base=Observation(2019, x0), latest=Observation(2023, x1),
                    target=Observation(2030, xt) or None, direction=..., growth=...) -> Progress

With a target, the observed annual growth is compared with the growth required to reach the
target on time: ratio R = observed / |required|, both signed by the desired direction.

    target achieved   the latest value meets the target
    on track          R >= 0.95
    acceleration      0.60 <= R < 0.95   ("progress made but acceleration needed")
    limited progress  0 <= R < 0.60
    deterioration     R < 0

Without a target, the observed compound annual growth (signed by direction) is compared with fixed
rates: >= 1.5% on track, >= 0.5% acceleration needed, >= 0 limited progress, < 0 deterioration.

Growth is compound (CAGR) by default, as in Open SDG; it needs positive values. Linear growth
(absolute change per year) handles series that start at zero, such as the share of masterplan
programs running, and is only meaningful against a target: fixed thresholds are rates.
Open SDG's scaling of thresholds near natural limits is not applied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

from scoring.errors import ScoringInputError
from scoring.model import Direction
from scoring.rounding import CONTEXT

SETTLED = Decimal("1e-20")
WIDE = Context(prec=100)  # quantizing a large measure to 20 places needs more than 40 digits


class ProgressBand(enum.StrEnum):
    TARGET_ACHIEVED = "target_achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"


class Growth(enum.StrEnum):
    COMPOUND = "compound"  # (x1 / x0) ** (1 / years) - 1
    LINEAR = "linear"  # (x1 - x0) / years


@dataclass(frozen=True)
class ProgressThresholds:
    on_track_ratio: Decimal = Decimal("0.95")
    acceleration_ratio: Decimal = Decimal("0.60")
    on_track_growth: Decimal = Decimal("0.015")  # without a target
    acceleration_growth: Decimal = Decimal("0.005")


@dataclass(frozen=True)
class Observation:
    year: int
    value: Decimal


@dataclass(frozen=True)
class Progress:
    band: ProgressBand
    observed: Decimal  # annual growth in the desired direction (positive = better)
    required: Decimal | None  # annual growth needed to meet the target on time; None: no target
    ratio: Decimal | None  # observed / |required|; None without a target or once achieved


def assess_progress(
    *,
    base: Observation,
    latest: Observation,
    target: Observation | None = None,
    direction: Direction = Direction.HIGHER_IS_BETTER,
    growth: Growth = Growth.COMPOUND,
    thresholds: ProgressThresholds = ProgressThresholds(),
) -> Progress:
    if latest.year <= base.year:
        raise ScoringInputError("progress needs a latest year after the base year")
    sign = 1 if direction is Direction.HIGHER_IS_BETTER else -1
    with localcontext(CONTEXT):
        observed = sign * _rate(base, latest, growth)
        if target is None:
            if growth is Growth.LINEAR:
                raise ScoringInputError("linear growth needs a target; fixed thresholds are rates")
            band = _band(observed, thresholds.on_track_growth, thresholds.acceleration_growth)
            return Progress(band, observed, None, None)
        if target.year <= base.year:
            raise ScoringInputError("the target year must come after the base year")
        required = sign * _rate(base, target, growth)
        if sign * (latest.value - target.value) >= 0:
            return Progress(ProgressBand.TARGET_ACHIEVED, observed, required, None)
        if required == 0:
            # The target equals the base and is not met, so the value moved the wrong way.
            return Progress(ProgressBand.DETERIORATION, observed, required, None)
        ratio = _settle(observed / abs(required))
        band = _band(ratio, thresholds.on_track_ratio, thresholds.acceleration_ratio)
        return Progress(band, observed, required, ratio)


def _rate(start: Observation, end: Observation, growth: Growth) -> Decimal:
    years = Decimal(end.year - start.year)
    if growth is Growth.LINEAR:
        return _settle((end.value - start.value) / years)
    if start.value <= 0 or end.value <= 0:
        raise ScoringInputError(
            "compound growth needs positive values; use Growth.LINEAR for series that reach zero"
        )
    return _settle(((end.value / start.value).ln() / years).exp() - 1)


def _settle(value: Decimal) -> Decimal:
    # Noise in the 40th digit must not push a rate or ratio that sits exactly on a threshold
    # (0.95, 1.5%) to the band below; 20 places is far finer than any threshold.
    return value.quantize(SETTLED, context=WIDE)


def _band(measure: Decimal, on_track: Decimal, acceleration: Decimal) -> ProgressBand:
    if measure >= on_track:
        return ProgressBand.ON_TRACK
    if measure >= acceleration:
        return ProgressBand.ACCELERATION_NEEDED
    if measure >= 0:
        return ProgressBand.LIMITED_PROGRESS
    return ProgressBand.DETERIORATION
