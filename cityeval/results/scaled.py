"""Evaluations' item values read for a national recompute as scaled integers.

`scoring.score_regions` accepts `ScaledValues` (scoring/scaled.py): every value as an integer
number of 10**-places, so no Decimal is made per value on the way from the database to the
float path. The database does the scaling: `units_of` multiplies the stored field by
10**decimal_places, rounds to an integer (exact on PostgreSQL's numeric; on SQLite the stored
REAL is within far less than half a unit of it for the field's 14 digits) and casts it to a
bigint; NULL stays NULL (a missing value). Equal to reading the Decimals: tests in
tests/results/test_scaled_values.py, on SQLite and PostgreSQL.

When every evaluation has a row for every item (opening a cycle creates them), the values come
as one flat column ordered by evaluation and item, reshaped in numpy; otherwise as rows keyed
by ids, matched in arrays.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping

from django.db.models import BigIntegerField, Count, F, Func, Value
from django.db.models.functions import Cast, Round

from cityeval.evaluations.models import ItemValue
from scoring.scaled import ScaledValues


def places_of(field: str) -> int:
    places = ItemValue._meta.get_field(field).decimal_places  # type: ignore[union-attr]
    assert isinstance(places, int)
    return places


def units_of(field: str) -> Func:
    """The stored decimal as an integer number of 10**-decimal_places (NULL stays NULL)."""
    scaled = F(field) * Value(10 ** places_of(field))
    return Cast(Round(scaled), output_field=BigIntegerField())


def scaled_values(regions: Mapping[int, str], *, field: str = "verified_value") -> ScaledValues:
    """The values of `field` of the evaluations `regions` names (evaluation id -> region name),
    in that order unless every evaluation has every item (then by evaluation id)."""
    rows = ItemValue.objects.filter(evaluation__in=list(regions)).order_by()
    places = places_of(field)
    items = dict(
        rows.values_list("indicator_id", "indicator__code").distinct().order_by("indicator_id")
    )
    counts = dict(rows.values_list("evaluation_id").annotate(n=Count("pk")))
    if len(counts) == len(regions) and all(n == len(items) for n in counts.values()):
        units = list(
            rows.order_by("evaluation_id", "indicator_id").values_list(units_of(field), flat=True)
        )
        ordered = sorted(regions)
        return ScaledValues.from_flat(
            units,
            regions=[regions[pk] for pk in ordered],
            codes=list(items.values()),
            places=places,
        )
    keyed = list(rows.values_list("evaluation_id", "indicator_id", units_of(field)))
    return ScaledValues.from_ids(
        list(map(operator.itemgetter(0), keyed)),
        list(map(operator.itemgetter(1), keyed)),
        list(map(operator.itemgetter(2), keyed)),
        regions=regions,
        codes=items,
        places=places,
    )
