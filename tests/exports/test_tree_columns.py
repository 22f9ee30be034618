"""Open data follows the framework's own shape: a plain tree (SPBE: 4 domains, 8 aspects, no
tags) gets a column per domain and per aspect, and no smart-dimension or G100SC cohort column."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.services import store_document
from cityeval.regions.models import Region
from cityeval.regions.services import assign_cohort
from tests.exports.conftest import FINALISED, PUBLISHED, Exports
from tests.world import finish, open_test_cycle

TWO = Decimal("0.01")


@pytest.fixture
def spbe(world: Exports) -> Cycle:
    store_document(document=load_framework_file(settings.FRAMEWORKS_DIR / "spbe-2020.yaml"))
    # Kutai Kartanegara is in a G100SC cohort; that year must not show in an SPBE export.
    assign_cohort(year=2017, region_codes=[PUBLISHED])
    regions = [Region.objects.get(code=code) for code in (PUBLISHED, FINALISED)]
    cycle = open_test_cycle(2025, regions, world.people["admin"], ref="SPBE@2020")
    evaluations = {e.region.code: e for e in cycle.evaluations.select_related("region")}
    finish(evaluations[PUBLISHED], EvaluationStatus.PUBLISHED, seed=7)
    finish(evaluations[FINALISED], EvaluationStatus.FINALISED, seed=8)
    return cycle


def _get(client: Client, name: str, cycle: Cycle) -> bytes:
    response = client.get(reverse(f"exports:{name}", kwargs={"cycle_id": cycle.pk}))
    assert response.status_code == 200
    return bytes(response.content)


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _tree_columns(cycle: Cycle) -> list[str]:
    nodes = FrameworkNode.objects.filter(version=cycle.framework_version, depth__in=[1, 2])
    return [
        f"eval_{code}"
        for code in nodes.order_by("depth", "sequence").values_list("code", flat=True)
    ]


def test_spbe_regions_have_a_column_per_domain_and_aspect(world: Exports, spbe: Cycle) -> None:
    rows = _csv(_get(Client(), "regions_csv", spbe))
    columns = list(rows[0])
    figures = [c for c in columns if c.startswith(("eval_", "smart_"))]
    assert figures == _tree_columns(spbe)
    assert len(figures) == 4 + 8
    assert "cohort" not in columns
    published = next(row for row in rows if row["region_code"] == PUBLISHED)
    snapshot = spbe.evaluations.get(region__code=PUBLISHED).snapshots.get(is_current=True)
    for column in figures:
        stored = Decimal(snapshot.node_indices[column.removeprefix("eval_")])
        assert published[column] == str(stored.quantize(TWO, ROUND_HALF_UP))
    # The finalised region is not published: the public file does not carry it.
    assert FINALISED not in {row["region_code"] for row in rows}


def test_spbe_items_have_no_smart_dimension_column(world: Exports, spbe: Cycle) -> None:
    admin = world.client("admin")
    rows = _csv(_get(admin, "items_csv", spbe))
    assert rows
    assert "smart_dimension" not in rows[0]
    book = openpyxl.load_workbook(io.BytesIO(_get(admin, "xlsx", spbe)), read_only=True)
    items_header = next(book["items"].iter_rows(max_row=1, values_only=True))
    regions_header = next(book["regions"].iter_rows(max_row=1, values_only=True))
    assert "smart_dimension" not in items_header
    assert "cohort" not in regions_header
    assert [c for c in regions_header if str(c).startswith("eval_")] == _tree_columns(spbe)
    readme = [row[0] for row in book["README"].iter_rows(values_only=True) if row]
    assert "cohort" not in readme
    assert "smart_dimension" not in readme
    assert set(_tree_columns(spbe)) <= set(readme)


def test_spbe_json_names_the_tree_and_leaves_out_cohorts(world: Exports, spbe: Cycle) -> None:
    data = json.loads(_get(Client(), "json", spbe))
    assert data["smart_dimensions"] == []
    levels = [(d["level"], d["parent"] is None) for d in data["evaluation_dimensions"]]
    assert levels == [(1, True)] * 4 + [(2, False)] * 8
    domains = {d["code"] for d in data["evaluation_dimensions"] if d["level"] == 1}
    assert all(d["parent"] in domains for d in data["evaluation_dimensions"] if d["level"] == 2)
    assert all("cohort" not in region for region in data["regions"])
    published = next(r for r in data["regions"] if r["code"] == PUBLISHED)
    assert len(published["result"]["evaluation_dimensions"]) == 12


def test_g100sc_keeps_its_cohort_and_smart_dimension_columns(world: Exports) -> None:
    assign_cohort(year=2017, region_codes=[PUBLISHED])
    regions = _csv(_get(Client(), "regions_csv", world.cycle))
    assert regions[0]["cohort"] == "2017"
    assert any(column.startswith("smart_") for column in regions[0])
    # G100SC has a tag axis: its figures are the top level only, plus the smart dimensions.
    assert len([c for c in regions[0] if c.startswith("eval_")]) == 5
    items = _csv(_get(world.client("admin"), "items_csv", world.cycle))
    assert "smart_dimension" in items[0]
