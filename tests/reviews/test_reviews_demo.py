"""The demonstration's review history: verdict rows and open clarification requests."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, ReviewStatus
from cityeval.operations.demo import reviews_demo
from cityeval.reviews.models import ClarificationItem, ClarificationRequest, Verdict, VerdictKind
from tests.world import TeamWorld as World


@pytest.fixture
def demo_state(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The evaluation as the demo builder leaves one in clarification (statuses set directly)."""
    monkeypatch.setattr(reviews_demo, "CURRENT_YEAR", world.cycle.year)
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=EvaluationStatus.CLARIFICATION)
    filled = world.maturity_items()
    ItemValue.objects.filter(pk__in=[i.pk for i in filled[:8]]).update(
        review_status=ReviewStatus.ACCEPTED, verified_value=Decimal(3)
    )
    ItemValue.objects.filter(pk=filled[8].pk).update(
        review_status=ReviewStatus.ADJUSTED, verified_value=Decimal(2), review_note="Kurang."
    )
    ItemValue.objects.filter(pk__in=[i.pk for i in filled[9:12]]).update(
        review_status=ReviewStatus.CLARIFICATION, verified_value=Decimal(3)
    )
    return world


def test_it_writes_the_history_of_every_reviewed_item(demo_state: World) -> None:
    created = reviews_demo.create_demo_reviews(rng=random.Random(1))

    filled = demo_state.maturity_items()
    assert Verdict.objects.filter(kind=VerdictKind.ACCEPT).count() == 8 + 3
    adjust = Verdict.objects.get(kind=VerdictKind.ADJUST)
    assert (adjust.item_id, adjust.value, adjust.reason) == (filled[8].pk, Decimal(2), "Kurang.")
    assert adjust.created_by in {demo_state.people["lead"], demo_state.people["member"]}
    request = ClarificationRequest.objects.get(evaluation=demo_state.evaluation)
    assert request.is_open
    assert request.requested_by == demo_state.people["lead"]
    assert {s.item_id for s in ClarificationItem.objects.filter(request=request)} == {
        i.pk for i in filled[9:12]
    }
    clarify = Verdict.objects.filter(kind=VerdictKind.CLARIFY)
    assert clarify.count() == 3
    first = Verdict.objects.filter(item=filled[9]).order_by("created_at").first()
    assert first is not None
    assert first.kind == VerdictKind.ACCEPT
    assert created == Verdict.objects.count() + 1 + 3


def test_it_is_deterministic(demo_state: World) -> None:
    def run() -> list[tuple[int, str, Decimal | None]]:
        reviews_demo.create_demo_reviews(rng=random.Random(5))
        rows = list(
            ClarificationItem.objects.order_by("item_id").values_list(
                "item_id", "question", "self_value"
            )
        )
        ClarificationRequest.objects.all().delete()
        Verdict.objects.all().delete()
        return rows

    assert run() == run()


def test_its_clarification_shows_on_the_pages(demo_state: World) -> None:
    reviews_demo.create_demo_reviews(rng=random.Random(1))
    response = demo_state.client("coordinator").get(
        reverse("reviews:clarification", args=[demo_state.evaluation.pk])
    )
    assert response.status_code == 200
    assert len(response.context["flagged"]) == 3
    assert response.context["may_answer"]
