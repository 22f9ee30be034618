"""Read endpoints: happy paths, filters, pagination, and the UI's access rules."""

from __future__ import annotations

import pytest

from cityeval.accounts.models import Role
from cityeval.evaluations.models import ItemValue
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.models import Cohort, Region
from tests.world import ApiClient, person, token_for
from tests.world import TeamWorld as World


def test_frameworks_list_and_tree(world: World) -> None:
    client = world.api("contributor")
    listed = client.get("/frameworks").json()
    refs = [row["ref"] for row in listed["results"]]
    assert "G100SC@2022" in refs
    assert listed["count"] == len(refs)
    version_id = world.cycle.framework_version_id
    tree = client.get(f"/frameworks/{version_id}").json()
    assert tree["ref"] == world.cycle.framework_version.ref
    codes = {node["code"] for node in tree["nodes"]}
    roots = [node for node in tree["nodes"] if node["parent"] is None]
    assert len(roots) == 1
    assert all(node["parent"] in codes for node in tree["nodes"] if node["parent"] is not None)
    maturity = next(node for node in tree["nodes"] if node["kind"] == "maturity")
    assert [level["level"] for level in maturity["levels"]] == [1, 2, 3, 4, 5]
    assert maturity["levels"][0]["rubric"]


def test_the_framework_gives_weights_bands_and_level_names_exactly(world: World) -> None:
    spbe = FrameworkVersion.objects.get_by_ref("SPBE@2020")
    body = world.api("contributor").get(f"/frameworks/{spbe.pk}").json()
    nodes = {node["code"]: node for node in body["nodes"]}
    # 12/16.5 in the file: the reduced ratio, not 0.727272727273; a terminating one as decimal.
    assert nodes["A5"]["weight"] == "8/11"
    assert nodes["A6"]["weight"] == "3/11"
    assert nodes["A5"]["weight_decimal"] == "0.727272727273"
    assert "0.13" in {node["weight"] for node in body["nodes"]}
    assert body["scale"] == {
        "minimum": 1,
        "maximum": 5,
        "levels": [
            {"level": 1, "name": "Rintisan"},
            {"level": 2, "name": "Terkelola"},
            {"level": 3, "name": "Terstandardisasi"},
            {"level": 4, "name": "Terintegrasi dan Terukur"},
            {"level": 5, "name": "Optimum"},
        ],
    }
    bands = [(band["code"], band["minimum"]) for band in body["predicates"]]
    assert bands[:3] == [("KURANG", "1"), ("CUKUP", "1.8"), ("BAIK", "2.6")]
    assert body["predicates"][0]["name"] == "Kurang"
    maturity = next(node for node in body["nodes"] if node["kind"] == "maturity")
    assert maturity["levels"][0]["name"] == "Rintisan"


def test_a_framework_without_level_names_or_bands_says_so(world: World) -> None:
    g100sc = FrameworkVersion.objects.get_by_ref("G100SC@2022")
    body = world.api("contributor").get(f"/frameworks/{g100sc.pk}").json()
    document = g100sc.parsed()
    assert body["rounding_places"] == document.rounding.places
    assert len(body["predicates"]) == (len(document.predicates.bands) if document.predicates else 0)
    assert [level["level"] for level in body["scale"]["levels"]] == list(
        range(document.scale.minimum, document.scale.maximum + 1)
    )


def test_an_unknown_framework_is_404(world: World) -> None:
    response = world.api("contributor").get("/frameworks/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_regions_are_filtered_and_paginated_in_a_stable_order(world: World) -> None:
    client = world.api("viewer")
    kaltim = client.get("/regions", province="64", limit=3).json()
    assert kaltim["count"] == Region.objects.filter(province__code="64").count()
    codes = list(
        Region.objects.filter(province__code="64").order_by("code").values_list("code", flat=True)
    )
    assert [row["code"] for row in kaltim["results"]] == codes[:3]
    second = client.get("/regions", province="64", limit=3, offset=3).json()
    assert [row["code"] for row in second["results"]] == codes[3:6]
    kota = client.get("/regions", province="64", kind="kota", limit=200).json()
    assert kota["results"]
    assert all(row["kind"] == "kota" for row in kota["results"])
    cohort = Cohort.objects.create(year=2017, name="Angkatan 2017")
    Region.objects.filter(code__in=["64.02", "33.74"]).update(cohort=cohort)
    joined = client.get("/regions", cohort=2017).json()
    assert [row["code"] for row in joined["results"]] == ["33.74", "64.02"]
    assert joined["results"][1]["province"]["code"] == "64"
    assert joined["results"][1]["cohort"] == 2017


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "ten"}, {"province": "6"}],
)
def test_bad_paging_or_filters_are_422_with_the_field(
    world: World, params: dict[str, object]
) -> None:
    response = world.api("viewer").get("/regions", **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["errors"][0]["loc"][-1] == next(iter(params))


def test_cycles_show_what_the_caller_takes_part_in(world: World) -> None:
    assert world.api("contributor").get("/cycles").json()["count"] == 1
    assert world.api("admin").get("/cycles").json()["results"][0]["id"] == world.cycle.pk
    # An assessor on no team, with nothing published, sees no cycle.
    loner = person("loner", (Role.ASSESSOR, None, None))
    assert ApiClient(token_for(loner)).get("/cycles").json()["count"] == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"64.02", "33.74"}),
        ("national_viewer", {"64.02", "33.74"}),
        ("lead", {"64.02"}),
        ("stranger_assessor", {"33.74"}),
        ("coordinator", {"64.02"}),
        ("contributor", {"64.02"}),
        ("viewer", {"64.02"}),
        ("other_coordinator", {"33.74"}),
    ],
)
def test_evaluations_list_what_the_caller_may_see(
    world: World, persona: str, expected: set[str]
) -> None:
    rows = world.api(persona).get("/evaluations").json()["results"]
    assert {row["region"]["code"] for row in rows} == expected


def test_evaluations_filter_by_cycle_region_and_status(world: World) -> None:
    client = world.api("admin")
    assert client.get("/evaluations", region="33.74").json()["count"] == 1
    assert client.get("/evaluations", cycle=world.cycle.pk).json()["count"] == 2
    assert client.get("/evaluations", status="published").json()["count"] == 0
    assert client.get("/evaluations", status="nonsense").status_code == 422


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("contributor", 200),
        ("viewer", 200),
        ("lead", 200),
        ("admin", 200),
        ("other_coordinator", 404),
        ("other_contributor", 404),
        ("stranger_assessor", 404),
        ("anonymous", 401),
    ],
)
def test_one_evaluation_follows_the_tenant_rule(world: World, persona: str, status: int) -> None:
    response = world.api(persona).get(f"/evaluations/{world.evaluation.pk}")
    assert response.status_code == status
    assert ("error" in response.json()) == (status != 200)


def test_a_contributor_sees_only_the_items_of_their_opd(world: World) -> None:
    body = world.api("contributor").get(f"/evaluations/{world.evaluation.pk}").json()
    assert len(body["items"]) == 10
    assert {item["opd"]["code"] for item in body["items"]} == {"DINKES"}
    assert body["capabilities"] == ["fill", "view"]
    assert all(item["lock_reason"] == "" for item in body["items"])
    coordinator = world.api("coordinator").get(f"/evaluations/{world.evaluation.pk}").json()
    assert (
        len(coordinator["items"]) == ItemValue.objects.filter(evaluation=world.evaluation).count()
    )


def test_an_item_of_another_opd_is_404_for_a_contributor(world: World) -> None:
    theirs = world.item(world.roads)
    assert world.api("contributor").get(f"/items/{theirs.pk}").status_code == 404
    assert world.api("roads_contributor").get(f"/items/{theirs.pk}").status_code == 200


def test_an_item_of_another_region_is_404(world: World) -> None:
    other = world.item(evaluation=world.other)
    assert world.api("coordinator").get(f"/items/{other.pk}").status_code == 404
    assert world.api("other_coordinator").get(f"/items/{other.pk}").status_code == 200


def test_the_region_does_not_see_verified_values_before_publication(in_review: World) -> None:
    item = in_review.item(in_review.health)
    ItemValue.objects.filter(pk=item.pk).update(verified_value=2)
    assert in_review.api("lead").get(f"/items/{item.pk}").json()["verified_value"] == "2"
    assert in_review.api("coordinator").get(f"/items/{item.pk}").json()["verified_value"] is None


def test_an_unknown_path_under_the_api_is_a_json_404(world: World) -> None:
    response = world.api("admin").get("/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_huge_id_is_422_not_a_server_error(world: World) -> None:
    response = world.api("admin").get(f"/evaluations/{2**70}")
    assert response.status_code == 422
