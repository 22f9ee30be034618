"""Values as scaled integers: the form a database hands over without a Decimal per value.

A `DecimalField` keeps a fixed number of places, so each stored value is an integer number of
units of 10**-places (`verified_value` with 4 places: 3.475 is 34750). `ScaledValues` holds a
batch of regions x items as one int64 array of those units, with a mask of what is present.
`score_regions` accepts it in place of the {region: {code: Decimal}} mapping: the float path
reads every value as `units / 10**places` (a correctly rounded division: the same float as
`float(Decimal)`), and the exact value of any cell stays recoverable as
`Decimal(units).scaleb(-places)` (3.4750, the Decimal the database would have given) for the few
figures that path decides exactly. Equal to the mapping form in every published figure (property
tests in tests/scoring/test_scoring_official.py).

    ScaledValues.from_rows(rows, places=4, regions=None) -> ScaledValues
        rows: (region, item code, units or None), e.g. from `values_list` of an expression
        that multiplies the stored field by 10**places and rounds it to an integer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
MAX_PLACES = 18
# Beyond 2**50 units two different values could read as one float; such a batch is scored
# through its Decimals instead (`as_mapping`).
MAX_UNITS = 2**50


@dataclass(frozen=True, eq=False)
class ScaledValues:
    """Regions x items: `units[r, c] / 10**places` is the value of item `codes[c]` for region
    `regions[r]` where `present[r, c]`; elsewhere the value is missing (None)."""

    regions: tuple[str, ...]
    codes: tuple[str, ...]
    units: IntArray
    present: BoolArray
    places: int

    def __post_init__(self) -> None:
        shape = (len(self.regions), len(self.codes))
        if self.units.shape != shape or self.present.shape != shape:
            raise ValueError(f"units and present must be regions x codes, {shape}")
        if self.units.dtype != np.int64 or self.present.dtype != np.bool_:
            raise ValueError("units must be int64 and present bool")
        if len(set(self.regions)) != len(self.regions) or len(set(self.codes)) != len(self.codes):
            raise ValueError("regions and codes must be unique")
        if not 0 <= self.places <= MAX_PLACES:
            raise ValueError(f"places must be 0..{MAX_PLACES}")

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str, str, int | None]],
        *,
        places: int,
        regions: Sequence[str] | None = None,
    ) -> ScaledValues:
        """From (region, code, units or None) rows, in any order; `regions` fixes the regions
        and their order (a region without rows has every value missing), otherwise they come in
        the order first seen. Codes come in the order first seen."""
        listed = list(rows)
        if not listed:
            names = tuple(regions or ())
            empty = np.zeros((len(names), 0), np.int64)
            return cls(names, (), empty, empty.astype(np.bool_), places)
        region_column, code_column, unit_column = zip(*listed, strict=True)
        names = tuple(dict.fromkeys(region_column if regions is None else regions))
        codes = tuple(dict.fromkeys(code_column))
        region_at = {name: r for r, name in enumerate(names)}
        code_at = {code: c for c, code in enumerate(codes)}
        try:
            r_index = np.fromiter(map(region_at.__getitem__, region_column), np.intp, len(listed))
        except KeyError as error:
            raise ValueError(f"a row of region {error.args[0]!r}, not among the regions") from None
        c_index = np.fromiter(map(code_at.__getitem__, code_column), np.intp, len(listed))
        given = np.fromiter(map(_not_none, unit_column), np.bool_, len(listed))
        filled = unit_column if given.all() else [0 if u is None else u for u in unit_column]
        units = np.zeros((len(names), len(codes)), np.int64)
        present = np.zeros_like(units, np.bool_)
        seen = np.zeros_like(units, np.intp)
        np.add.at(seen, (r_index, c_index), 1)
        if (seen > 1).any():
            raise ValueError("more than one row for a region and an item")
        units[r_index, c_index] = np.fromiter(filled, np.int64, len(listed))
        present[r_index, c_index] = given
        units[~present] = 0
        return cls(names, codes, units, present, places)

    def decimal(self, units: int) -> Decimal:
        """The exact value of a number of units, with `places` decimals (as stored)."""
        return Decimal(units).scaleb(-self.places)

    def row(self, r: int) -> dict[str, Decimal | None]:
        """One region's values as Decimals (None where missing)."""
        return {
            code: self.decimal(u) if given else None
            for code, u, given in zip(
                self.codes, self.units[r].tolist(), self.present[r].tolist(), strict=True
            )
        }

    def as_mapping(self) -> dict[str, dict[str, Decimal | None]]:
        """The same values in the mapping form {region: {code: Decimal or None}}."""
        return {region: self.row(r) for r, region in enumerate(self.regions)}

    def fits_floats(self) -> bool:
        """Whether every value reads as a distinct float (see `MAX_UNITS`)."""
        return bool(((self.units > -MAX_UNITS) & (self.units < MAX_UNITS)).all())


def _not_none(value: object) -> bool:
    return value is not None
