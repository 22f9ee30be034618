"""Every figure of every format read back equals the database's published figure exactly."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.results.models import ResultSnapshot
from tests.exports.conftest import FINALISED, PUBLISHED, RUNNING, Exports

TWO = Decimal("0.01")


def expected_regions(world: Exports) -> dict[str, dict[str, Any]]:
    """Region code -> column -> the published figure as the database holds it."""
    top = list(
        FrameworkNode.objects.filter(version=world.version, depth=1)
        .order_by("sequence")
        .values_list("code", flat=True)
    )
    smart = list(dimension_names(world.version))
    found: dict[str, dict[str, Any]] = {}
    for evaluation in Evaluation.objects.filter(cycle=world.cycle).select_related("region"):
        snapshot = ResultSnapshot.objects.filter(evaluation=evaluation, is_current=True).first()
        row: dict[str, Any] = {"status": evaluation.status, "index": None}
        if snapshot is not None:
            row["index"] = snapshot.index.quantize(TWO)
            row["predicate"] = snapshot.predicate
            for code in top:
                row[f"eval_{code}"] = Decimal(snapshot.node_indices[code]).quantize(TWO)
            for code in smart:
                row[f"smart_{code}"] = Decimal(snapshot.tag_indices[code]).quantize(TWO)
        found[evaluation.region.code] = row
    assert len(top) == 5
    assert len(smart) == 6
    return found


def expected_items(world: Exports) -> dict[tuple[str, str], tuple[Any, Any, str]]:
    rows = ItemValue.objects.filter(evaluation__cycle=world.cycle).values_list(
        "evaluation__region__code",
        "indicator__code",
        "self_value",
        "verified_value",
        "review_status",
    )
    return {(r, i): (own, verified, review) for r, i, own, verified, review in rows}


def number(value: object) -> Decimal | None:
    # openpyxl reads a number cell as int or float; its shortest repr is the written decimal.
    return None if value in (None, "") else Decimal(str(value))


@pytest.mark.django_db
def test_the_workbook_reads_back_to_the_database_figures(world: Exports) -> None:
    response = world.client("admin").get(reverse("exports:xlsx", args=[world.cycle.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["README", "regions", "items"]
    readme = "\n".join(
        str(c) for row in workbook["README"].iter_rows(values_only=True) for c in row if c
    )
    assert "G100SC@2022" in readme
    assert "CC BY 4.0" in readme
    assert "ODbL" in readme
    expected = expected_regions(world)
    sheet = workbook["regions"]
    header = [c.value for c in sheet[1]]
    seen = set()
    for cells in sheet.iter_rows(min_row=2):
        row = dict(zip(header, cells, strict=True))
        code = str(row["region_code"].value)
        seen.add(code)
        want = expected[code]
        assert row["status"].value == want["status"]
        assert number(row["index"].value) == want["index"]
        if want["index"] is not None:
            assert row["index"].number_format == "0.00"
            assert row["predicate"].value == want["predicate"]
            for column, figure in want.items():
                if column.startswith(("eval_", "smart_")):
                    assert number(row[column].value) == figure, (code, column)
                    assert row[column].number_format == "0.00"
    assert seen == {PUBLISHED, FINALISED, RUNNING}

    items = expected_items(world)
    sheet = workbook["items"]
    item_header = [str(c.value) for c in sheet[1]]
    read = 0
    for values in sheet.iter_rows(min_row=2, values_only=True):
        item = dict(zip(item_header, values, strict=True))
        own, verified, review = items[(str(item["region_code"]), str(item["indicator_code"]))]
        assert number(item["self_value"]) == own
        assert number(item["verified_value"]) == verified
        assert item["review_status"] == review
        read += 1
    assert read == len(items)


@pytest.mark.django_db
def test_the_regions_csv_reads_back_with_published_two_decimals(world: Exports) -> None:
    response = world.client("admin").get(reverse("exports:regions_csv", args=[world.cycle.pk]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = expected_regions(world)
    assert {row["region_code"] for row in rows} == set(expected)
    for row in rows:
        want = expected[row["region_code"]]
        if want["index"] is None:
            assert row["index"] == ""
            assert row["rank_national"] == ""
            continue
        for column, figure in want.items():
            if column == "index" or column.startswith(("eval_", "smart_")):
                assert row[column] == f"{figure:.2f}"  # two decimals written, even 3.10
                assert Decimal(row[column]) == figure
    published = next(row for row in rows if row["region_code"] == PUBLISHED)
    unpublished = next(row for row in rows if row["region_code"] == FINALISED)
    assert published["rank_national"] == "1"
    assert published["rank_province"] == "1"
    assert unpublished["rank_national"] == ""  # no official rank before publication


@pytest.mark.django_db
def test_the_items_csv_reads_back_to_the_stored_values(world: Exports) -> None:
    response = world.client("admin").get(reverse("exports:items_csv", args=[world.cycle.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    items = expected_items(world)
    assert len(rows) == len(items)
    for row in rows:
        own, verified, review = items[(row["region_code"], row["indicator_code"])]
        assert (Decimal(row["self_value"]) if row["self_value"] else None) == own
        assert (Decimal(row["verified_value"]) if row["verified_value"] else None) == verified
        assert row["review_status"] == review
        assert "E" not in row["self_value"]  # never an exponent such as 1E+1
    smart = {row["smart_dimension"] for row in rows}
    assert smart <= set(dimension_names(world.version))
    assert len(smart) == 6


@pytest.mark.django_db
def test_the_json_has_the_documented_shape(world: Exports) -> None:
    response = world.client("admin").get(reverse("exports:json", args=[world.cycle.pk]))
    data = json.loads(response.content)
    assert data["schema"] == "cityeval.results/1"
    assert data["cycle"] == {
        "id": world.cycle.pk,
        "program": "G100SC",
        "year": 2024,
        "round": "annual",
        "framework": "G100SC@2022",
    }
    assert data["licence"]["results"]["name"] == "CC BY 4.0"
    assert "ODbL" in data["licence"]["regions"]["name"]
    assert data["decimals"] == {"places": 2, "encoding": "string"}
    assert [d["code"] for d in data["smart_dimensions"]] == list(dimension_names(world.version))
    assert len(data["evaluation_dimensions"]) == 5
    expected = expected_regions(world)
    by_code = {region["code"]: region for region in data["regions"]}
    assert set(by_code) == set(expected)
    running = by_code[RUNNING]
    assert running["result"] is None
    assert running["published"] is False
    published = by_code[PUBLISHED]
    assert set(published) == {
        "code", "name", "province", "kind", "cohort", "status", "published", "result",
    }  # fmt: skip
    result = published["result"]
    assert isinstance(result["index"], str)
    assert Decimal(result["index"]) == expected[PUBLISHED]["index"]
    assert result["rank_national"] == 1
    for code, figure in result["smart_dimensions"].items():
        assert Decimal(figure) == expected[PUBLISHED][f"smart_{code}"]
    assert by_code[FINALISED]["result"]["rank_national"] is None


@pytest.mark.django_db
def test_ties_share_a_rank_among_published_results(world: Exports) -> None:
    from cityeval.evaluations.models import EvaluationStatus

    # Semarang published with the same index as Kutai Kartanegara: both rank 1.
    kukar = ResultSnapshot.objects.get(evaluation=world.evaluation(PUBLISHED), is_current=True)
    semarang = world.evaluation(FINALISED)
    old = ResultSnapshot.objects.get(evaluation=semarang, is_current=True)
    old.is_current = False
    old.save(update_fields=["is_current"])
    ResultSnapshot.objects.create(
        evaluation=semarang,
        framework_version=world.version,
        index=kukar.index,
        predicate=kukar.predicate,
        node_indices=kukar.node_indices,
        tag_indices=kukar.tag_indices,
    )
    Evaluation.objects.filter(pk=semarang.pk).update(status=EvaluationStatus.PUBLISHED)
    data = json.loads(
        world.client("anonymous").get(reverse("exports:json", args=[world.cycle.pk])).content
    )
    ranks = {r["code"]: r["result"]["rank_national"] for r in data["regions"]}
    assert ranks == {PUBLISHED: 1, FINALISED: 1}
