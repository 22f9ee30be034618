"""Who gets which rows of each export: nothing unpublished leaks to the public or to others."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from cityeval.evaluations.models import Cycle
from tests.exports.conftest import FINALISED, PERSONAS, PUBLISHED, RUNNING, Exports
from tests.matrix import Row, check
from tests.world import open_test_cycle

FORMATS = ["exports:xlsx", "exports:regions_csv", "exports:items_csv", "exports:json"]

# Region codes each persona gets in the exports of the cycle.
EVERYTHING = {PUBLISHED, FINALISED, RUNNING}
SEES = {
    "admin": EVERYTHING,
    "national_viewer": EVERYTHING,
    "lead": {PUBLISHED},
    "member": {PUBLISHED},
    "stranger_assessor": {PUBLISHED, FINALISED},
    "coordinator": {PUBLISHED},
    "contributor": {PUBLISHED},
    "viewer": {PUBLISHED},
    "other_coordinator": {PUBLISHED, FINALISED},
    "other_contributor": {PUBLISHED, FINALISED},
    "anonymous": {PUBLISHED},
}


def regions_in(name: str, content: bytes) -> set[str]:
    """The region codes an export holds, read the way its users would read it."""
    if name == "exports:json":
        return {region["code"] for region in json.loads(content)["regions"]}
    if name == "exports:xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        codes = set()
        for sheet in ("regions", "items"):
            rows = list(workbook[sheet].iter_rows(min_row=2, values_only=True))
            codes |= {str(row[0]) for row in rows}
        return codes
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return {row["region_code"] for row in reader}


def get(world: Exports, persona: str, name: str, cycle: Cycle | None = None) -> Any:
    return world.client(persona).get(reverse(name, args=[(cycle or world.cycle).pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_regions_it_may_read(
    world: Exports, persona: str, name: str
) -> None:
    response = get(world, persona, name)
    assert response.status_code == 200
    expected = SEES[persona]
    if persona == "other_contributor" and name == "exports:items_csv":
        expected = {PUBLISHED}  # no item of Semarang is assigned to their OPD (test below)
    assert regions_in(name, response.content) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "lead", "contributor"])
def test_no_trace_of_unpublished_regions_leaks(world: Exports, persona: str, name: str) -> None:
    content = get(world, persona, name).content
    if name == "exports:xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        text = "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    else:
        text = content.decode("utf-8-sig")
    for needle in ("Semarang", "Surabaya", FINALISED, RUNNING):
        assert needle not in text


@pytest.mark.django_db
def test_a_contributor_gets_only_their_opds_items_of_an_unpublished_evaluation(
    world: Exports,
) -> None:
    from cityeval.evaluations.models import ItemValue
    from cityeval.regions.models import OPD

    evaluation = world.evaluation(FINALISED)
    opd = OPD.objects.get(region=evaluation.region)
    mine = list(ItemValue.objects.filter(evaluation=evaluation).order_by("pk")[:3])
    ItemValue.objects.filter(pk__in=[i.pk for i in mine]).update(opd=opd)
    response = get(world, "other_contributor", "exports:items_csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    theirs = {row["indicator_code"] for row in rows if row["region_code"] == FINALISED}
    assert theirs == {item.indicator.code for item in mine}
    coordinator = get(world, "other_coordinator", "exports:items_csv").content.decode("utf-8-sig")
    assert (
        coordinator.count(f"\r\n{FINALISED},")
        == ItemValue.objects.filter(evaluation=evaluation).count()
    )


EMPTY = {
    "anonymous": 404,
    "coordinator": 404,
    "lead": 404,
    "other_coordinator": 404,
    "admin": 200,
    "national_viewer": 200,
}
EMPTY_ROWS = [Row(name, lambda w: [Cycle.objects.get(year=2025).pk], EMPTY) for name in FORMATS]


@pytest.mark.django_db
@pytest.mark.parametrize("row", EMPTY_ROWS, ids=str)
def test_a_cycle_without_anything_to_show_answers_404(world: Exports, row: Row) -> None:
    # Only Semarang takes part, and nothing is published yet.
    from cityeval.regions.models import Region

    open_test_cycle(2025, [Region.objects.get(code="33.73")], world.people["admin"])
    check(row, world, EMPTY)


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
def test_an_unknown_cycle_answers_404(world: Exports, name: str) -> None:
    response = world.client("admin").get(reverse(name, args=[999999]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMATS)
def test_exports_refuse_anything_but_get(world: Exports, name: str) -> None:
    response = world.client("admin").post(reverse(name, args=[world.cycle.pk]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_downloads_are_never_stored_in_shared_caches(world: Exports) -> None:
    response = get(world, "anonymous", "exports:regions_csv")
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
