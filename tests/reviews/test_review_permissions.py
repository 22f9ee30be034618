"""Who may open and post to each review URL: 404 across tenants, 403 for the wrong role."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from tests.matrix import Row, check, no_args
from tests.reviews.conftest import PERSONAS
from tests.world import TeamWorld as World

TEAM = {"lead", "member"}
REGION = {"coordinator", "contributor", "roads_contributor", "viewer"}


def expected_for_review(persona: str) -> int:
    """Pages for the region's assessor team only (Can.REVIEW)."""
    if persona == "anonymous":
        return 302
    if persona in TEAM:
        return 200
    if persona in {"stranger_assessor", "other_coordinator"}:
        return 404  # another tenant's evaluation does not exist for them
    return 403  # admin and the region's own people see the evaluation but do not review it


def expected_for_view(persona: str) -> int:
    """Pages for everybody who may read the evaluation (Can.VIEW)."""
    if persona == "anonymous":
        return 302
    if persona in {"stranger_assessor", "other_coordinator"}:
        return 404
    return 200


def expected_for_queue(persona: str) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in TEAM | {"stranger_assessor"} else 403


def evaluation(world: World) -> Sequence[object]:
    return [world.evaluation.pk]


def first_item(world: World) -> Sequence[object]:
    return [world.evaluation.pk, world.maturity_items()[0].pk]


PAGES = [
    Row("reviews:queue", no_args, expected_for_queue),
    Row("reviews:workspace", evaluation, expected_for_review),
    Row("reviews:item", first_item, expected_for_review),
    Row("reviews:changes", evaluation, expected_for_view),
    Row("reviews:field_visit", evaluation, expected_for_review),
    Row("reviews:clarification", evaluation, expected_for_view),
]


@pytest.mark.parametrize("row", PAGES, ids=str)
def test_who_may_open_each_review_page(in_review: World, row: Row) -> None:
    check(row, in_review, PERSONAS)


def expected_post(allowed: set[str]) -> Callable[[str], int]:
    def status(persona: str) -> int:
        if persona == "anonymous":
            return 302
        if persona in {"stranger_assessor", "other_coordinator"}:
            return 404
        return 302 if persona in allowed else 403

    return status


def acted_only_if(allowed: set[str], status: str) -> Callable[[World, str], None]:
    """The evaluation moved on or its first item was decided exactly when the persona may act."""

    def effect(world: World, persona: str) -> None:
        changed = world.reload().status != status
        item_decided = world.fresh(world.maturity_items()[0]).review_status != "pending"
        if persona not in allowed:
            assert not changed, persona
            assert not item_decided, persona
        else:
            assert changed or item_decided, persona

    return effect


def post(
    name: str, status: str, allowed: set[str], data: Any = None, url: Any = evaluation
) -> tuple[Row, str]:
    """A review action (a POST) that needs the evaluation in `status`."""
    row = Row(
        f"reviews:{name}",
        url,
        expected_post(allowed),
        "post",
        data or {},
        effect=acted_only_if(allowed, status),
    )
    return row, status


POSTS = [
    post("start", "submitted", TEAM),
    post(
        "bulk_accept",
        "document_review",
        TEAM,
        lambda w: {"items": [w.maturity_items()[0].pk], "confirmed": "1"},
    ),
    post(
        "request_clarification",
        "document_review",
        TEAM,
        lambda w: {"items": [w.maturity_items()[0].pk], "message": "Mohon jelaskan."},
    ),
    post("field_visit", "document_review", TEAM),
    post(
        "item",
        "document_review",
        TEAM,
        lambda w: {"action": "accept", "version": w.maturity_items()[0].version},
        first_item,
    ),
    post("clarification", "clarification", {"coordinator"}, {"answer": "Sudah diperbaiki."}),
]


@pytest.mark.parametrize(("row", "status"), POSTS, ids=[str(row) for row, _ in POSTS])
def test_who_may_post_each_review_action(world: World, row: Row, status: str) -> None:
    world.evaluation.__class__.objects.filter(pk=world.evaluation.pk).update(status=status)
    if status == "clarification":
        # A real request, so that the coordinator's answer has something to answer.
        world.evaluation.__class__.objects.filter(pk=world.evaluation.pk).update(
            status=EvaluationStatus.DOCUMENT_REVIEW
        )
        world.client("lead").post(
            reverse("reviews:request_clarification", args=[world.evaluation.pk]),
            {"items": [world.maturity_items()[1].pk], "message": "Mohon jelaskan."},
        )
        assert world.reload().status == status
    check(row, world, PERSONAS)
