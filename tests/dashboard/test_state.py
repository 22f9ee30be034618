"""The ministry's dashboard is computed once per state (dashboard/cache.py, keyed on
`results.publication.DASHBOARD_ACTIONS`): a submit, finalise, publish or reopen is seen on the
next request; a change no such entry records is not (the cache is real)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cityeval.audit.log import record
from cityeval.dashboard.data import Dashboard
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.evaluations.workflow import move
from cityeval.reports.services import publish_evaluation, reopen_evaluation
from cityeval.results.models import ResultSnapshot
from cityeval.results.publication import (
    DASHBOARD_ACTIONS,
    PUBLIC_PAGE_ACTIONS,
    dashboard_marker,
)
from tests.world import BANDUNG, DENPASAR, JAKPUS

pytestmark = pytest.mark.django_db

NATIONAL = reverse("dashboard:national")


def board(world: Any) -> Dashboard:
    response = world.client("national_viewer").get(NATIONAL)
    assert response.status_code == 200
    found = response.context["board"]
    assert isinstance(found, Dashboard)
    return found


def counts(found: Dashboard) -> dict[str, int]:
    return {s.status: s.count for s in found.progress}


def row_of(world: Any, found: Dashboard, code: str) -> Any:
    pk = world.evaluation(code).pk
    return next((r for r in found.rows if r.evaluation_id == pk), None)


def test_a_submit_is_seen_on_the_next_request(world: Any) -> None:
    before = board(world)
    assert world.evaluation(BANDUNG).pk in {late.evaluation_id for late in before.overdue}
    move(
        evaluation=world.evaluation(BANDUNG),
        to=EvaluationStatus.SUBMITTED,
        user=world.people["admin"],
    )
    after = board(world)
    assert counts(after)["submitted"] == counts(before)["submitted"] + 1
    assert world.evaluation(BANDUNG).pk not in {late.evaluation_id for late in after.overdue}


def test_a_finalised_result_is_seen_on_the_next_request(world: Any) -> None:
    Evaluation.objects.filter(pk=world.evaluation(DENPASAR).pk).update(
        status=EvaluationStatus.FIELD_VISIT  # set-up: the review's last step
    )
    assert row_of(world, board(world), DENPASAR) is None
    evaluation = world.evaluation(DENPASAR)
    # What finalise_evaluation writes: the result, then the audited status move.
    ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        index=Decimal("2.50"),
        predicate="MAPAN",
    )
    move(evaluation=evaluation, to=EvaluationStatus.FINALISED, user=world.people["admin"])
    row = row_of(world, board(world), DENPASAR)
    assert row is not None
    assert (row.index, row.published) == (Decimal("2.50"), False)


def test_a_publication_and_a_reopening_are_seen_on_the_next_request(world: Any) -> None:
    assert row_of(world, board(world), JAKPUS).published is False
    publish_evaluation(evaluation=world.evaluation(JAKPUS), user=world.people["admin"])
    assert row_of(world, board(world), JAKPUS).published is True
    reopen_evaluation(
        evaluation=world.evaluation(JAKPUS), user=world.people["admin"], reason="Data salah."
    )
    assert row_of(world, board(world), JAKPUS) is None


def test_the_board_is_cached_until_an_entry_of_the_marker_is_written(world: Any) -> None:
    before = board(world)
    # A change without the audit entry of its service: the cached board does not see it ...
    Evaluation.objects.filter(pk=world.evaluation(BANDUNG).pk).update(
        status=EvaluationStatus.SUBMITTED
    )
    assert counts(board(world)) == counts(before)
    # ... until an entry of the marker's actions is written (as every status move writes one).
    record(actor=world.people["admin"], action="evaluation.status.submitted", target=world.cycle)
    assert counts(board(world))["submitted"] == counts(before)["submitted"] + 1


def test_every_action_of_the_marker_moves_it(world: Any) -> None:
    for action in DASHBOARD_ACTIONS:
        marker = dashboard_marker()
        record(actor=world.people["admin"], action=action, target=world.cycle)
        assert dashboard_marker() > marker, action


def test_the_marker_covers_the_public_pages_and_every_status_move(world: Any) -> None:
    assert set(PUBLIC_PAGE_ACTIONS) <= set(DASHBOARD_ACTIONS)
    assert {f"evaluation.status.{s.value}" for s in EvaluationStatus} <= set(DASHBOARD_ACTIONS)


def test_a_region_saving_its_items_does_not_move_it(world: Any) -> None:
    marker = dashboard_marker()
    for action in ("item.self_assessment", "evidence.add", "user.profile"):
        record(actor=world.people["admin"], action=action, target=world.cycle)
    assert dashboard_marker() == marker
