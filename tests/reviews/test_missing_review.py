"""Bulk accept confirms with counts; the field-visit step and finalisation name unsettled items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cityeval.evaluations.models import EvaluationStatus, ItemValue, ReviewStatus
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.reviews.services import accept_item, flag_item
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def link(item: ItemValue) -> None:
    Evidence.objects.create(
        item=item,
        kind=EvidenceKind.LINK,
        url=f"https://data.example.id/{item.pk}",
        original_name="tautan",
        uploaded_at=timezone.now(),
    )


def empty_item(world: World) -> ItemValue:
    return next(item for item in world.items() if item.self_value is None)


def test_bulk_accept_first_confirms_with_counts_and_writes_nothing(in_review: World) -> None:
    filled = in_review.maturity_items()
    link(filled[0])
    flag_item(item=filled[3], user=in_review.people["lead"], question="SK?")
    empty = empty_item(in_review)
    chosen = [filled[0].pk, filled[1].pk, filled[2].pk, filled[3].pk, empty.pk]

    response = in_review.client("lead").post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]), {"items": chosen}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Terima 3 butir, 2 tanpa bukti dukung?" in text
    assert "2 butir akan dilewati" in text
    for skipped in (filled[3], empty):  # each skipped item is named and linked
        href = reverse("reviews:item", args=[in_review.evaluation.pk, skipped.pk])
        assert f'href="{href}" data-item="{skipped.indicator.code}"' in text
    assert "belum diisi daerah" in text
    assert "ditandai untuk klarifikasi" in text
    assert not ItemValue.objects.filter(pk__in=chosen, review_status=ReviewStatus.ACCEPTED).exists()


def test_a_confirmed_bulk_accept_says_which_items_it_skipped_and_why(in_review: World) -> None:
    filled = in_review.maturity_items()
    empty = empty_item(in_review)

    response = in_review.client("lead").post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]),
        {"items": [filled[0].pk, empty.pk], "confirmed": "1"},
        follow=True,
    )

    text = response.content.decode()
    assert "1 butir diterima" in text
    assert f"1 butir dilewati (belum diisi daerah): {empty.indicator.code}." in text
    assert in_review.fresh(filled[0]).review_status == ReviewStatus.ACCEPTED
    assert in_review.fresh(empty).review_status == ReviewStatus.PENDING


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("coordinator", 403), ("admin", 403), ("stranger_assessor", 404), ("other_coordinator", 404)],
)
def test_the_bulk_confirmation_is_for_the_team_only(
    in_review: World, persona: str, expected: int
) -> None:
    item = in_review.maturity_items()[0]
    response = in_review.client(persona).post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]), {"items": [item.pk]}
    )
    assert response.status_code == expected


def test_an_item_of_another_evaluation_is_refused_in_the_confirmation(in_review: World) -> None:
    foreign = in_review.items(in_review.other)[0]
    response = in_review.client("lead").post(
        reverse("reviews:bulk_accept", args=[in_review.evaluation.pk]),
        {"items": [foreign.pk]},
        follow=True,
    )
    assert ItemValue.objects.get(pk=foreign.pk).review_status == ReviewStatus.PENDING
    # Back to the workspace with the form's error, no confirmation page for a foreign item.
    assert response.redirect_chain[0][0] == reverse(
        "reviews:workspace", args=[in_review.evaluation.pk]
    )
    assert "plan" not in response.context


def test_the_field_visit_step_names_and_links_the_unreviewed_items(in_review: World) -> None:
    filled = in_review.maturity_items()
    for item in filled[:2]:
        accept_item(item=item, user=in_review.people["lead"], expected_version=item.version)
    url = reverse("reviews:field_visit", args=[in_review.evaluation.pk])

    response = in_review.client("lead").get(url)

    text = response.content.decode()
    unreviewed = len(in_review.items()) - 2
    assert response.context["unreviewed"] == unreviewed
    assert f"{unreviewed} butir belum diputuskan" in text
    pending = filled[2]
    href = reverse("reviews:item", args=[in_review.evaluation.pk, pending.pk])
    assert f'href="{href}"' in text
    accepted = reverse("reviews:item", args=[in_review.evaluation.pk, filled[0].pk])
    assert f'href="{accepted}"' not in text
    assert in_review.reload().status == EvaluationStatus.DOCUMENT_REVIEW  # GET moves nothing

    in_review.client("lead").post(url)
    assert in_review.reload().status == EvaluationStatus.FIELD_VISIT


def test_finalisation_links_each_blocking_item(in_review: World) -> None:
    items = in_review.items()
    for item in items[1:]:
        ItemValue.objects.filter(pk=item.pk).update(
            review_status=ReviewStatus.ADJUSTED, verified_value=Decimal(1)
        )
    in_review.client("lead").post(reverse("reviews:field_visit", args=[in_review.evaluation.pk]))
    assert in_review.reload().status == EvaluationStatus.FIELD_VISIT

    response = in_review.client("lead").get(
        reverse("reports:finalise", args=[in_review.evaluation.pk])
    )

    text = response.content.decode()
    assert "1 butir belum selesai direviu" in text
    href = reverse("reviews:item", args=[in_review.evaluation.pk, items[0].pk])
    assert f'href="{href}" data-item="{items[0].indicator.code}"' in text
    assert 'type="submit" data-testid="finalise"' not in text
