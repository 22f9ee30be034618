"""The scorecard page: who may read it, the simulator, and a query count that does not grow."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from cityeval.frameworks.convert import to_scoring
from cityeval.regions.models import Region
from cityeval.results.models import RankInterval
from cityeval.results.uncertainty import refresh_rank_intervals
from cityeval.scorecards.data import scorecard
from cityeval.scorecards.ranking import cycle_entries, ranks_of
from scoring.engine import score_region
from tests.matrix import Row, check
from tests.world import TEAM_PERSONAS as PERSONAS
from tests.world import Finalised, add_result, publish
from tests.world import TeamWorld as World

S = EvaluationStatus
ALWAYS = {"admin", "lead", "member", "national_viewer"}


def readers(status: S) -> Callable[[str], int]:
    """Everybody once published; before that the assessors, the admin and the nation only."""

    def expected(persona: str) -> int:
        if status == S.PUBLISHED or persona in ALWAYS:
            return 200
        return 302 if persona == "anonymous" else 404

    return expected


@pytest.mark.parametrize("status", [S.FINALISED, S.PUBLISHED])
@pytest.mark.parametrize(("name", "method"), [("scorecard", "get"), ("simulate", "post")])
def test_it_shows_the_scorecard_to_the_right_people(
    finalised: Finalised, status: S, name: str, method: str
) -> None:
    if status == S.PUBLISHED:
        publish(finalised)
    row = Row(f"scorecards:{name}", lambda w: [w.evaluation.pk], readers(status), method)
    check(row, finalised.world, PERSONAS)


def test_it_refuses_to_read_the_scorecard_by_get_on_the_simulator(finalised: Finalised) -> None:
    url = reverse("scorecards:simulate", args=[finalised.world.evaluation.pk])

    assert finalised.world.client("lead").get(url).status_code == 405


def test_it_says_so_before_finalisation(world: World) -> None:
    world.at(S.FIELD_VISIT)

    response = world.client("lead").get(reverse("scorecards:scorecard", args=[world.evaluation.pk]))

    assert response.status_code == 200
    assert 'data-testid="no-result"' in response.content.decode()


def test_it_embeds_the_charts_and_loads_vega_from_our_own_static_files(
    finalised: Finalised,
) -> None:
    publish(finalised)
    url = reverse("scorecards:scorecard", args=[finalised.world.evaluation.pk])

    html = finalised.world.client("anonymous").get(url).content.decode()

    for chart in ["chart-dimensions", "chart-trend", "chart-claims"]:
        assert f'id="{chart}" type="application/json"' in html
    assert "/static/vendor/vega-embed/vega-embed.min.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html.replace("https://vega.github.io/schema/", "")


def test_the_simulator_projects_the_engines_score_for_the_changed_values(
    finalised: Finalised,
) -> None:
    world = finalised.world
    add_result(world.cycle, Region.objects.get(code="31.71"), finalised.index + Decimal("0.05"))
    card = scorecard(world.evaluation)
    assert card is not None
    chosen = {step.code: Decimal(5) for step in card.simulator_items[:3]}
    expected = score_region(
        to_scoring(world.cycle.framework_version), {**finalised.values, **chosen}
    )
    assert expected.index is not None
    assert expected.index > finalised.index
    data = {f"target-{code}": "5" for code in chosen}

    response = world.client("lead").post(
        reverse("scorecards:simulate", args=[world.evaluation.pk]), data, HTTP_HX_REQUEST="true"
    )

    projection = response.context["projection"]
    assert projection.index == expected.index
    assert projection.changed == chosen
    entries = cycle_entries(world.evaluation)
    assert projection.ranks == ranks_of(world.evaluation, expected.index, entries)
    assert 'data-testid="projected-index"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the partial only, for htmx


def test_the_simulator_without_javascript_renders_the_whole_page(finalised: Finalised) -> None:
    card = scorecard(finalised.world.evaluation)
    assert card is not None
    code = card.simulator_items[0].code

    response = finalised.world.client("lead").post(
        reverse("scorecards:simulate", args=[finalised.world.evaluation.pk]),
        {f"target-{code}": "5"},
    )

    assert response.status_code == 200
    assert response.context["projection"].changed == {code: Decimal(5)}
    assert 'data-testid="headline"' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"), [("target-{code}", "7"), ("target-{code}", "2.5"), ("target-NOPE", "3")]
)
def test_the_simulator_refuses_levels_and_items_it_cannot_score(
    finalised: Finalised, field: str, value: str
) -> None:
    card = scorecard(finalised.world.evaluation)
    assert card is not None
    data = {field.format(code=card.simulator_items[0].code): value}

    response = finalised.world.client("lead").post(
        reverse("scorecards:simulate", args=[finalised.world.evaluation.pk]),
        data,
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response.context["projection"] is None
    assert response.context["simulation_error"]
    assert 'class="msg msg-error"' in response.content.decode()


def test_the_simulator_refuses_a_level_that_is_not_a_number(finalised: Finalised) -> None:
    card = scorecard(finalised.world.evaluation)
    assert card is not None

    response = finalised.world.client("lead").post(
        reverse("scorecards:simulate", args=[finalised.world.evaluation.pk]),
        {f"target-{card.simulator_items[0].code}": "lima"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response.context["simulation_error"]


NOT_FINITE = ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "1e999999"]


@pytest.mark.parametrize("htmx", [True, False])
def test_the_simulator_answers_400_to_a_level_that_is_no_finite_number(
    finalised: Finalised, htmx: bool
) -> None:
    publish(finalised)  # readable by anyone: the anonymous visitor of the report
    card = scorecard(finalised.world.evaluation)
    assert card is not None
    code = card.simulator_items[0].code
    headers: dict[str, Any] = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    client = finalised.world.client("anonymous")
    for value in NOT_FINITE:
        response = client.post(
            reverse("scorecards:simulate", args=[finalised.world.evaluation.pk]),
            {f"target-{code}": value},
            **headers,
        )

        assert response.status_code == 400, value
        assert response.context["projection"] is None
        assert code in response.context["simulation_error"]
        assert 'class="msg msg-error"' in response.content.decode()


def _count(finalised: Finalised, regions: int, *, published: bool = False) -> int:
    world = finalised.world
    others = Region.objects.exclude(evaluations__cycle=world.cycle).order_by("code")
    have = world.cycle.evaluations.count()  # Kutai Kartanegara and Kota Semarang (no result)
    for i, region in enumerate(others[: regions - have]):
        add_result(world.cycle, region, Decimal("2.5") + Decimal(i) / 100, {"GOV": "2.50"})
    if published:
        # Rank intervals stored for every published result: read in one query, whatever the count.
        if world.evaluation.status != S.PUBLISHED:
            publish(finalised)
        refresh_rank_intervals(cycle=world.cycle, user=world.people["admin"])
    client = world.client("lead")
    url = reverse("scorecards:scorecard", args=[world.evaluation.pk])
    client.get(url)  # warm caches (session, framework) so both runs count the same work
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_for_3_regions_as_for_30(
    finalised: Finalised,
) -> None:
    few = _count(finalised, 3)
    many = _count(finalised, 30)

    assert few == many
    assert finalised.world.cycle.evaluations.count() == 30


def test_a_published_page_with_intervals_makes_as_many_queries_for_3_regions_as_for_30(
    finalised: Finalised,
) -> None:
    few = _count(finalised, 3, published=True)
    many = _count(finalised, 30, published=True)

    assert few == many
    assert RankInterval.objects.filter(analysis__cycle=finalised.world.cycle).count() >= 30
