"""A cycle's values read from the database as scaled integers (`results/scaled.py`) are the
Decimals the field stores, on SQLite and PostgreSQL, and the demo's national recompute
(`operations/demo/build.finalise_cycle`), which now scores them, stores what scoring the Decimals
stores.

The world: `running_cycle` of tests/world.py, two regions in self-assessment (`running`,
`running_b`), one row per item of G100SC 2022 each.
"""

from __future__ import annotations

import itertools
from decimal import Decimal as D

import pytest

from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue
from cityeval.frameworks.convert import to_scoring
from cityeval.operations.demo.build import finalise_cycle
from cityeval.results.models import ResultSnapshot
from cityeval.results.scaled import scaled_values
from scoring.batch import score_regions_exact
from scoring.scaled import ScaledValues
from tests.world import World, fill

pytestmark = pytest.mark.django_db

# NULL, zero, the smallest unit, a x.xx5 tie, the field's largest value, negatives, and values a
# REAL cannot hold exactly (SQLite keeps decimals as REAL).
TRICKY = [
    None,
    "0",
    "0.0001",
    "3.4750",
    "9999999999.9999",
    "-9999999999.9999",
    "-1.0001",
    "0.0003",
    "1234.5678",
    "5",
    "0.1",
    "2.675",
]


def _regions(world: World) -> dict[int, str]:
    return {world.running.pk: "A", world.running_b.pk: "B"}


def _stored(evaluations: list[Evaluation]) -> dict[str, dict[str, D | None]]:
    """What the Decimal reading gives: region -> code -> the stored verified value."""
    names = {e.pk: e.region.code for e in evaluations}
    found: dict[str, dict[str, D | None]] = {name: {} for name in names.values()}
    for pk, code, value in ItemValue.objects.filter(evaluation__in=evaluations).values_list(
        "evaluation_id", "indicator__code", "verified_value"
    ):
        found[names[pk]][code] = value
    return found


def _set_tricky(world: World) -> None:
    rows = list(
        ItemValue.objects.filter(evaluation__in=[world.running, world.running_b]).order_by("pk")
    )
    for row, value in zip(rows, itertools.cycle(TRICKY), strict=False):
        row.verified_value = None if value is None else D(value)
    ItemValue.objects.bulk_update(rows, ["verified_value"])


def _as_read(scaled: ScaledValues, names: dict[str, str]) -> dict[str, dict[str, str]]:
    return {
        names[region]: {c: str(v) for c, v in scaled.row(r, with_missing=True).items()}
        for r, region in enumerate(scaled.regions)
    }


def test_scaled_values_are_the_stored_decimals_every_row_present(shared_world: World) -> None:
    _set_tricky(shared_world)
    scaled = scaled_values(_regions(shared_world))
    stored = _stored([shared_world.running, shared_world.running_b])
    assert sorted(scaled.regions) == ["A", "B"]
    names = {"A": shared_world.running.region.code, "B": shared_world.running_b.region.code}
    expected = {r: {c: str(v) for c, v in values.items()} for r, values in stored.items()}
    assert _as_read(scaled, names) == expected
    assert "3.4750" in expected[names["A"]].values()  # the tricky values were stored
    assert "None" in expected[names["A"]].values()


def test_scaled_values_with_rows_missing_are_the_stored_decimals(shared_world: World) -> None:
    _set_tricky(shared_world)
    gone = ItemValue.objects.filter(evaluation=shared_world.running_b).order_by("pk")[:3]
    ItemValue.objects.filter(pk__in=[row.pk for row in gone]).delete()
    scaled = scaled_values(_regions(shared_world))
    stored = _stored([shared_world.running, shared_world.running_b])
    assert list(scaled.regions) == ["A", "B"]  # the order asked for: read by ids
    names = {"A": shared_world.running.region.code, "B": shared_world.running_b.region.code}
    present = {
        names[region]: {c: v for c, v in scaled.row(r).items()}
        for r, region in enumerate(scaled.regions)
    }
    assert present == {
        region: {c: v for c, v in values.items() if v is not None}
        for region, values in stored.items()
    }
    assert len(stored[names["B"]]) == len(stored[names["A"]]) - 3


def test_a_region_without_rows_has_every_value_missing(shared_world: World) -> None:
    ItemValue.objects.filter(evaluation=shared_world.running_b).delete()
    scaled = scaled_values(_regions(shared_world))
    assert scaled.as_mapping()["B"] == {}


def test_the_demo_recompute_stores_what_scoring_the_decimals_stores(shared_world: World) -> None:
    cycle = shared_world.running_cycle
    evaluations = [shared_world.running, shared_world.running_b]
    for seed, evaluation in enumerate(evaluations):
        fill(evaluation, seed, verify=True)
    # A half level and a tie-prone value on one item of each region.
    first = ItemValue.objects.filter(evaluation__in=evaluations, indicator__kind="maturity")
    for row, value in zip(first.order_by("pk")[:2], ["3.5", "2.25"], strict=True):
        row.verified_value = D(value)
        row.save(update_fields=["verified_value"])
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(
        status=EvaluationStatus.FINALISED
    )
    stored = _stored(evaluations)
    reference = score_regions_exact(to_scoring(cycle.framework_version), stored)

    assert finalise_cycle(cycle, shared_world.people["admin"]) == 2
    for evaluation in evaluations:
        snapshot = ResultSnapshot.objects.get(evaluation=evaluation)
        expected = reference.regions[evaluation.region.code]
        assert snapshot.index == expected.index  # the field keeps 4 places: 2.8100
        assert snapshot.predicate == (expected.predicate or "")
        assert snapshot.node_indices == {k: str(v) for k, v in expected.nodes.items()}
        assert snapshot.tag_indices == {k: str(v) for k, v in expected.tags.items()}
        assert snapshot.missing == list(expected.missing)
        assert snapshot.inputs == {
            k: None if v is None else str(v) for k, v in stored[evaluation.region.code].items()
        }
