"""The region reports the follow-up of last cycle's published recommendations."""

from __future__ import annotations

import pytest

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.reports.editing import delete_recommendation
from cityeval.reports.followups import (
    StaleFollowUpError,
    follow_up_rows,
    previous_published,
    save_follow_up,
)
from cityeval.reports.models import FollowUpStatus, Recommendation, RecommendationFollowUp
from cityeval.reports.services import reopen_evaluation
from tests.world import TeamWorld as World

S = EvaluationStatus


def _first(last_year: Evaluation) -> Recommendation:
    recommendation = Recommendation.objects.filter(evaluation=last_year).order_by("pk").first()
    assert recommendation is not None
    return recommendation


def test_the_next_evaluation_lists_last_cycles_published_recommendations(
    world: World, last_year: Evaluation
) -> None:
    assert previous_published(world.evaluation) == last_year
    rows = follow_up_rows(world.evaluation)
    assert [r.recommendation.dimension for r in rows] == ["GOV", "ENV"]
    assert all(r.follow_up is None and r.version == 0 for r in rows)
    assert follow_up_rows(world.other) == []  # Semarang has no earlier evaluation


def test_the_coordinator_reports_and_then_updates_a_follow_up(
    world: World, last_year: Evaluation
) -> None:
    recommendation = _first(last_year)
    coordinator = world.people["coordinator"]
    created = save_follow_up(
        evaluation=world.evaluation,
        recommendation=recommendation,
        user=coordinator,
        status=FollowUpStatus.IN_PROGRESS,
        note="Anggaran 2024 disetujui.",
        expected_version=0,
    )
    assert created.version == 1
    updated = save_follow_up(
        evaluation=world.evaluation,
        recommendation=recommendation,
        user=coordinator,
        status=FollowUpStatus.DONE,
        note="Layanan terintegrasi sejak Maret.",
        expected_version=1,
    )
    assert (updated.pk, updated.version, updated.status) == (created.pk, 2, FollowUpStatus.DONE)
    entries = list(AuditEntry.objects.filter(action="recommendation.follow_up").order_by("pk"))
    assert entries[0].before is None
    assert entries[1].before == {"status": "in_progress", "note": "Anggaran 2024 disetujui."}
    assert entries[1].after is not None
    assert entries[1].after["status"] == "done"


def test_a_stale_follow_up_is_refused_and_the_first_report_kept(
    world: World, last_year: Evaluation
) -> None:
    recommendation = _first(last_year)
    arguments = {"evaluation": world.evaluation, "recommendation": recommendation}
    save_follow_up(
        **arguments,  # type: ignore[arg-type]
        user=world.people["coordinator"],
        status=FollowUpStatus.DONE,
        note="Pertama.",
        expected_version=0,
    )
    with pytest.raises(StaleFollowUpError, match="sudah diubah"):
        save_follow_up(
            **arguments,  # type: ignore[arg-type]
            user=world.people["coordinator"],
            status=FollowUpStatus.NOT_STARTED,
            note="Kedua, dari tab lama.",
            expected_version=0,
        )
    follow_up = RecommendationFollowUp.objects.get()
    assert (follow_up.note, follow_up.version) == ("Pertama.", 1)


@pytest.mark.parametrize("persona", ["contributor", "viewer", "lead", "admin"])
def test_only_the_coordinator_reports_follow_ups(
    world: World, last_year: Evaluation, persona: str
) -> None:
    with pytest.raises(WorkflowError, match="koordinator"):
        save_follow_up(
            evaluation=world.evaluation,
            recommendation=_first(last_year),
            user=world.people[persona],
            status=FollowUpStatus.DONE,
            note="",
            expected_version=0,
        )
    assert not RecommendationFollowUp.objects.exists()


def test_follow_ups_lock_with_the_self_assessment(world: World, last_year: Evaluation) -> None:
    world.at(S.SUBMITTED)
    with pytest.raises(WorkflowError, match="Terkunci"):
        save_follow_up(
            evaluation=world.evaluation,
            recommendation=_first(last_year),
            user=world.people["coordinator"],
            status=FollowUpStatus.DONE,
            note="",
            expected_version=0,
        )


def test_a_recommendation_of_another_evaluation_is_refused(
    world: World, last_year: Evaluation
) -> None:
    world.verify(world.other)
    world.at(S.FIELD_VISIT, world.other)
    foreign = Recommendation.objects.create(evaluation=world.other, dimension="GOV", text="x")
    with pytest.raises(WorkflowError, match="bukan rekomendasi evaluasi sebelumnya"):
        save_follow_up(
            evaluation=world.evaluation,
            recommendation=foreign,
            user=world.people["coordinator"],
            status=FollowUpStatus.DONE,
            note="",
            expected_version=0,
        )


def test_recommendations_of_a_reopened_evaluation_are_not_followed_up(
    world: World, last_year: Evaluation
) -> None:
    reopen_evaluation(evaluation=last_year, user=world.people["admin"], reason="Koreksi.")
    assert previous_published(world.evaluation) is None
    assert follow_up_rows(world.evaluation) == []


def test_a_recommendation_with_a_follow_up_cannot_be_deleted(
    world: World, last_year: Evaluation
) -> None:
    recommendation = _first(last_year)
    save_follow_up(
        evaluation=world.evaluation,
        recommendation=recommendation,
        user=world.people["coordinator"],
        status=FollowUpStatus.DONE,
        note="",
        expected_version=0,
    )
    reopen_evaluation(evaluation=last_year, user=world.people["admin"], reason="Koreksi.")
    with pytest.raises(WorkflowError, match="tidak dapat dihapus"):
        delete_recommendation(
            recommendation=recommendation, user=world.people["lead"], expected_version=1
        )
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()
