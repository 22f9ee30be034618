"""Published results: public data for any token, ranked among published results only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cityeval.evaluations.models import EvaluationStatus
from cityeval.frameworks.models import FrameworkNode
from cityeval.regions.models import Region
from tests.world import TeamWorld as World
from tests.world import finish, open_test_cycle


def test_only_published_results_appear_with_official_ranks(world: World) -> None:
    regions = [Region.objects.get(code=code) for code in ("64.02", "33.74", "35.78")]
    cycle = open_test_cycle(2023, regions, world.people["admin"])
    evaluations = {e.region.code: e for e in cycle.evaluations.select_related("region")}
    finish(evaluations["64.02"], EvaluationStatus.PUBLISHED, seed=1)
    finish(evaluations["35.78"], EvaluationStatus.PUBLISHED, seed=3)
    finish(evaluations["33.74"], EvaluationStatus.FINALISED, seed=2)  # must not show or count
    # A contributor of Semarang (no part in this cycle's published regions) reads them too.
    body = world.api("other_contributor").get(f"/cycles/{cycle.pk}/results").json()
    assert body["count"] == 2
    codes = [row["region"]["code"] for row in body["results"]]
    assert sorted(codes) == ["35.78", "64.02"]
    ranks = [row["rank"] for row in body["results"]]
    assert ranks == sorted(ranks)
    assert ranks[0] == 1
    first = body["results"][0]
    assert len(first["index"].split(".")[1]) == 2  # as published: two decimals
    assert first["dimensions"]
    paged = world.api("viewer").get(f"/cycles/{cycle.pk}/results", limit=1, offset=1).json()
    assert [row["region"]["code"] for row in paged["results"]] == codes[1:]


def test_a_cycle_without_published_results_is_404(world: World) -> None:
    response = world.api("admin").get(f"/cycles/{world.cycle.pk}/results")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_results_need_a_token(world: World) -> None:
    assert world.api("anonymous").get(f"/cycles/{world.cycle.pk}/results").status_code == 401


def test_every_node_has_its_index_for_a_tree_without_tags(world: World) -> None:
    regions = [Region.objects.get(code=code) for code in ("64.02", "33.74")]
    cycle = open_test_cycle(2025, regions, world.people["admin"], ref="SPBE@2020")
    evaluations = {e.region.code: e for e in cycle.evaluations.select_related("region")}
    snapshot = finish(evaluations["64.02"], EvaluationStatus.PUBLISHED, seed=4)
    finish(evaluations["33.74"], EvaluationStatus.FINALISED, seed=5)  # not published: absent
    body = world.api("other_contributor").get(f"/cycles/{cycle.pk}/results").json()
    assert [row["region"]["code"] for row in body["results"]] == ["64.02"]
    row = body["results"][0]
    assert row["dimensions"] == {}  # SPBE has no tag axis
    nodes = {node["code"]: node for node in row["nodes"]}
    tree = FrameworkNode.objects.filter(version=cycle.framework_version)
    assert set(nodes) == set(tree.values_list("code", flat=True))
    domains = [node for node in row["nodes"] if node["level"] == 1]
    aspects = [node for node in row["nodes"] if node["level"] == 2]
    assert (len(domains), len(aspects)) == (4, 8)
    assert {node["parent"] for node in aspects} <= {node["code"] for node in domains}
    for node in domains + aspects:
        stored = Decimal(snapshot.node_indices[node["code"]])
        assert node["index"] == format(stored.quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
    root = next(node for node in row["nodes"] if node["level"] == 0)
    assert root["index"] == row["index"]


def test_tagged_results_keep_their_dimensions_and_carry_the_tree(world: World) -> None:
    cycle = open_test_cycle(2023, [Region.objects.get(code="64.02")], world.people["admin"])
    finish(cycle.evaluations.get(), EvaluationStatus.PUBLISHED, seed=1)
    row = world.api("viewer").get(f"/cycles/{cycle.pk}/results").json()["results"][0]
    assert row["dimensions"]
    assert all(value is not None for value in row["dimensions"].values())
    assert [node["level"] for node in row["nodes"]].count(0) == 1
    assert all(node["index"] is not None for node in row["nodes"] if node["level"] == 1)
