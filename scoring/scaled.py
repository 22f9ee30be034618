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

    ScaledValues.from_flat(units, regions=[...], codes=[...], places=4) -> ScaledValues
        one flat column of units, region after region (a dense query: no tuple per value).
    ScaledValues.from_rows(rows, places=4, regions=None) -> ScaledValues
        rows: (region, item code, units or None).
    ScaledValues.from_ids(region_ids, item_ids, units, regions={id: name}, codes={id: code},
                          places=4) -> ScaledValues
        the columns of `values_list("evaluation_id", "indicator_id", <units>)`, where <units>
        multiplies the stored field by 10**places and rounds it to an integer in the database
        (cityeval/results/scaled.py); the keys are matched in arrays, not one by one.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
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
        columns = list(zip(*rows, strict=True)) or [(), (), ()]
        region_column, code_column, units = columns
        names = tuple(dict.fromkeys(region_column if regions is None else regions))
        codes = tuple(dict.fromkeys(code_column))
        region_at = {name: r for r, name in enumerate(names)}
        code_at = {code: c for c, code in enumerate(codes)}
        try:
            at_region = list(map(region_at.__getitem__, region_column))
        except KeyError as error:
            raise ValueError(f"a row of region {error.args[0]!r}, not among the regions") from None
        at_code = list(map(code_at.__getitem__, code_column))
        return cls._filled(names, codes, at_region, at_code, units, places)

    @classmethod
    def from_ids(
        cls,
        region_ids: Sequence[int],
        item_ids: Sequence[int],
        units: Sequence[int | None],
        *,
        regions: Mapping[int, str],
        codes: Mapping[int, str],
        places: int,
    ) -> ScaledValues:
        """From three columns as a query gives them (`zip(*values_list(...))`): the row's region
        id, item id and units (None where missing). `regions` names every region id, in the
        order of the result; `codes` names every item id. Keys are matched in arrays."""
        size = len(units)
        if not len(region_ids) == len(item_ids) == size:
            raise ValueError("region ids, item ids and units must be as long as each other")
        at_region = _positions(np.fromiter(region_ids, np.int64, size), regions, "region")
        at_code = _positions(np.fromiter(item_ids, np.int64, size), codes, "item")
        return cls._filled(
            tuple(regions.values()), tuple(codes.values()), at_region, at_code, units, places
        )

    @classmethod
    def from_flat(
        cls,
        units: Sequence[int | None],
        *,
        regions: Sequence[str],
        codes: Sequence[str],
        places: int,
    ) -> ScaledValues:
        """From one flat column of units (None where missing), region after region, each
        region's items in the order of `codes`: what `values_list(<units>, flat=True)` gives,
        ordered by region and item, when every region has a row for every item."""
        shape = (len(regions), len(codes))
        size = shape[0] * shape[1]
        if len(units) != size:
            raise ValueError(f"{len(units)} units for {shape[0]} regions x {shape[1]} items")
        if None in units:
            present = np.fromiter(
                map(operator.is_not, units, itertools.repeat(None)), np.bool_, size
            )
            table = np.fromiter([0 if u is None else u for u in units], np.int64, size)
        else:
            present = np.ones(size, np.bool_)
            table = np.fromiter(units, np.int64, size)
        return cls(
            tuple(regions), tuple(codes), table.reshape(shape), present.reshape(shape), places
        )

    @classmethod
    def _filled(
        cls,
        names: tuple[str, ...],
        codes: tuple[str, ...],
        at_region: Sequence[int] | npt.NDArray[np.intp],
        at_code: Sequence[int] | npt.NDArray[np.intp],
        units: Sequence[int | None],
        places: int,
    ) -> ScaledValues:
        size = len(units)
        flat = np.asarray(at_region, np.intp) * len(codes) + np.asarray(at_code, np.intp)
        if np.bincount(flat, minlength=1).max(initial=0) > 1:
            raise ValueError("more than one row for a region and an item")
        given = np.fromiter(map(operator.is_not, units, itertools.repeat(None)), np.bool_, size)
        filled = units if given.all() else [0 if u is None else u for u in units]
        table = np.zeros(len(names) * len(codes), np.int64)
        present = np.zeros(table.shape, np.bool_)
        table[flat] = np.fromiter(filled, np.int64, size)
        present[flat] = given
        shape = (len(names), len(codes))
        return cls(names, codes, table.reshape(shape), present.reshape(shape), places)

    def decimal(self, units: int) -> Decimal:
        """The exact value of a number of units, with `places` decimals (as stored)."""
        return Decimal(units).scaleb(-self.places)

    def row(self, r: int, *, with_missing: bool = False) -> dict[str, Decimal | None]:
        """One region's values as Decimals: the present ones, or every code with None where
        missing (`with_missing`). Missing is missing either way, but a code named with None is
        still a code the framework must know."""
        return {
            code: self.decimal(u) if given else None
            for code, u, given in zip(
                self.codes, self.units[r].tolist(), self.present[r].tolist(), strict=True
            )
            if given or with_missing
        }

    def as_mapping(self) -> dict[str, dict[str, Decimal | None]]:
        """The present values in the mapping form {region: {code: Decimal}}."""
        return {region: self.row(r) for r, region in enumerate(self.regions)}

    def fits_floats(self) -> bool:
        """Whether every value reads as a distinct float (see `MAX_UNITS`)."""
        return bool(((self.units > -MAX_UNITS) & (self.units < MAX_UNITS)).all())


def _positions(
    keys: npt.NDArray[np.int64], named: Mapping[int, str], what: str
) -> npt.NDArray[np.intp]:
    """Each key's position among `named`'s keys, matched in arrays."""
    known = np.fromiter(named, np.int64, len(named))
    order = np.argsort(known, kind="stable")
    ordered = known[order]
    found = np.minimum(np.searchsorted(ordered, keys), max(len(known) - 1, 0))
    if keys.size and (len(known) == 0 or not np.array_equal(ordered[found], keys)):
        raise ValueError(f"a row of an {what} id not named")
    positions: npt.NDArray[np.intp] = order[found] if len(known) else found
    return positions
