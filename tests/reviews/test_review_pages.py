"""The review pages: queue, workspace, item verdicts, clarification, changes, overview links."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus, ReviewStatus
from cityeval.evaluations.services import save_self_assessment
from cityeval.reviews.models import ClarificationRequest
from cityeval.reviews.services import (
    adjust_item,
    answer_clarification,
    flag_item,
    request_clarification,
)
from tests.world import TeamWorld as World


def item_url(world: World, index: int = 0) -> str:
    return reverse("reviews:item", args=[world.evaluation.pk, world.maturity_items()[index].pk])


def test_the_queue_counts_items_per_review_status(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    adjust_item(
        item=item,
        user=in_review.people["lead"],
        verified_value=Decimal(1),
        reason="Belum ada bukti.",
        expected_version=item.version,
    )

    response = in_review.client("member").get(reverse("reviews:queue"))

    rows = response.context["cycles"][0][1]
    assert [row.evaluation for row in rows] == [in_review.evaluation]  # not Semarang's
    assert rows[0].counts["adjusted"] == 1
    assert rows[0].counts["pending"] == len(in_review.items()) - 1
    assert not rows[0].is_lead
    assert "Kabupaten Kutai Kartanegara" in response.content.decode()


def test_the_workspace_filters_by_review_status_and_flag(in_review: World) -> None:
    filled = in_review.maturity_items()
    flag_item(item=filled[0], user=in_review.people["lead"], question="SK?")
    adjust_item(
        item=filled[1],
        user=in_review.people["lead"],
        verified_value=Decimal(2),
        reason="Kurang.",
        expected_version=filled[1].version,
    )
    client = in_review.client("lead")
    url = reverse("reviews:workspace", args=[in_review.evaluation.pk])

    adjusted = client.get(url, {"status": "adjusted"}).context["rows"]
    flagged = client.get(url, {"status": "flagged"}).context["rows"]
    everything = client.get(url, {"status": "nonsense"}).context["rows"]

    assert [row.item.pk for row in adjusted] == [filled[1].pk]
    assert [row.item.pk for row in flagged] == [filled[0].pk]
    assert len(everything) == len(in_review.items())
    page = client.get(url).content.decode()
    # A flagged item is marked but never pre-ticked: a bulk accept must not sweep it up.
    assert f'value="{filled[0].pk}" aria-label="{filled[0].indicator.code}" data-flagged>' in page
    assert " checked" not in page.split('data-testid="review-items"')[1]


def test_the_workspace_filters_by_smart_dimension(in_review: World) -> None:
    url = reverse("reviews:workspace", args=[in_review.evaluation.pk])
    dimension = next(iter(in_review.client("lead").get(url).context["dimensions"]))

    rows = in_review.client("lead").get(url, {"dimension": dimension}).context["rows"]

    assert rows
    assert all(dimension in row.item.indicator.tags for row in rows)
    assert len(rows) < len(in_review.items())


def test_the_workspace_filters_items_changed_since_review(in_review: World) -> None:
    filled = in_review.maturity_items()
    request_clarification(
        evaluation=in_review.evaluation,
        items=filled[:2],
        message="?",
        user=in_review.people["lead"],
    )
    save_self_assessment(
        item=filled[0],
        user=in_review.people["coordinator"],
        value=Decimal(1),
        narrative="Dikoreksi.",
        expected_version=in_review.fresh(filled[0]).version,
    )
    answer_clarification(
        evaluation=in_review.evaluation, user=in_review.people["coordinator"], answer="Ya."
    )
    url = reverse("reviews:workspace", args=[in_review.evaluation.pk])

    response = in_review.client("lead").get(url, {"changed": "1"})

    assert [row.item.pk for row in response.context["rows"]] == [filled[0].pk]
    assert response.context["changed_count"] == 1


def test_accepting_on_the_item_page_moves_on_to_the_next_undecided_item(in_review: World) -> None:
    filled = in_review.maturity_items()
    response = in_review.client("lead").post(
        item_url(in_review), {"action": "accept", "version": filled[0].version}
    )

    assert in_review.fresh(filled[0]).review_status == ReviewStatus.ACCEPTED
    items = in_review.items()
    after = items[items.index(filled[0]) + 1]
    assert response["Location"] == reverse("reviews:item", args=[in_review.evaluation.pk, after.pk])


def test_an_adjustment_without_reason_shows_the_error_and_keeps_the_item(
    in_review: World,
) -> None:
    item = in_review.maturity_items()[0]
    response = in_review.client("lead").post(
        item_url(in_review), {"action": "adjust", "value": "2", "version": item.version}
    )

    assert response.status_code == 200
    assert response.context["forms"]["adjust"].errors["reason"]
    assert in_review.fresh(item).review_status == ReviewStatus.PENDING


def test_a_value_off_the_scale_is_refused_on_the_item_page(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    response = in_review.client("lead").post(
        item_url(in_review),
        {"action": "adjust", "value": "9", "reason": "Terlalu tinggi.", "version": item.version},
    )

    assert response.status_code == 200
    assert response.context["forms"]["adjust"].errors["value"]
    assert in_review.fresh(item).verified_value is None


def test_a_stale_verdict_on_the_item_page_shows_the_conflict(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    opened = item.version
    adjust_item(
        item=item,
        user=in_review.people["member"],
        verified_value=Decimal(2),
        reason="Kurang bukti.",
        expected_version=opened,
    )

    response = in_review.client("lead").post(
        item_url(in_review), {"action": "accept", "version": opened}
    )

    assert response.status_code == 200
    assert "sudah diubah" in response.content.decode()
    fresh = in_review.fresh(item)
    assert (fresh.review_status, fresh.verified_value) == (ReviewStatus.ADJUSTED, Decimal(2))
    # The form now carries the version the assessor has seen, so a second try goes through.
    assert response.context["forms"]["accept"]["version"].value() == str(fresh.version)


def test_an_unknown_decision_is_a_bad_request(in_review: World) -> None:
    response = in_review.client("lead").post(item_url(in_review), {"action": "delete"})
    assert response.status_code == 400


def test_the_item_page_shows_the_rubric_with_the_claimed_level(in_review: World) -> None:
    response = in_review.client("lead").get(item_url(in_review))

    levels = response.context["levels"]
    assert [level["level"] for level in levels if level["claimed"]] == [3]
    assert 'aria-current="true"' in response.content.decode()


def test_bulk_accept_reports_what_it_skipped(in_review: World) -> None:
    filled = in_review.maturity_items()
    flag_item(item=filled[0], user=in_review.people["lead"], question="SK?")
    response = in_review.client("lead").post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]),
        {"items": [filled[0].pk, filled[1].pk], "confirmed": "1"},
        follow=True,
    )

    text = response.content.decode()
    assert "1 butir diterima" in text
    assert f"1 butir dilewati (ditandai untuk klarifikasi): {filled[0].indicator.code}." in text
    assert in_review.fresh(filled[1]).review_status == ReviewStatus.ACCEPTED


def test_bulk_accept_does_not_follow_a_foreign_next_url(in_review: World) -> None:
    response = in_review.client("lead").post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]),
        {
            "items": [in_review.maturity_items()[0].pk],
            "next": "https://evil.example/",
            "confirmed": "1",
        },
    )
    assert response["Location"] == reverse("reviews:workspace", args=[in_review.evaluation.pk])


def test_a_clarification_request_without_message_is_refused(in_review: World) -> None:
    response = in_review.client("lead").post(
        reverse("reviews:request_clarification", args=[in_review.evaluation.pk]),
        {"items": [in_review.maturity_items()[0].pk], "message": ""},
        follow=True,
    )

    assert "Tuliskan pesan klarifikasi" in response.content.decode()
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW


def test_the_coordinator_answers_on_the_clarification_page(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    request_clarification(
        evaluation=in_review.evaluation,
        items=[item],
        message="Mohon lampirkan SK.",
        user=in_review.people["lead"],
    )
    client = in_review.client("coordinator")
    url = reverse("reviews:clarification", args=[in_review.evaluation.pk])

    page = client.get(url)
    assert page.context["may_answer"]
    assert "Mohon lampirkan SK." in page.content.decode()
    assert reverse("evaluations:item", args=[in_review.evaluation.pk, item.pk]) in (
        page.content.decode()
    )
    empty = client.post(url, {"answer": ""})
    assert empty.status_code == 200
    assert empty.context["form"].errors["answer"]

    response = client.post(url, {"answer": "SK sudah dilampirkan."})

    assert response["Location"] == reverse("evaluations:overview", args=[in_review.evaluation.pk])
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW
    assert ClarificationRequest.objects.get().answer == "SK sudah dilampirkan."


def test_a_contributor_sees_only_their_opds_flagged_items(in_review: World) -> None:
    health = next(i for i in in_review.maturity_items() if i.opd_id == in_review.health.pk)
    roads = next(i for i in in_review.maturity_items() if i.opd_id == in_review.roads.pk)
    request_clarification(
        evaluation=in_review.evaluation,
        items=[health, roads],
        message="?",
        user=in_review.people["lead"],
    )

    response = in_review.client("contributor").get(
        reverse("reviews:clarification", args=[in_review.evaluation.pk])
    )

    assert [row["item"].pk for row in response.context["flagged"]] == [health.pk]
    assert not response.context["may_answer"]


def test_the_changes_page_shows_before_and_now(in_review: World) -> None:
    item = in_review.maturity_items()[0]
    request_clarification(
        evaluation=in_review.evaluation, items=[item], message="?", user=in_review.people["lead"]
    )
    save_self_assessment(
        item=item,
        user=in_review.people["coordinator"],
        value=Decimal(4),
        narrative="Program berjalan di semua kecamatan.",
        expected_version=in_review.fresh(item).version,
    )
    answer_clarification(
        evaluation=in_review.evaluation, user=in_review.people["coordinator"], answer="Ya."
    )

    response = in_review.client("lead").get(
        reverse("reviews:changes", args=[in_review.evaluation.pk])
    )

    text = response.content.decode()
    assert response.context["changed_count"] == 1
    assert "<del>tiga </del>" in text
    assert "<ins>semua </ins>" in text
    assert 'data-label="Saat diminta klarifikasi">3</td>' in text


def test_the_overview_offers_the_step_each_person_may_take(world: World) -> None:
    url = reverse("evaluations:overview", args=[world.evaluation.pk])
    assert 'data-testid="start-review"' in world.client("lead").get(url).content.decode()
    assert 'data-testid="start-review"' not in world.client("coordinator").get(url).content.decode()

    world.client("lead").post(reverse("reviews:start", args=[world.evaluation.pk]))
    page = world.client("lead").get(url).content.decode()
    assert 'data-testid="review-items"' in page
    assert 'data-testid="start-field-visit"' in page

    request_clarification(
        evaluation=world.reload(),
        items=world.maturity_items()[:1],
        message="?",
        user=world.people["lead"],
    )
    assert (
        'data-testid="answer-clarification"'
        in world.client("coordinator").get(url).content.decode()
    )
    assert (
        'data-testid="answer-clarification"' not in world.client("viewer").get(url).content.decode()
    )


def test_the_item_page_of_the_region_shows_the_review_thread_without_draft_flags(
    in_review: World,
) -> None:
    filled = in_review.maturity_items()
    flag_item(item=filled[0], user=in_review.people["lead"], question="Catatan pribadi asesor")
    url = reverse("evaluations:item", args=[in_review.evaluation.pk, filled[0].pk])

    assert "Catatan pribadi asesor" not in in_review.client("coordinator").get(url).content.decode()
    assert "Catatan pribadi asesor" in in_review.client("lead").get(url).content.decode()

    request_clarification(
        evaluation=in_review.evaluation,
        items=filled[:1],
        message="Mohon lampirkan SK.",
        user=in_review.people["lead"],
    )
    page = in_review.client("coordinator").get(url).content.decode()
    assert 'data-testid="review-panel"' in page
    assert "Catatan pribadi asesor" in page  # now sent: it is the item's question
    assert "Diminta klarifikasi" in page
