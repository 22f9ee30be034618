"""Rank intervals and the sensitivity summary on the dashboards (the ranked world)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cityeval.reports.services import publish_cycle, publish_evaluation
from cityeval.results.models import RankAnalysis, RankInterval, RankScope
from tests.world import Ranked

pytestmark = pytest.mark.django_db

CELL = re.compile(
    r'data-testid="row-(\d+)">\s*<td class="num" data-testid="rank">([^<]*)(.*?)</td>', re.S
)
INTERVAL = re.compile(r"\((\d+)–(\d+)\)")


def _shown(html: str) -> dict[int, tuple[int, int] | None]:
    """Evaluation id -> the interval printed beside its leaderboard rank (None: none)."""
    found: dict[int, tuple[int, int] | None] = {}
    for pk, _rank, rest in CELL.findall(html):
        match = INTERVAL.search(rest)
        found[int(pk)] = (int(match[1]), int(match[2])) if match else None
    return found


def _page(ranked: Ranked, persona: str, name: str, **params: str) -> str:
    response = ranked.world.client(persona).get(
        reverse(name), {"cycle": str(ranked.cycle.pk), **params}
    )
    assert response.status_code == 200
    return response.content.decode()


def _stored(ranked: Ranked, scope: RankScope, group: str = "") -> dict[int, tuple[int, int]]:
    rows = RankInterval.objects.filter(analysis__cycle=ranked.cycle, scope=scope, group=group)
    return {i.evaluation_id: (i.low, i.high) for i in rows}


@pytest.mark.parametrize(
    ("params", "scope", "group"),
    [
        ({}, RankScope.NATIONAL, ""),
        ({"province": "64"}, RankScope.PROVINCE, "64"),
        ({"peer_group": "uji"}, RankScope.PEER, "uji"),
    ],
)
def test_the_leaderboard_prints_the_stored_interval_of_its_scope(
    ranked: Ranked, params: dict[str, str], scope: RankScope, group: str
) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    for persona, name in [("anonymous", "dashboard:public"), ("admin", "dashboard:national")]:
        html = _page(ranked, persona, name, **params)
        assert _shown(html) == _stored(ranked, scope, group)
        assert 'data-testid="interval-note"' in html


def test_a_filter_without_a_stored_scope_shows_no_interval(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    html = _page(ranked, "anonymous", "dashboard:public", kind="kota")
    shown = _shown(html)
    assert shown
    assert set(shown.values()) == {None}
    assert 'data-testid="interval-none"' in html


def test_unpublished_rows_keep_intervals_off_the_ministrys_leaderboard(ranked: Ranked) -> None:
    publish_evaluation(evaluation=ranked.evaluations["64.02"], user=ranked.admin)
    publish_evaluation(evaluation=ranked.evaluations["33.74"], user=ranked.admin)
    publish_evaluation(evaluation=ranked.evaluations["64.72"], user=ranked.admin)
    # The ministry ranks all six current results; the analysis ranked the three published ones
    # (intervals need at least MINIMUM_COMPARED results to be shown).
    national = _shown(_page(ranked, "admin", "dashboard:national"))
    assert len(national) == 6
    assert set(national.values()) == {None}
    public = _shown(_page(ranked, "anonymous", "dashboard:public"))
    assert public == _stored(ranked, RankScope.NATIONAL)
    assert len(public) == 3
    assert None not in public.values()


def test_both_dashboards_summarise_what_moves_ranks_most(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    analysis = RankAnalysis.objects.get(cycle=ranked.cycle)
    top = analysis.sensitivity[0]["input"]
    for persona, name in [("anonymous", "dashboard:public"), ("admin", "dashboard:national")]:
        html = _page(ranked, persona, name)
        assert 'data-testid="sensitivity-top"' in html
        for entry in analysis.sensitivity:
            assert f'data-testid="influence-{entry["input"]}"' in html
        # The most influential choice is listed first.
        assert re.findall(r'data-testid="influence-([^"]+)"', html)[0] == top


def test_no_sensitivity_before_anything_is_published(ranked: Ranked) -> None:
    html = _page(ranked, "admin", "dashboard:national")
    assert 'data-testid="sensitivity"' not in html
