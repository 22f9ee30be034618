"""Rank intervals of published results: stored when publishing, recomputed on reopening."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import EvaluationStatus
from cityeval.frameworks.convert import to_scoring
from cityeval.reports.services import publish_cycle, publish_evaluation, reopen_evaluation
from cityeval.results.models import RankAnalysis, RankInterval, RankScope, ResultSnapshot
from cityeval.results.uncertainty import SETTINGS, refresh_rank_intervals
from scoring.rank import competition_ranks
from scoring.rounding import quantize
from scoring.uncertainty import rank_uncertainty
from tests.world import PEERS, Ranked

pytestmark = pytest.mark.django_db


def _intervals(ranked: Ranked) -> dict[tuple[str, str, str], tuple[int, ...]]:
    codes = {e.pk: code for code, e in ranked.evaluations.items()}
    return {
        (codes[i.evaluation_id], i.scope, i.group): (i.nominal, i.median, i.low, i.high, i.of)
        for i in RankInterval.objects.filter(analysis__cycle=ranked.cycle)
    }


def _official_ranks(ranked: Ranked, codes: list[str]) -> dict[str, int | None]:
    rounding = to_scoring(ranked.cycle.framework_version).rounding
    snapshots = ResultSnapshot.objects.for_cycle(ranked.cycle.pk).select_related(
        "evaluation__region"
    )
    indices = {
        s.evaluation.region.code: quantize(s.index, rounding)
        for s in snapshots
        if s.evaluation.region.code in codes
    }
    return dict(competition_ranks(indices))


def test_publishing_a_cycle_stores_every_scope_from_one_seeded_run(ranked: Ranked) -> None:
    assert publish_cycle(cycle=ranked.cycle, user=ranked.admin) == 6
    analysis = RankAnalysis.objects.get(cycle=ranked.cycle)
    assert (analysis.draws, analysis.seed, analysis.regions) == (SETTINGS.draws, SETTINGS.seed, 6)
    assert analysis.sensitivity, "the sensitivity summary is stored"
    assert analysis.sensitivity[0]["mean_shift"] == max(
        s["mean_shift"] for s in analysis.sensitivity
    )
    stored = _intervals(ranked)
    # National: six rows; provinces: three in each; the peer group: three.
    assert sorted(k for k in stored if k[1] == RankScope.NATIONAL) == sorted(
        (code, "national", "") for code in ranked.evaluations
    )
    assert {k[2] for k in stored if k[1] == RankScope.PROVINCE} == {"64", "33"}
    assert sorted(k[0] for k in stored if k[1] == RankScope.PEER) == sorted(PEERS)
    for (_code, scope, _group), (nominal, median, low, high, of) in stored.items():
        assert of == (6 if scope == RankScope.NATIONAL else 3)
        assert 1 <= low <= median <= high <= of
        assert 1 <= nominal <= of

    # The nominal ranks are the official ones: competition ranks of the published index.
    official = _official_ranks(ranked, list(ranked.evaluations))
    for code in ranked.evaluations:
        assert stored[(code, "national", "")][0] == official[code]
    in_kaltim = _official_ranks(ranked, ["64.02", "64.71", "64.72"])
    for code, rank in in_kaltim.items():
        assert stored[(code, "province", "64")][0] == rank


def test_the_stored_national_figures_are_the_engines_with_the_recorded_seed(
    ranked: Ranked,
) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    framework = to_scoring(ranked.cycle.framework_version)
    snapshots = ResultSnapshot.objects.for_cycle(ranked.cycle.pk).order_by(
        "evaluation__region__code"
    )
    values = {
        str(s.evaluation_id): {
            c: None if v is None else Decimal(str(v)) for c, v in s.inputs.items()
        }
        for s in snapshots
    }
    expected = rank_uncertainty(framework, values, settings=SETTINGS)
    national = {
        str(i.evaluation_id): (i.nominal, i.median, i.low, i.high)
        for i in RankInterval.objects.filter(scope=RankScope.NATIONAL)
    }
    for r, key in enumerate(expected.regions):
        assert national[key] == (
            int(expected.nominal[r]),
            int(expected.median[r]),
            int(expected.low[r]),
            int(expected.high[r]),
        )


def test_recomputing_the_same_published_set_gives_the_same_intervals(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    first = _intervals(ranked)
    sensitivity = RankAnalysis.objects.get(cycle=ranked.cycle).sensitivity
    refresh_rank_intervals(cycle=ranked.cycle, user=ranked.admin)
    assert _intervals(ranked) == first
    assert RankAnalysis.objects.get(cycle=ranked.cycle).sensitivity == sensitivity
    assert RankAnalysis.objects.filter(cycle=ranked.cycle).count() == 1


def test_only_published_results_get_intervals(ranked: Ranked) -> None:
    publish_evaluation(evaluation=ranked.evaluations["64.02"], user=ranked.admin)
    publish_evaluation(evaluation=ranked.evaluations["33.74"], user=ranked.admin)
    stored = _intervals(ranked)
    assert {k[0] for k in stored} == {"64.02", "33.74"}
    assert stored[("64.02", "national", "")][4] == 2
    # Alone in its province among the published: always first there.
    assert stored[("64.02", "province", "64")] == (1, 1, 1, 1, 1)
    assert RankAnalysis.objects.get(cycle=ranked.cycle).regions == 2


def test_reopening_a_published_result_recomputes_without_it(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    reopen_evaluation(evaluation=ranked.evaluations["64.71"], user=ranked.admin, reason="Salah")
    stored = _intervals(ranked)
    assert "64.71" not in {k[0] for k in stored}
    assert all(v[4] == 5 for k, v in stored.items() if k[1] == RankScope.NATIONAL)
    assert RankAnalysis.objects.get(cycle=ranked.cycle).regions == 5
    assert AuditEntry.objects.filter(action="results.rank_intervals.computed").count() == 2


def test_reopening_the_last_published_result_clears_the_analysis(ranked: Ranked) -> None:
    publish_evaluation(evaluation=ranked.evaluations["64.02"], user=ranked.admin)
    reopen_evaluation(evaluation=ranked.evaluations["64.02"], user=ranked.admin, reason="Ulang")
    assert not RankAnalysis.objects.filter(cycle=ranked.cycle).exists()
    assert not RankInterval.objects.exists()
    assert AuditEntry.objects.filter(action="results.rank_intervals.cleared").exists()


def test_reopening_a_finalised_result_leaves_the_published_intervals_alone(
    ranked: Ranked,
) -> None:
    publish_evaluation(evaluation=ranked.evaluations["64.02"], user=ranked.admin)
    publish_evaluation(evaluation=ranked.evaluations["33.74"], user=ranked.admin)
    before = RankAnalysis.objects.get(cycle=ranked.cycle)
    reopen_evaluation(evaluation=ranked.evaluations["64.71"], user=ranked.admin, reason="Cek")
    assert RankAnalysis.objects.get(cycle=ranked.cycle).pk == before.pk


def test_the_command_recomputes_a_cycle_and_prints_the_sensitivity(ranked: Ranked) -> None:
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    first = _intervals(ranked)
    RankInterval.objects.all().delete()
    out = StringIO()
    call_command("uncertainty", "--cycle", "2025", stdout=out)
    text = out.getvalue()
    assert _intervals(ranked) == first
    assert "6 published results" in text
    assert f"seed {SETTINGS.seed}" in text
    top = RankAnalysis.objects.get(cycle=ranked.cycle).sensitivity[0]
    assert top["input"] in text


def test_the_command_names_an_unknown_cycle(ranked: Ranked) -> None:
    with pytest.raises(CommandError, match="1999"):
        call_command("uncertainty", "--cycle", "1999", stdout=StringIO())


def test_a_region_in_front_in_every_item_is_first_in_every_draw(ranked: Ranked) -> None:
    from cityeval.evaluations.models import ItemValue

    top = ranked.evaluations["33.72"]
    reopen_evaluation(evaluation=top, user=ranked.admin, reason="Nilai baru")
    items = ItemValue.objects.filter(evaluation=top)
    items.filter(indicator__kind="maturity").update(verified_value=5)
    items.exclude(indicator__kind="maturity").update(verified_value=100)
    ranked.world.at(EvaluationStatus.FIELD_VISIT, top)
    from cityeval.reports.services import finalise_evaluation

    finalise_evaluation(evaluation=top, user=ranked.world.people["lead"])
    publish_cycle(cycle=ranked.cycle, user=ranked.admin)
    stored = _intervals(ranked)
    assert stored[("33.72", "national", "")][:4] == (1, 1, 1, 1)
    assert np.all([v[2] >= 2 for k, v in stored.items() if k[1] == "national" and k[0] != "33.72"])
