"""The Data Package per cycle (validated by frictionless, as CI's data check) and the DCAT
catalogue (read with rdflib, the parser CKAN's ckanext-dcat harvester uses)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.urls import reverse
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from cityeval.evaluations.models import Cycle
from cityeval.regions.models import Region
from tests.exports.conftest import FINALISED, PUBLISHED
from tests.exports.conftest import Exports as World
from tests.world import open_test_cycle

pytestmark = pytest.mark.django_db
DCATNS = Namespace("http://www.w3.org/ns/dcat#")


def download_package(world: World, persona: str, folder: Path) -> Path:
    client = world.client(persona)
    pk = world.cycle.pk
    for name, filename in [
        ("exports:regions_csv", "regions.csv"),
        ("exports:items_csv", "items.csv"),
        ("exports:datapackage", "datapackage.json"),
    ]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200, filename
        (folder / filename).write_bytes(response.content)
    return folder / "datapackage.json"


def test_the_published_package_is_valid_for_frictionless(world: World, tmp_path: Path) -> None:
    descriptor = download_package(world, "anonymous", tmp_path)
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(descriptor))
    regions = package.get_table_resource("regions").read_rows()
    assert [row["region_code"] for row in regions] == [PUBLISHED]
    assert all(isinstance(row["index"], Decimal) for row in regions)  # typed, not text


def test_the_package_also_describes_what_an_admin_downloads(world: World, tmp_path: Path) -> None:
    # An admin's CSV files carry unpublished rows too (no result, no rank): same schema.
    report = frictionless.validate(str(download_package(world, "admin", tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_column_has_a_type_a_description_and_figures_a_unit(world: World) -> None:
    response = world.client("anonymous").get(reverse("exports:datapackage", args=[world.cycle.pk]))
    package = json.loads(response.content)
    assert {licence["name"] for licence in package["licenses"]} == {"CC-BY-4.0", "ODbL-1.0"}
    assert package["sources"]
    regions = {field["name"]: field for field in package["resources"][0]["schema"]["fields"]}
    assert all(field["type"] and field["description"] for field in regions.values())
    assert regions["index"]["type"] == "number"
    assert regions["index"]["constraints"] == {"minimum": 1, "maximum": 5}
    assert regions["index"]["unit"]
    assert regions["rank_national"]["type"] == "integer"


def unpublished_cycle(world: World) -> Cycle:
    semarang = Region.objects.get(code=FINALISED)
    return open_test_cycle(2025, [semarang], world.people["admin"])


@pytest.mark.parametrize("persona", ["anonymous", "coordinator", "admin"])
def test_a_cycle_without_published_results_has_no_package(world: World, persona: str) -> None:
    cycle = unpublished_cycle(world)
    response = world.client(persona).get(reverse("exports:datapackage", args=[cycle.pk]))
    assert response.status_code == 404


def test_the_catalogue_is_dcat_with_published_cycles_only(world: World) -> None:
    hidden = unpublished_cycle(world)
    response = world.client("admin").get(reverse("exports:catalog"))
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=response.content, format="json-ld")
    datasets = list(graph.subjects(RDF.type, DCATNS.Dataset))
    assert len(datasets) == 1
    dataset = datasets[0]
    assert str(graph.value(dataset, DCTERMS.identifier)) == "cityeval-g100sc-2024-annual"
    assert graph.value(dataset, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    urls = {
        str(graph.value(distribution, DCATNS.downloadURL))
        for distribution in graph.objects(dataset, DCATNS.distribution)
    }
    base = "http://testserver/data"
    assert urls == {
        f"{base}/{world.cycle.pk}/{name}"
        for name in ("regions.csv", "items.csv", "results.xlsx", "results.json", "datapackage.json")
    }
    assert not any(f"/data/{hidden.pk}/" in url for url in urls)
    catalogs = list(graph.subjects(RDF.type, DCATNS.Catalog))
    assert list(graph.objects(catalogs[0], DCATNS.dataset)) == [dataset]
