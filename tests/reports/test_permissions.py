"""Every URL of the reports app against every persona: who gets the page, 403, 404 or a login.

The evaluation is in the field visit with a report and one recommendation, i.e. not published:
the region's own members do not see the report or the result yet (404), the assessors do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pytest

from cityeval.evaluations.models import EvaluationStatus
from cityeval.reports.models import AssessorReport, Recommendation
from tests.matrix import Row, check, no_args
from tests.reports.conftest import PERSONAS
from tests.world import TeamWorld as World

IN_SCOPE = {"admin", "lead", "member", "coordinator", "contributor", "viewer", "national_viewer"}
TEAM = {"lead": 302, "member": 302}
READERS = {"admin": 200, "lead": 200, "member": 200, "national_viewer": 200}


def scoped(allowed: Mapping[str, int], denied: int = 403) -> Callable[[str], int]:
    """An evaluation's page: outsiders get 404, in-scope personas `allowed` or `denied`."""

    def status(persona: str) -> int:
        if persona == "anonymous":
            return 302
        if persona not in IN_SCOPE:
            return 404
        return allowed.get(persona, denied)

    return status


def cycle_wide(allowed: Mapping[str, int]) -> Callable[[str], int]:
    """Not an evaluation's page: outsiders get 403 like everyone else."""
    return lambda persona: 302 if persona == "anonymous" else allowed.get(persona, 403)


def evaluation(world: World) -> Sequence[object]:
    return [world.evaluation.pk]


def recommendation(world: World) -> Sequence[object]:
    return [world.evaluation.pk, Recommendation.objects.get(evaluation=world.evaluation).pk]


ROWS = [
    Row("reports:report", evaluation, scoped(READERS, 404)),
    Row("reports:result", evaluation, scoped(READERS, 404)),
    Row("reports:edit", evaluation, scoped({"lead": 200, "member": 200})),
    Row("reports:propose", evaluation, scoped(TEAM), "post"),
    Row(
        "reports:add_recommendation",
        evaluation,
        scoped(TEAM),
        "post",
        {"dimension": "GOV", "text": "Baru.", "priority": "low", "item": ""},
    ),
    Row(
        "reports:change_recommendation",
        recommendation,
        scoped(TEAM),
        "post",
        {"text": "Ubah.", "priority": "low", "item": "", "version": "1"},
    ),
    Row("reports:move_recommendation", recommendation, scoped(TEAM), "post", {"direction": "down"}),
    Row("reports:delete_recommendation", recommendation, scoped(TEAM), "post", {"version": "1"}),
    Row("reports:finalise", evaluation, scoped({"lead": 200})),
    Row("reports:reopen", evaluation, scoped({"admin": 200})),
    Row("reports:publish_one", evaluation, scoped({"admin": 302}), "post"),
    Row("reports:follow_up", evaluation, scoped(dict.fromkeys(IN_SCOPE, 200))),
    Row("reports:follow_up", evaluation, scoped({"coordinator": 200}), "post"),
    Row("reports:cycles", no_args, cycle_wide({"admin": 200})),
    Row("reports:publish", lambda w: [w.cycle.pk], cycle_wide({"admin": 200})),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permissions(world: World, row: Row) -> None:
    """One route, every persona (each request rolled back, see tests/matrix.py)."""
    world.verify()
    world.at(EvaluationStatus.FIELD_VISIT)
    AssessorReport.objects.create(evaluation=world.evaluation, summary="Konsep.")
    Recommendation.objects.create(
        evaluation=world.evaluation, dimension="GOV", text="Lama.", priority="high"
    )
    check(row, world, PERSONAS)
