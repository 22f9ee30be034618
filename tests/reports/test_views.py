"""The pages: who reads the report when, and the editor, finalise, publish, reopen and
follow-up forms as a person uses them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, ReviewStatus
from cityeval.reports.editing import add_recommendation, save_report
from cityeval.reports.models import FindingKind, Priority, Recommendation
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.results.models import ResultSnapshot
from tests.world import TeamWorld as World

S = EvaluationStatus
REGION_MEMBERS = ["coordinator", "contributor", "viewer"]


def _finalised_with_report(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    save_report(
        evaluation=world.evaluation,
        user=world.people["lead"],
        summary="Komitmen pimpinan kuat.",
        findings={("GOV", FindingKind.STRENGTH): ["Mal pelayanan publik berjalan."]},
        expected_version=0,
    )
    add_recommendation(
        evaluation=world.evaluation,
        user=world.people["lead"],
        dimension="ENV",
        text="Perluas bank sampah ke semua kecamatan.",
        priority=Priority.HIGH,
    )
    finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])


@pytest.mark.parametrize("persona", REGION_MEMBERS)
def test_region_members_read_the_report_and_result_only_once_published(
    world: World, persona: str
) -> None:
    _finalised_with_report(world)
    client = world.client(persona)
    pk = world.evaluation.pk
    assert client.get(reverse("reports:report", args=[pk])).status_code == 404
    assert client.get(reverse("reports:result", args=[pk])).status_code == 404

    publish_evaluation(evaluation=world.evaluation, user=world.people["admin"])

    page = client.get(reverse("reports:report", args=[pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Komitmen pimpinan kuat." in html
    assert "Mal pelayanan publik berjalan." in html
    assert "Perluas bank sampah ke semua kecamatan." in html
    assert "Ubah laporan" not in html
    result = client.get(reverse("reports:result", args=[pk]))
    assert result.status_code == 200
    index = ResultSnapshot.objects.get(evaluation=world.evaluation).index
    assert f"{index:.2f}".replace(".", ",") in result.content.decode()


def test_another_regions_coordinator_never_reads_the_report(world: World) -> None:
    _finalised_with_report(world)
    publish_evaluation(evaluation=world.evaluation, user=world.people["admin"])
    client = world.client("other_coordinator")
    assert client.get(reverse("reports:report", args=[world.evaluation.pk])).status_code == 404


def test_the_result_page_shows_the_five_evaluation_and_six_smart_dimensions(world: World) -> None:
    _finalised_with_report(world)
    response = world.client("lead").get(reverse("reports:result", args=[world.evaluation.pk]))
    html = response.content.decode()
    assert html.count('class="label"') == 5 + 6
    for name in ["Baseline", "Quick Win", "Smart Governance", "Smart Environment"]:
        assert name in html


def test_the_editor_keeps_a_stale_edit_and_shows_the_conflict(world: World) -> None:
    world.at(S.DOCUMENT_REVIEW)
    url = reverse("reports:edit", args=[world.evaluation.pk])
    first = world.client("member").post(url, {"summary": "Dari anggota.", "version": "0"})
    assert first.status_code == 302
    second = world.client("lead").post(url, {"summary": "Dari ketua, tab lama.", "version": "0"})
    assert second.status_code == 200
    html = second.content.decode()
    assert "sudah diubah" in html
    assert "Dari ketua, tab lama." in html  # what the lead typed is not lost
    assert 'name="version" value="1"' in html  # the next save is against what they saw
    world.evaluation.assessor_report.refresh_from_db()
    assert world.evaluation.assessor_report.summary == "Dari anggota."


def test_the_editor_saves_findings_typed_one_per_line(world: World) -> None:
    world.at(S.CLARIFICATION)
    response = world.client("lead").post(
        reverse("reports:edit", args=[world.evaluation.pk]),
        {"summary": "", "version": "0", "weakness__LIV": "Puskesmas belum terhubung.\nSIMRS."},
    )
    assert response.status_code == 302
    texts = list(world.evaluation.assessor_report.findings.values_list("text", flat=True))
    assert texts == ["Puskesmas belum terhubung.", "SIMRS."]


def test_the_editor_is_read_only_after_finalisation(world: World) -> None:
    _finalised_with_report(world)
    response = world.client("lead").get(reverse("reports:edit", args=[world.evaluation.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lock-reason"' in html
    assert 'data-testid="propose"' not in html


def test_proposing_from_the_editor_adds_proposals(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    response = world.client("member").post(reverse("reports:propose", args=[world.evaluation.pk]))
    assert response.status_code == 302
    assert Recommendation.objects.filter(evaluation=world.evaluation, proposed=True).exists()
    page = world.client("member").get(reverse("reports:edit", args=[world.evaluation.pk]))
    assert "usulan sistem" in page.content.decode()


def test_a_proposal_reads_in_english_for_an_english_reader(world: World) -> None:
    for item in ItemValue.objects.filter(evaluation=world.evaluation):
        ItemValue.objects.filter(pk=item.pk).update(verified_value=4, self_value=4)
    world.at(S.FIELD_VISIT)
    world.client("lead").post(reverse("reports:propose", args=[world.evaluation.pk]))
    proposal = Recommendation.objects.filter(evaluation=world.evaluation).first()
    assert proposal is not None
    assert proposal.item is not None
    english = proposal.item.indicator.levels["5"]["rubric"]["en"]
    client = world.client("lead")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reports:report", args=[world.evaluation.pk])).content.decode()
    assert english in html


def test_finalising_through_the_page(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    url = reverse("reports:finalise", args=[world.evaluation.pk])
    preview = world.client("lead").get(url)
    assert 'data-testid="preview-index"' in preview.content.decode()
    response = world.client("lead").post(url)
    assert response["Location"] == reverse("reports:result", args=[world.evaluation.pk])
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == S.FINALISED


def test_the_finalise_page_names_the_unsettled_items(world: World) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    item = ItemValue.objects.filter(evaluation=world.evaluation).select_related("indicator")[0]
    ItemValue.objects.filter(pk=item.pk).update(review_status=ReviewStatus.CLARIFICATION)
    client = world.client("lead")
    response = client.post(reverse("reports:finalise", args=[world.evaluation.pk]), follow=True)
    html = response.content.decode()
    assert item.indicator.code in html
    assert 'data-testid="finalise"' not in html
    assert not ResultSnapshot.objects.exists()


def test_publish_all_from_the_cycle_page(world: World) -> None:
    _finalised_with_report(world)
    url = reverse("reports:publish", args=[world.cycle.pk])
    page = world.client("admin").get(url)
    assert 'data-testid="publish-all"' in page.content.decode()
    response = world.client("admin").post(url, follow=True)
    assert "1 hasil evaluasi dipublikasikan" in response.content.decode()
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == S.PUBLISHED


def test_reopening_from_the_page_needs_a_reason(world: World) -> None:
    _finalised_with_report(world)
    url = reverse("reports:reopen", args=[world.evaluation.pk])
    refused = world.client("admin").post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == S.FINALISED
    done = world.client("admin").post(url, {"reason": "Nilai butir keliru."})
    assert done.status_code == 302
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == S.DOCUMENT_REVIEW


def test_the_follow_up_page_keeps_a_stale_entry(world: World, last_year: Evaluation) -> None:
    recommendation = Recommendation.objects.filter(evaluation=last_year).first()
    assert recommendation is not None
    url = reverse("reports:follow_up", args=[world.evaluation.pk])
    client = world.client("coordinator")
    data = {"recommendation": recommendation.pk, "status": "done", "note": "Tab A.", "version": 0}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "note": "Tab B.", "status": "in_progress"})
    assert stale.status_code == 200
    html = stale.content.decode()
    assert "sudah diubah" in html
    assert "Tab B." in html


def test_assessors_read_the_follow_ups_but_cannot_change_them(
    world: World, last_year: Evaluation
) -> None:
    html = (
        world.client("member")
        .get(reverse("reports:follow_up", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert 'data-testid="follow-ups"' in html
    assert "Integrasikan layanan." in html
    assert '<form method="post" class="stacked"' not in html


@pytest.mark.parametrize(
    ("persona", "status", "testid"),
    [
        ("lead", S.FIELD_VISIT, "finalise"),
        ("admin", S.FINALISED, "publish"),
        ("admin", S.PUBLISHED, "reopen"),
        ("coordinator", S.SELF_ASSESSMENT, "follow-up"),
        ("member", S.DOCUMENT_REVIEW, "assessor-report"),
    ],
)
def test_the_overview_offers_the_next_step(
    world: World, persona: str, status: EvaluationStatus, testid: str
) -> None:
    world.at(status)
    html = (
        world.client(persona)
        .get(reverse("evaluations:overview", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert f'data-testid="{testid}"' in html


def test_the_overview_hides_the_draft_report_from_the_region(world: World) -> None:
    world.at(S.FINALISED)
    html = (
        world.client("coordinator")
        .get(reverse("evaluations:overview", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert 'data-testid="assessor-report"' not in html
