"""Who may see the dashboards, and what each of them shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.dashboard.charts import bins
from cityeval.dashboard.data import Dashboard
from tests.world import BANDUNG, JAKPUS, KUKAR, SEMARANG, SURABAYA
from tests.world import Picture as World

NATIONAL = reverse("dashboard:national")
PUBLIC = reverse("dashboard:public")


def board(world: World, persona: str, url: str, **params: Any) -> Dashboard:
    response = world.client(persona).get(url, params)
    assert response.status_code == 200
    found = response.context["board"]
    assert isinstance(found, Dashboard)
    return found


def by_code(world: World, found: Dashboard) -> dict[str, Any]:
    """Region code -> row."""
    codes = {world.evaluation(code).pk: code for code in (KUKAR, SEMARANG, SURABAYA, JAKPUS)}
    return {codes[row.evaluation_id]: row for row in found.rows}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "persona", "expected"),
    [
        (NATIONAL, "admin", 200),
        (NATIONAL, "national_viewer", 200),
        (NATIONAL, "coordinator", 403),
        (NATIONAL, "assessor", 403),
        (NATIONAL, "viewer", 403),
        (NATIONAL, "anonymous", 302),
        (PUBLIC, "anonymous", 200),
        (PUBLIC, "coordinator", 200),
        (PUBLIC, "admin", 200),
    ],
)
def test_it_answers_each_persona(world: World, url: str, persona: str, expected: int) -> None:
    response = world.client(persona).get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_it_ranks_every_current_result_with_shared_ranks_for_equal_rounded_indices(
    world: World,
) -> None:
    rows = by_code(world, board(world, "admin", NATIONAL))
    assert [rows[c].rank for c in (JAKPUS, KUKAR, SEMARANG, SURABAYA)] == [1, 2, 2, 4]
    assert rows[KUKAR].index == Decimal("3.46") == rows[SEMARANG].index
    assert rows[JAKPUS].published is False


@pytest.mark.django_db
def test_it_marks_unpublished_results_for_the_admin(world: World) -> None:
    content = world.client("national_viewer").get(NATIONAL).content.decode()
    assert 'data-testid="unpublished"' in content
    assert "Jakarta Pusat" in content


@pytest.mark.django_db
def test_the_public_page_shows_no_unpublished_result(world: World) -> None:
    response = world.client("anonymous").get(PUBLIC)
    found = response.context["board"]
    rows = by_code(world, found)
    assert set(rows) == {KUKAR, SEMARANG, SURABAYA}
    assert [rows[c].rank for c in (KUKAR, SEMARANG, SURABAYA)] == [1, 1, 3]
    content = response.content.decode()
    assert "Jakarta Pusat" not in content
    assert "4.80" not in content
    assert "4,80" not in content
    assert 'data-testid="progress"' not in content
    assert found.progress == []
    assert found.overdue == []


@pytest.mark.django_db
def test_it_computes_the_improvement_over_the_previous_cycle(world: World) -> None:
    found = board(world, "admin", NATIONAL)
    rows = by_code(world, found)
    assert found.previous == world.previous
    assert rows[KUKAR].improvement == Decimal("0.46")
    assert rows[SURABAYA].improvement == Decimal("-0.40")
    assert rows[SEMARANG].improvement is None
    assert [r.evaluation_id for r in found.most_improved] == [
        world.evaluation(KUKAR).pk,
        world.evaluation(SURABAYA).pk,
    ]


@pytest.mark.django_db
def test_the_previous_cycle_has_no_previous_cycle(world: World) -> None:
    found = board(world, "admin", NATIONAL, cycle=world.previous.pk)
    assert found.cycle == world.previous
    assert found.previous is None
    assert all(row.improvement is None for row in found.rows)


@pytest.mark.django_db
def test_it_counts_every_status_and_the_overdue_self_assessments(world: World) -> None:
    found = board(world, "admin", NATIONAL)
    counts = {s.status: s.count for s in found.progress}
    assert len(counts) == 7
    assert counts == {
        "self_assessment": 2,
        "submitted": 1,
        "document_review": 0,
        "clarification": 0,
        "field_visit": 0,
        "finalised": 1,
        "published": 3,
    }
    assert [late.evaluation_id for late in found.overdue] == [world.evaluation(BANDUNG).pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "64"}, {KUKAR: 1}),
        ({"kind": "kabupaten"}, {KUKAR: 1}),
        ({"cohort": "2017"}, {KUKAR: 1, SURABAYA: 2}),
        ({"peer_group": "metro"}, {SEMARANG: 1, SURABAYA: 2}),
        ({"kind": "kota", "peer_group": "metro"}, {SEMARANG: 1, SURABAYA: 2}),
    ],
)
def test_filters_narrow_the_leaderboard_and_rank_within_it(
    world: World, params: dict[str, str], expected: dict[str, int]
) -> None:
    rows = by_code(world, board(world, "admin", NATIONAL, **params))
    assert {code: row.rank for code, row in rows.items()} == expected


@pytest.mark.django_db
def test_an_unknown_filter_value_is_reported_and_ignored(world: World) -> None:
    response = world.client("admin").get(NATIONAL, {"province": "99", "cycle": "nonsense"})
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.content.decode()
    assert response.context["board"].cycle == world.cycle
    assert len(response.context["board"].rows) == 4


@pytest.mark.django_db
def test_the_distribution_counts_regions_per_predicate_band(world: World) -> None:
    bands = {b.code: b.count for b in board(world, "admin", NATIONAL).distribution}
    assert bands == {"RINTISAN": 0, "BERKEMBANG": 0, "MAPAN": 3, "MAJU": 0, "UNGGUL": 1}
    public = {b.code: b.count for b in board(world, "anonymous", PUBLIC).distribution}
    assert public["UNGGUL"] == 0
    assert public["MAPAN"] == 3


@pytest.mark.django_db
def test_it_averages_the_published_figures_of_each_smart_dimension(world: World) -> None:
    means = {d.code: (d.mean, d.count) for d in board(world, "anonymous", PUBLIC).dimensions}
    # GOV: (3.50 + 3.00 + 2.50) / 3; ECO: (2.00 + 3.00) / 2 (2.004 is published as 2.00).
    assert means["GOV"] == (Decimal("3.00"), 3)
    assert means["ECO"] == (Decimal("2.50"), 2)
    assert means["ENV"] == (None, 0)


@pytest.mark.django_db
def test_quick_win_candidates_list_every_region_tied_at_the_best_verified_value(
    world: World,
) -> None:
    public = {q.code: q for q in board(world, "anonymous", PUBLIC).quick_wins}
    assert public["GOV"].value == Decimal("4")
    assert {w.evaluation_id for w in public["GOV"].winners} == {
        world.evaluation(KUKAR).pk,
        world.evaluation(SEMARANG).pk,
    }
    assert [w.evaluation_id for w in public["ECO"].winners] == [world.evaluation(KUKAR).pk]
    assert public["ENV"].value is None
    assert public["ENV"].winners == []
    national = {q.code: q for q in board(world, "admin", NATIONAL).quick_wins}
    assert [w.evaluation_id for w in national["GOV"].winners] == [world.evaluation(JAKPUS).pk]


@pytest.mark.django_db
def test_region_names_link_to_their_scorecards(world: World) -> None:
    content = world.client("anonymous").get(PUBLIC).content.decode()
    url = reverse("scorecards:scorecard", args=[world.evaluation(KUKAR).pk])
    assert f'href="{url}"' in content


@pytest.mark.django_db
def test_the_public_page_without_published_results_says_so(db: None) -> None:
    response = Client().get(PUBLIC)
    assert response.status_code == 200
    assert response.context["board"] is None
    assert 'data-testid="no-cycle"' in response.content.decode()


@pytest.mark.django_db
def test_the_distribution_chart_counts_published_indices_in_quarter_bins(world: World) -> None:
    response = world.client("anonymous").get(PUBLIC)
    bins = {str(b.start): b.count for b in response.context["board"].bins}
    # 3.10 falls in [3.00, 3.25); 3.46 twice in [3.25, 3.50).
    assert bins["3.00"] == 1
    assert bins["3.25"] == 2
    assert sum(bins.values()) == 3
    assert 'id="chart-distribution"' in response.content.decode()


@pytest.mark.django_db
def test_the_top_of_the_scale_falls_in_the_last_bin(world: World) -> None:
    found = bins(world.cycle, [Decimal("1.00"), Decimal("5.00"), Decimal("4.99"), None])
    assert len(found) == 16
    assert (found[0].start, found[0].count) == (Decimal("1.00"), 1)
    assert (found[-1].end, found[-1].count) == (Decimal("5.00"), 2)
