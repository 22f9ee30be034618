"""A route that fetched its evaluation or item through the access helper does not check again.

Each fetch through `evaluation_for` / `item_for` reads the person's visible evaluations once
(`visible_evaluations`); a route re-reads what it saved without a second check, while the service
it calls keeps its own (it also serves the demo and the shell). The wrong hands still get 404 or
403 from the one check (`tests/api/test_writes.py`, `tests/reviews/test_review_permissions.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from cityeval.evaluations import access
from cityeval.evaluations.models import Evaluation, EvaluationStatus, ItemValue, ReviewStatus
from tests.world import ApiClient, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One element per read of the visible evaluations through the access helpers."""
    counted: list[int] = []
    real = access.visible_evaluations

    def counting(user: Any) -> Any:
        counted.append(1)
        return real(user)

    monkeypatch.setattr(access, "visible_evaluations", counting)
    return counted


def _save_self_assessment(w: World) -> Any:
    item = ItemValue.objects.get(pk=w.item.pk)
    body = {"value": "3", "narrative": "Sudah berjalan.", "version": item.version}
    return ApiClient(w.tokens["contributor_a"]).put(f"/items/{item.pk}/self-assessment", body)


def _accept_through_the_api(w: World) -> Any:
    # B is in the document review; assessor_b leads its team.
    pending = ItemValue.objects.filter(
        evaluation=w.reviewing_b, review_status=ReviewStatus.PENDING, self_value__isnull=False
    )
    item = pending.order_by("pk").first()
    assert item is not None
    body = {"decision": "accept", "version": item.version}
    return ApiClient(w.tokens["assessor_b"]).post(f"/items/{item.pk}/verdict", body)


def _submit(w: World) -> Any:
    return ApiClient(w.tokens["coordinator_a"]).post(f"/evaluations/{w.running.pk}/submit")


def _refused_verdict_page(w: World) -> Any:
    item = ItemValue.objects.get(pk=w.review_item.pk)
    url = reverse("reviews:item", kwargs={"pk": w.reviewing.pk, "item_pk": item.pk})
    # A stale version: the service refuses, the page shows the item as it is now.
    data = {"action": "accept", "version": item.version + 7}
    return w.client("lead_a").post(url, data)


ROUTES: dict[str, tuple[Callable[[World], Any], int]] = {
    "api: save a self-assessment": (_save_self_assessment, 200),
    "api: accept an item": (_accept_through_the_api, 200),
    "api: submit an evaluation": (_submit, 200),
    "page: a refused verdict": (_refused_verdict_page, 200),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_the_route_checks_access_once(shared_world: World, fetches: list[int], route: str) -> None:
    call, status = ROUTES[route]
    response = call(shared_world)
    assert response.status_code == status, response.content[:300]
    assert len(fetches) == 1


def test_the_submitted_evaluation_is_answered_as_saved(shared_world: World) -> None:
    response = _submit(shared_world)
    assert response.status_code == 200
    assert response.json()["status"] == EvaluationStatus.SUBMITTED
    stored = Evaluation.objects.get(pk=shared_world.running.pk)
    assert stored.status == EvaluationStatus.SUBMITTED
