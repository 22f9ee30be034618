"""Who may open and post to each review URL: 404 across tenants, 403 for the wrong role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from tests.reviews.conftest import PERSONAS, World

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


UrlOf = Callable[[World], str]

PAGES: dict[str, tuple[UrlOf, Callable[[str], int]]] = {
    "queue": (lambda w: reverse("reviews:queue"), expected_for_queue),
    "workspace": (
        lambda w: reverse("reviews:workspace", args=[w.evaluation.pk]),
        expected_for_review,
    ),
    "item": (
        lambda w: reverse("reviews:item", args=[w.evaluation.pk, w.maturity_items()[0].pk]),
        expected_for_review,
    ),
    "changes": (lambda w: reverse("reviews:changes", args=[w.evaluation.pk]), expected_for_view),
    "field_visit": (
        lambda w: reverse("reviews:field_visit", args=[w.evaluation.pk]),
        expected_for_review,
    ),
    "clarification": (
        lambda w: reverse("reviews:clarification", args=[w.evaluation.pk]),
        expected_for_view,
    ),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_review_page(in_review: World, page: str, persona: str) -> None:
    url_of, expected_of = PAGES[page]
    response = in_review.client(persona).get(url_of(in_review))
    assert response.status_code == expected_of(persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


POSTS: dict[str, tuple[UrlOf, Any, str, set[str]]] = {
    # name: (url, data, status the evaluation must be in, who may do it)
    "start": (lambda w: reverse("reviews:start", args=[w.evaluation.pk]), {}, "submitted", TEAM),
    "bulk_accept": (
        lambda w: reverse("reviews:bulk_accept", args=[w.evaluation.pk]),
        lambda w: {"items": [w.maturity_items()[0].pk], "confirmed": "1"},
        "document_review",
        TEAM,
    ),
    "request_clarification": (
        lambda w: reverse("reviews:request_clarification", args=[w.evaluation.pk]),
        lambda w: {"items": [w.maturity_items()[0].pk], "message": "Mohon jelaskan."},
        "document_review",
        TEAM,
    ),
    "field_visit": (
        lambda w: reverse("reviews:field_visit", args=[w.evaluation.pk]),
        {},
        "document_review",
        TEAM,
    ),
    "item_accept": (
        lambda w: reverse("reviews:item", args=[w.evaluation.pk, w.maturity_items()[0].pk]),
        lambda w: {"action": "accept", "version": w.maturity_items()[0].version},
        "document_review",
        TEAM,
    ),
    "answer": (
        lambda w: reverse("reviews:clarification", args=[w.evaluation.pk]),
        {"answer": "Sudah diperbaiki."},
        "clarification",
        {"coordinator"},
    ),
}


def expected_post(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    if persona in {"stranger_assessor", "other_coordinator"}:
        return 404
    return 302 if persona in allowed else 403


@pytest.mark.parametrize("action", list(POSTS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_post_each_review_action(world: World, action: str, persona: str) -> None:
    url_of, data, status, allowed = POSTS[action]
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
    payload = data(world) if callable(data) else data

    response = world.client(persona).post(url_of(world), payload)

    assert response.status_code == expected_post(persona, allowed)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    changed = world.reload().status != status
    item_decided = world.fresh(world.maturity_items()[0]).review_status != "pending"
    if persona not in allowed:
        assert not changed
        assert not item_decided
    else:
        assert changed or item_decided
