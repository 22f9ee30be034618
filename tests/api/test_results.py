"""Published results: public data for any token, ranked among published results only."""

from __future__ import annotations

from cityeval.evaluations.models import EvaluationStatus
from cityeval.regions.models import Region
from tests.api.conftest import World
from tests.exports.conftest import finish, open_test_cycle


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
