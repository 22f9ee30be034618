"""The scorecard's figures: ranks, improvement, self versus verified, how to improve."""

from __future__ import annotations

from decimal import Decimal

from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.convert import to_scoring
from cityeval.regions.models import PeerGroup, Region
from cityeval.reports.scores import score_evaluation
from cityeval.scorecards.data import scorecard
from cityeval.scorecards.ranking import cycle_entries, ranks_of
from scoring.engine import score_region
from scoring.improve import gains_per_step
from tests.world import Finalised, add_result

ONE = Decimal(1)


def _card(evaluation: Evaluation):  # type: ignore[no-untyped-def]
    card = scorecard(
        Evaluation.objects.select_related("region__province", "cycle").get(pk=evaluation.pk)
    )
    assert card is not None
    return card


def test_it_ranks_with_shared_ranks_and_a_skip_on_the_published_index(finalised: Finalised) -> None:
    cycle, index = finalised.world.cycle, finalised.index
    ahead = add_result(cycle, Region.objects.get(code="31.71"), index + ONE)
    # 0.004 more is stored but publishes as the same two-decimal figure: a tie.
    tied = add_result(cycle, Region.objects.get(code="64.71"), index + Decimal("0.004"))
    behind = add_result(cycle, Region.objects.get(code="33.74"), index - ONE)
    group = PeerGroup.objects.create(code="kabupaten-besar", name="Kabupaten besar")
    group.regions.add(finalised.world.kukar, ahead.region, behind.region)

    card = _card(finalised.world.evaluation)

    ranks = {rank.scope: (rank.rank, rank.of) for rank in card.ranks}
    assert ranks == {"national": (2, 4), "province": (1, 2), "peer": (2, 3)}
    # A published region ranks among published results only: the finalised Kutai Kartanegara
    # (not yet published) does not count for it.
    entries = cycle_entries(behind)
    assert ranks_of(behind, behind.snapshots.get().index, entries)[0].rank == 3
    assert ranks_of(ahead, ahead.snapshots.get().index, entries)[0].rank == 1
    assert ranks_of(tied, index, entries)[0].rank == 2


def test_it_shows_the_improvement_over_the_previous_published_cycle(
    finalised: Finalised, last_year: Evaluation
) -> None:
    card = _card(finalised.world.evaluation)

    before = last_year.snapshots.get(is_current=True).index
    assert card.previous is not None
    assert card.previous.label == "2023"
    assert card.improvement == (finalised.index - before).quantize(Decimal("0.01"))
    assert [p.current for p in card.trend] == [False, True]


def test_it_has_no_improvement_without_an_earlier_result(finalised: Finalised) -> None:
    card = _card(finalised.world.evaluation)

    assert card.previous is None
    assert card.improvement is None
    assert len(card.trend) == 1


def test_it_scores_the_self_assessment_like_the_verified_values(finalised: Finalised) -> None:
    framework = to_scoring(finalised.world.cycle.framework_version)
    own = dict(
        ItemValue.objects.filter(evaluation=finalised.world.evaluation).values_list(
            "indicator__code", "self_value"
        )
    )
    claimed = score_region(framework, own).tags

    card = _card(finalised.world.evaluation)

    assert sorted(c.code for c in card.claims) == ["BRD", "ECO", "ENV", "GOV", "LIV", "SOC"]
    for claim in card.claims:
        assert claim.claimed == claimed[claim.code]
        assert claim.verified == Decimal(finalised.snapshot.tag_indices[claim.code])
        # Every self value is 5, the top of the scale: the region over-claimed everywhere.
        assert claim.difference is not None
        assert claim.difference >= 0
    assert any(c.difference for c in card.claims)


def test_it_lists_the_items_with_the_largest_gain_per_step_with_the_next_rubric(
    finalised: Finalised,
) -> None:
    scored = score_evaluation(finalised.world.evaluation)
    expected = [g for g in gains_per_step(scored.framework, scored.values) if g.gain > 0][:5]

    card = _card(finalised.world.evaluation)

    assert [(s.code, s.next_level, s.gain) for s in card.steps] == [
        (g.code, g.next_level, g.gain) for g in expected
    ]
    assert all(step.rubric for step in card.steps)


def test_a_published_scorecard_ignores_results_not_yet_published(finalised: Finalised) -> None:
    cycle, index = finalised.world.cycle, finalised.index
    published = add_result(cycle, Region.objects.get(code="33.74"), index - ONE)
    entries = cycle_entries(published)
    # The unpublished region scores higher but must neither show nor move the public rank.
    national = ranks_of(published, index - ONE, entries)[0]
    assert (national.rank, national.of) == (1, 1)
