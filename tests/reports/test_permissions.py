"""Every URL of the reports app against every persona: who gets the page, 403, 404 or a login.

The evaluation is in the field visit with a report and one recommendation, i.e. not published:
the region's own members do not see the report or the result yet (404), the assessors do.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from cityeval.evaluations.models import EvaluationStatus
from cityeval.reports.models import AssessorReport, Recommendation
from tests.reports.conftest import PERSONAS, World

IN_SCOPE = {"admin", "lead", "member", "coordinator", "contributor", "viewer", "national_viewer"}
TEAM = {"lead": 302, "member": 302}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    allowed: dict[str, int]  # in-scope personas that get this status; the others get `denied`
    denied: int = 403
    cycle_wide: bool = False  # not an evaluation's page: outsiders get 403 like everyone else


ROUTES = [
    Route("report", "get", {"admin": 200, "lead": 200, "member": 200, "national_viewer": 200}, 404),
    Route("result", "get", {"admin": 200, "lead": 200, "member": 200, "national_viewer": 200}, 404),
    Route("edit", "get", {"lead": 200, "member": 200}),
    Route("propose", "post", TEAM),
    Route("add_recommendation", "post", TEAM),
    Route("change_recommendation", "post", TEAM),
    Route("move_recommendation", "post", TEAM),
    Route("delete_recommendation", "post", TEAM),
    Route("finalise", "get", {"lead": 200}),
    Route("reopen", "get", {"admin": 200}),
    Route("publish_one", "post", {"admin": 302}),
    Route("follow_up", "get", dict.fromkeys(IN_SCOPE, 200)),
    Route("follow_up", "post", {"coordinator": 200}),
    Route("cycles", "get", {"admin": 200}, cycle_wide=True),
    Route("publish", "get", {"admin": 200}, cycle_wide=True),
]


def _expected(route: Route, persona: str) -> int:
    if persona == "anonymous":
        return 302
    if route.cycle_wide:
        return route.allowed.get(persona, 403)
    if persona not in IN_SCOPE:
        return 404
    return route.allowed.get(persona, route.denied)


def _url(world: World, route: Route, recommendation: Recommendation) -> str:
    if route.name == "cycles":
        return reverse("reports:cycles")
    if route.name == "publish":
        return reverse("reports:publish", args=[world.cycle.pk])
    if route.name.endswith("_recommendation") and route.name != "add_recommendation":
        return reverse(f"reports:{route.name}", args=[world.evaluation.pk, recommendation.pk])
    return reverse(f"reports:{route.name}", args=[world.evaluation.pk])


DATA = {
    "add_recommendation": {"dimension": "GOV", "text": "Baru.", "priority": "low", "item": ""},
    "change_recommendation": {"text": "Ubah.", "priority": "low", "item": "", "version": "1"},
    "delete_recommendation": {"version": "1"},
    "move_recommendation": {"direction": "down"},
}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method}-{r.name}")
def test_permissions(world: World, route: Route) -> None:
    """One route, every persona; each request runs in a savepoint that is rolled back, so a
    successful POST by one persona does not change what the next one meets."""
    world.verify()
    world.at(EvaluationStatus.FIELD_VISIT)
    AssessorReport.objects.create(evaluation=world.evaluation, summary="Konsep.")
    recommendation = Recommendation.objects.create(
        evaluation=world.evaluation, dimension="GOV", text="Lama.", priority="high"
    )
    url = _url(world, route, recommendation)
    got, expected, logins = {}, {}, {}
    for persona in PERSONAS:
        client = world.client(persona)
        with transaction.atomic():
            if route.method == "get":
                response = client.get(url)
            else:
                response = client.post(url, DATA.get(route.name, {}))
            transaction.set_rollback(True)
        got[persona] = response.status_code
        expected[persona] = _expected(route, persona)
        if persona == "anonymous":
            logins[persona] = response.get("Location", "").startswith(reverse("login"))
    assert got == expected
    assert logins == {"anonymous": True}
