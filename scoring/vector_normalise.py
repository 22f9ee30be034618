"""Column-wise float counterpart of `scoring.normalise` for the vectorised path.

The formulas (and the midpoint for a cohort that cannot tell regions apart) are those documented
in `scoring.normalise`; `tests/scoring` checks that both paths agree.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.errors import ScoringInputError
from scoring.model import Direction, Indicator, IndicatorKind, Normalisation, Scale
from scoring.normalise import Z_CLIP

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class ItemColumns:
    """Item columns grouped by how they are mapped, with their per-column parameters."""

    maturity: IntArray
    percentage: IntArray
    by_method: dict[Normalisation, IntArray]
    lower: FloatArray  # per item; NaN where unused
    upper: FloatArray
    target: FloatArray
    flip: BoolArray  # lower-is-better applied to the unit score
    flip_maturity: BoolArray  # lower-is-better applied to a level

    @classmethod
    def of(cls, items: Sequence[Indicator]) -> ItemColumns:
        def columns(*, kind: IndicatorKind, method: Normalisation | None = None) -> IntArray:
            picked = [
                i
                for i, item in enumerate(items)
                if item.kind is kind and (method is None or item.normalisation is method)
            ]
            return np.array(picked, dtype=np.int64)

        def bound(name: str) -> FloatArray:
            values = [getattr(item, name) for item in items]
            return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)

        lower_better = np.array(
            [item.direction is Direction.LOWER_IS_BETTER for item in items], dtype=np.bool_
        )
        maturity = np.array([item.kind is IndicatorKind.MATURITY for item in items], dtype=np.bool_)
        distance = np.array(
            [item.normalisation is Normalisation.DISTANCE_TO_TARGET for item in items],
            dtype=np.bool_,
        )
        return cls(
            maturity=columns(kind=IndicatorKind.MATURITY),
            percentage=columns(kind=IndicatorKind.PERCENTAGE),
            by_method={
                method: columns(kind=IndicatorKind.QUANTITATIVE, method=method)
                for method in Normalisation
            },
            lower=bound("lower"),
            upper=bound("upper"),
            target=bound("target"),
            flip=lower_better & ~maturity & ~distance,
            flip_maturity=lower_better & maturity,
        )


def normalise_columns(
    columns: ItemColumns, raw: FloatArray, scale: Scale, codes: Sequence[str]
) -> FloatArray:
    """Scale scores for every column of `raw`; NaN stays NaN (the caller applies the policy)."""
    low, high = float(scale.minimum), float(scale.maximum)
    unit = np.full(raw.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        # nanmin and friends warn on an all-missing column; its result is NaN either way.
        warnings.simplefilter("ignore", RuntimeWarning)
        _check_range(raw, columns.maturity, low, high, codes, "is off the scale")
        _check_range(raw, columns.percentage, 0.0, 100.0, codes, "is not a percentage 0..100")
        unit[:, columns.percentage] = raw[:, columns.percentage] / 100.0

        for method, cols in columns.by_method.items():
            if cols.size:
                unit[:, cols] = _unit(method, raw[:, cols], columns, cols)

    # The cohort midpoint must not fill in a missing value: the policy decides those.
    unit = np.where(np.isnan(raw), np.nan, unit)
    unit = np.where(columns.flip, 1.0 - unit, unit)
    scores = low + unit * (high - low)
    levels = raw[:, columns.maturity]
    scores[:, columns.maturity] = np.where(
        columns.flip_maturity[columns.maturity], low + high - levels, levels
    )
    return scores


def _unit(method: Normalisation, x: FloatArray, columns: ItemColumns, cols: IntArray) -> FloatArray:
    if method is Normalisation.GOALPOSTS:
        lower, upper = columns.lower[cols], columns.upper[cols]
        return np.clip((x - lower) / (upper - lower), 0.0, 1.0)
    if method is Normalisation.DISTANCE_TO_TARGET:
        lower, target = columns.lower[cols], columns.target[cols]
        return np.clip((x - lower) / (target - lower), 0.0, 1.0)
    if method is Normalisation.MIN_MAX:
        low, high = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        span = high - low
        return np.where(span > 0, np.clip((x - low) / span, 0.0, 1.0), 0.5)
    if method is Normalisation.Z_SCORE:
        mean, std = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
        z = np.clip((x - mean) / std, -float(Z_CLIP), float(Z_CLIP))
        # Equal floats can still show a std of 1e-17; only "all equal" means no spread.
        spread = np.nanmax(x, axis=0) > np.nanmin(x, axis=0)
        return np.where(spread, (z + float(Z_CLIP)) / (2 * float(Z_CLIP)), 0.5)
    return np.column_stack([_rank_unit(x[:, j]) for j in range(x.shape[1])])


def _rank_unit(column: FloatArray) -> FloatArray:
    ordered = np.sort(column[~np.isnan(column)])
    n = ordered.size
    if n <= 1:
        return np.where(np.isnan(column), np.nan, 0.5)
    below = np.searchsorted(ordered, column, side="left")
    equal = np.searchsorted(ordered, column, side="right") - below
    unit = np.clip((below + (equal - 1) / 2) / (n - 1), 0.0, 1.0)
    return np.where(np.isnan(column), np.nan, unit)


def _check_range(
    raw: FloatArray, cols: IntArray, low: float, high: float, codes: Sequence[str], what: str
) -> None:
    values = raw[:, cols]
    bad = (values < low) | (values > high)  # NaN compares False: missing is not bad
    if bad.any():
        row, col = np.argwhere(bad)[0]
        code = codes[int(cols[col])]
        raise ScoringInputError(f"item {code!r}: value {values[row, col]} {what} (row {row})")
