"""Rank intervals beside the scorecard's ranks: published results only, matching their rank."""

from __future__ import annotations

from django.urls import reverse

from cityeval.evaluations.models import Evaluation
from cityeval.reports.services import publish_cycle, publish_evaluation
from cityeval.results.models import RankInterval, RankScope
from cityeval.scorecards.data import scorecard
from tests.world import Ranked


def _card(evaluation: Evaluation):  # type: ignore[no-untyped-def]
    card = scorecard(
        Evaluation.objects.select_related("region__province", "cycle").get(pk=evaluation.pk)
    )
    assert card is not None
    return card


def test_every_rank_of_a_published_scorecard_has_its_stored_interval(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    evaluation = ranked.evaluations["64.02"]  # in Kalimantan Timur and in the peer group
    card = _card(evaluation)
    stored = {(i.scope, i.group): i for i in RankInterval.objects.filter(evaluation=evaluation)}
    assert [r.scope for r in card.ranks] == ["national", "province", "peer"]
    for rank in card.ranks:
        row = stored[(rank.scope, rank.group)]
        assert rank.interval is not None
        assert (rank.rank, rank.of) == (row.nominal, row.of)
        assert (rank.interval.low, rank.interval.median, rank.interval.high) == (
            row.low,
            row.median,
            row.high,
        )
        assert rank.interval.percent == 90

    page = ranked.world.client("anonymous").get(
        reverse("scorecards:scorecard", args=[evaluation.pk])
    )
    html = page.content.decode()
    national = stored[(RankScope.NATIONAL, "")]
    assert f"({national.low}–{national.high})" in html
    assert 'data-testid="interval-note"' in html
    assert "2000 simulasi" in html or "2.000 simulasi" in html


def test_an_unpublished_scorecard_shows_ranks_without_intervals(ranked: Ranked) -> None:
    publish_evaluation(evaluation=ranked.evaluations["33.74"], user=ranked.admin)
    finalised = ranked.evaluations["64.02"]
    card = _card(finalised)
    assert all(rank.interval is None for rank in card.ranks)
    page = ranked.world.client("admin").get(reverse("scorecards:scorecard", args=[finalised.pk]))
    html = page.content.decode()
    assert 'data-testid="interval-national"' not in html
    assert 'data-testid="interval-note"' not in html


def test_an_interval_that_describes_another_ranking_is_not_shown(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    evaluation = ranked.evaluations["64.71"]
    # As if the analysis were stale: it counted a different number of results.
    RankInterval.objects.filter(evaluation=evaluation, scope=RankScope.NATIONAL).update(of=99)
    card = _card(evaluation)
    national = next(r for r in card.ranks if r.scope == "national")
    province = next(r for r in card.ranks if r.scope == "province")
    assert national.interval is None
    assert province.interval is not None
