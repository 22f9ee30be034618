"""The ministry's dashboard is computed once per state (dashboard/cache.py, keyed on
`results.publication.DASHBOARD_ACTIONS`): a submit, finalise, publish or reopen is seen on the
next request; a change no such entry records is not (the cache is real)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from cityeval.audit.log import record
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


@dataclass(frozen=True)
class Seen:
    """What the ministry's dashboard page shows (read from the HTML: a cached board has no
    template context)."""

    counts: dict[str, int]  # status -> evaluations
    overdue: str  # the overdue paragraph
    rows: dict[int, str]  # evaluation id -> the leaderboard row's HTML


def board(world: Any) -> Seen:
    response = world.client("national_viewer").get(NATIONAL)
    assert response.status_code == 200
    html = response.content.decode()
    counts = {
        status: int(n) for status, n in re.findall(r'data-testid="status-(\w+)">(\d+)<', html)
    }
    overdue = re.search(r'<p data-testid="overdue">(.*?)</p>', html, re.S)
    assert overdue is not None
    rows = dict(re.findall(r'<tr data-testid="row-(\d+)">(.*?)</tr>', html, re.S))
    return Seen(counts, overdue.group(1), {int(pk): row for pk, row in rows.items()})


def row_of(world: Any, seen: Seen, code: str) -> str | None:
    return seen.rows.get(world.evaluation(code).pk)


def test_a_submit_is_seen_on_the_next_request(world: Any) -> None:
    before = board(world)
    assert "Kota Bandung" in before.overdue
    move(
        evaluation=world.evaluation(BANDUNG),
        to=EvaluationStatus.SUBMITTED,
        user=world.people["admin"],
    )
    after = board(world)
    assert after.counts["submitted"] == before.counts["submitted"] + 1
    assert "Kota Bandung" not in after.overdue


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
    assert '<td class="num" data-testid="index">2,50</td>' in row
    assert 'data-testid="unpublished"' in row


def test_a_publication_and_a_reopening_are_seen_on_the_next_request(world: Any) -> None:
    assert 'data-testid="unpublished"' in str(row_of(world, board(world), JAKPUS))
    publish_evaluation(evaluation=world.evaluation(JAKPUS), user=world.people["admin"])
    published = row_of(world, board(world), JAKPUS)
    assert published is not None
    assert 'data-testid="unpublished"' not in published
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
    assert board(world).counts == before.counts
    # ... until an entry of the marker's actions is written (as every status move writes one).
    record(actor=world.people["admin"], action="evaluation.status.submitted", target=world.cycle)
    assert board(world).counts["submitted"] == before.counts["submitted"] + 1


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
