"""The assessors' report: summary and findings, recommendations, and proposals from the rubric."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.frameworks.convert import to_scoring
from cityeval.reports.editing import (
    StaleRecommendationError,
    StaleReportError,
    add_recommendation,
    delete_recommendation,
    finding_texts,
    move_recommendation,
    propose_recommendations,
    save_report,
    update_recommendation,
)
from cityeval.reports.models import FindingKind, Priority, Recommendation
from cityeval.reports.services import finalise_evaluation, reopen_evaluation
from scoring.tree import plan_for
from tests.world import TeamWorld as World

S = EvaluationStatus
STRENGTH, WEAKNESS = FindingKind.STRENGTH, FindingKind.WEAKNESS


def _save(world: World, version: int = 0, persona: str = "member", **changes: object) -> None:
    arguments: dict[str, object] = {
        "summary": "Ringkasan.",
        "findings": {("GOV", STRENGTH): ["Mal pelayanan publik berjalan.", ""]},
    }
    arguments.update(changes)
    save_report(
        evaluation=world.evaluation,
        user=world.people[persona],
        expected_version=version,
        **arguments,  # type: ignore[arg-type]
    )


def test_an_assessor_on_the_team_saves_the_summary_and_findings(world: World) -> None:
    world.at(S.DOCUMENT_REVIEW)
    _save(
        world,
        findings={
            ("GOV", STRENGTH): ["  Mal pelayanan publik berjalan. ", "", "SPBE terpadu."],
            ("ENV", WEAKNESS): ["Bank sampah belum merata."],
        },
    )
    report = world.evaluation.assessor_report
    assert report.version == 1
    assert report.summary == "Ringkasan."
    assert finding_texts(report) == {
        "ENV:weakness": ["Bank sampah belum merata."],
        "GOV:strength": ["Mal pelayanan publik berjalan.", "SPBE terpadu."],
    }
    entry = AuditEntry.objects.get(action="report.save")
    assert entry.before == {"summary": "", "findings": {}}
    assert entry.actor == world.people["member"]


def test_a_stale_report_edit_is_refused_and_nothing_is_overwritten(world: World) -> None:
    world.at(S.DOCUMENT_REVIEW)
    _save(world, version=0, summary="Pertama.")
    with pytest.raises(StaleReportError, match="sudah diubah"):
        _save(world, version=0, persona="lead", summary="Kedua.")
    report = world.evaluation.assessor_report
    report.refresh_from_db()
    assert report.summary == "Pertama."
    assert report.version == 1


def test_an_unknown_dimension_is_refused(world: World) -> None:
    world.at(S.DOCUMENT_REVIEW)
    with pytest.raises(WorkflowError, match="XYZ"):
        _save(world, findings={("XYZ", STRENGTH): ["?"]})


@pytest.mark.parametrize("persona", ["coordinator", "admin", "stranger_assessor"])
def test_only_the_team_edits_the_report(world: World, persona: str) -> None:
    world.at(S.DOCUMENT_REVIEW)
    with pytest.raises(WorkflowError, match="tim"):
        _save(world, persona=persona)


@pytest.mark.parametrize("status", [S.SELF_ASSESSMENT, S.SUBMITTED, S.FINALISED, S.PUBLISHED])
def test_the_report_is_read_only_outside_the_review(world: World, status: EvaluationStatus) -> None:
    world.at(status)
    with pytest.raises(WorkflowError, match="hanya dapat diubah"):
        _save(world)


def test_finalising_locks_the_report_and_reopening_unlocks_it(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    _save(world)
    finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    with pytest.raises(WorkflowError, match="hanya dapat diubah"):
        _save(world, version=1, summary="Terlambat.")
    reopen_evaluation(evaluation=world.evaluation, user=world.people["admin"], reason="Koreksi.")
    _save(world, version=1, summary="Diperbaiki.")
    assert world.evaluation.assessor_report.summary == "Diperbaiki."


def _recommendation(world: World, text: str = "Perluas layanan daring.") -> Recommendation:
    return add_recommendation(
        evaluation=world.evaluation,
        user=world.people["member"],
        dimension="GOV",
        text=text,
        priority=Priority.HIGH,
    )


def test_recommendations_are_added_edited_reordered_and_deleted(world: World) -> None:
    world.at(S.FIELD_VISIT)
    first = _recommendation(world, "Satu.")
    second = _recommendation(world, "Dua.")
    assert (first.order, second.order) == (0, 1)

    item = ItemValue.objects.filter(evaluation=world.evaluation).first()
    update_recommendation(
        recommendation=first,
        user=world.people["lead"],
        text="Satu, diperjelas.",
        priority=Priority.LOW,
        item=item,
        expected_version=1,
    )
    first.refresh_from_db()
    assert (first.text, first.priority, first.item, first.version) == (
        "Satu, diperjelas.",
        Priority.LOW,
        item,
        2,
    )

    move_recommendation(recommendation=second, user=world.people["member"], up=True)
    ordered = list(Recommendation.objects.filter(evaluation=world.evaluation).order_by("order"))
    assert [r.pk for r in ordered] == [second.pk, first.pk]

    delete_recommendation(recommendation=second, user=world.people["member"], expected_version=1)
    assert list(Recommendation.objects.values_list("pk", flat=True)) == [first.pk]
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-5:] == [
        "recommendation.add",
        "recommendation.add",
        "recommendation.update",
        "recommendation.reorder",
        "recommendation.delete",
    ]


def test_a_stale_recommendation_edit_is_refused(world: World) -> None:
    world.at(S.FIELD_VISIT)
    recommendation = _recommendation(world)
    update_recommendation(
        recommendation=recommendation,
        user=world.people["lead"],
        text="Versi ketua.",
        priority=Priority.HIGH,
        item=None,
        expected_version=1,
    )
    with pytest.raises(StaleRecommendationError):
        update_recommendation(
            recommendation=recommendation,
            user=world.people["member"],
            text="Versi anggota.",
            priority=Priority.HIGH,
            item=None,
            expected_version=1,
        )
    with pytest.raises(StaleRecommendationError):
        delete_recommendation(
            recommendation=recommendation, user=world.people["member"], expected_version=1
        )
    recommendation.refresh_from_db()
    assert recommendation.text == "Versi ketua."


def test_a_recommendation_needs_text_and_an_item_of_the_same_evaluation(world: World) -> None:
    world.at(S.FIELD_VISIT)
    with pytest.raises(WorkflowError, match="Tuliskan"):
        _recommendation(world, text="  ")
    foreign = ItemValue.objects.filter(evaluation=world.other).first()
    with pytest.raises(WorkflowError, match="bukan bagian"):
        add_recommendation(
            evaluation=world.evaluation,
            user=world.people["member"],
            dimension="GOV",
            text="x",
            priority=Priority.LOW,
            item=foreign,
        )
    assert not Recommendation.objects.exists()


def _set_levels(world: World, level: int) -> None:
    for item in ItemValue.objects.filter(evaluation=world.evaluation).select_related("indicator"):
        value = Decimal(level) if item.indicator.kind == "maturity" else Decimal(50)
        ItemValue.objects.filter(pk=item.pk).update(verified_value=value, self_value=value)


def test_proposals_take_the_heaviest_items_of_each_dimension_first(world: World) -> None:
    _set_levels(world, 2)
    world.at(S.DOCUMENT_REVIEW)
    created = propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])

    plan = plan_for(to_scoring(world.cycle.framework_version))
    weight = plan.global_weights
    governance = [r for r in created if r.dimension == "GOV"]
    assert len(governance) == 3
    chosen = [r.item.indicator.code for r in governance if r.item]
    candidates = sorted(
        (i.code for i in plan.items if i.kind == "maturity" and "GOV" in i.tags),
        key=lambda code: -weight[code],
    )
    # Every item is at level 2 and the shipped framework aggregates arithmetically, so one step
    # is worth exactly the item's share of the index: the heaviest come first.
    assert [weight[c] for c in chosen] == [weight[c] for c in candidates[:3]]
    assert [r.priority for r in governance] == [Priority.HIGH, Priority.MEDIUM, Priority.LOW]
    assert all(r.proposed and not r.edited and r.target_level == 3 for r in created)
    assert {r.dimension for r in created} == {"GOV", "BRD", "ECO", "SOC", "LIV", "ENV"}


def test_a_proposal_is_the_next_levels_rubric_stored_in_indonesian(world: World) -> None:
    _set_levels(world, 4)
    world.at(S.DOCUMENT_REVIEW)
    with translation.override("en"):
        created = propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])
    proposal = created[0]
    assert proposal.item is not None
    node = proposal.item.indicator
    with translation.override("id"):
        assert node.rubric(5) in proposal.text
        assert "Capai tingkat 5" in proposal.text
    with translation.override("en"):
        assert node.rubric(5) in proposal.display_text  # shown from the rubric in English
        assert node.rubric(5) not in proposal.text


def test_an_edited_proposal_shows_the_assessors_words_in_every_language(world: World) -> None:
    _set_levels(world, 4)
    world.at(S.DOCUMENT_REVIEW)
    proposal = propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])[0]
    update_recommendation(
        recommendation=proposal,
        user=world.people["lead"],
        text="Teks asesor.",
        priority=Priority.HIGH,
        item=proposal.item,
        expected_version=1,
    )
    proposal.refresh_from_db()
    assert proposal.proposed
    assert proposal.edited
    with translation.override("en"):
        assert proposal.display_text == "Teks asesor."


def test_proposing_again_skips_items_already_recommended(world: World) -> None:
    _set_levels(world, 3)
    world.at(S.DOCUMENT_REVIEW)
    first = propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])
    second = propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])
    assert {r.item_id for r in first}.isdisjoint({r.item_id for r in second})
    assert AuditEntry.objects.filter(action="recommendation.propose").count() == 2


def test_items_at_the_top_level_are_never_proposed(world: World) -> None:
    _set_levels(world, 5)
    world.at(S.DOCUMENT_REVIEW)
    assert propose_recommendations(evaluation=world.evaluation, user=world.people["lead"]) == []
    assert not AuditEntry.objects.filter(action="recommendation.propose").exists()


def test_proposals_need_an_editable_report(world: World) -> None:
    world.at(S.SUBMITTED)
    with pytest.raises(WorkflowError, match="hanya dapat diubah"):
        propose_recommendations(evaluation=world.evaluation, user=world.people["lead"])
