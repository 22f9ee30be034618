"""Recommendation actions keep the summary and findings typed in the editor but not yet saved.

The editor's script copies the changed report fields into the recommendation form it submits
as `carried-…` fields (tests/browser/test_typed_work_browser.py drives that in Chromium); here
the server side: saved through `save_report`, or kept and shown again, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from cityeval.evaluations.models import EvaluationStatus as S
from cityeval.reports.editing import add_recommendation, save_report
from cityeval.reports.models import AssessorReport, Priority, Recommendation
from tests.world import TeamWorld as World

SUMMARY = "Tata kelola data sudah terpadu di Diskominfo."
STRENGTH = "Satu data daerah berjalan."


def carried(version: int = 0) -> dict[str, str]:
    return {
        "carried-summary": SUMMARY,
        "carried-strength__GOV": STRENGTH,
        "carried-version": str(version),
    }


def a_recommendation(world: World) -> Recommendation:
    return add_recommendation(
        evaluation=world.evaluation,
        user=world.people["lead"],
        dimension="GOV",
        text="Integrasikan layanan.",
        priority=Priority.HIGH,
    )


def url(world: World, name: str, *args: int) -> str:
    return reverse(f"reports:{name}", args=[world.evaluation.pk, *args])


def post_add(client: Client, world: World, extra: dict[str, str]) -> Any:
    data = {"dimension": "GOV", "text": "Perluas bank sampah.", "priority": "high", **extra}
    return client.post(url(world, "add_recommendation"), data)


def post_change(client: Client, world: World, extra: dict[str, str]) -> Any:
    rec = a_recommendation(world)
    data = {"text": "Diubah.", "priority": "low", "version": str(rec.version), **extra}
    return client.post(url(world, "change_recommendation", rec.pk), data)


def post_delete(client: Client, world: World, extra: dict[str, str]) -> Any:
    rec = a_recommendation(world)
    data = {"version": str(rec.version), **extra}
    return client.post(url(world, "delete_recommendation", rec.pk), data)


def post_move(client: Client, world: World, extra: dict[str, str]) -> Any:
    a_recommendation(world)
    rec = a_recommendation(world)
    return client.post(url(world, "move_recommendation", rec.pk), {"direction": "up", **extra})


def post_propose(client: Client, world: World, extra: dict[str, str]) -> Any:
    return client.post(url(world, "propose"), extra)


# Every recommendation action of the editor, by URL name; the page test holds it complete.
ACTIONS: dict[str, Callable[[Client, World, dict[str, str]], Any]] = {
    "reports:add_recommendation": post_add,
    "reports:change_recommendation": post_change,
    "reports:delete_recommendation": post_delete,
    "reports:move_recommendation": post_move,
    "reports:propose": post_propose,
}


@pytest.fixture
def editable(world: World) -> World:
    world.verify()
    world.at(S.FIELD_VISIT)
    return world


def test_every_recommendation_form_of_the_editor_carries_the_report(editable: World) -> None:
    a_recommendation(editable)
    html = editable.client("lead").get(url(editable, "edit")).content.decode()
    assert re.search(r'<form [^>]*id="report-form"[^>]*data-unsaved', html)
    others = [
        form
        for form in re.findall(r"<form [^>]*>", html.replace("\n", " "))
        if 'method="post"' in form and 'id="report-form"' not in form and "/reports/" in form
    ]
    names = set()
    for form in others:
        assert 'data-carry="report-form"' in form
        action = re.search(r'action="([^"]+)"', form)
        assert action is not None
        names.add(resolve(action.group(1)).view_name)
    assert names == set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_recommendation_action_saves_the_typed_report(editable: World, action: str) -> None:
    response = ACTIONS[action](editable.client("lead"), editable, carried())
    assert response.status_code == 302
    report = AssessorReport.objects.get(evaluation=editable.evaluation)
    assert report.summary == SUMMARY
    assert list(report.findings.values_list("dimension", "kind", "text")) == [
        ("GOV", "strength", STRENGTH)
    ]
    assert report.version == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_report_draft_comes_back_with_the_conflict(editable: World, action: str) -> None:
    save_report(
        evaluation=editable.evaluation,
        user=editable.people["member"],
        summary="Dari anggota.",
        findings={},
        expected_version=0,
    )
    client = editable.client("lead")
    response = ACTIONS[action](client, editable, carried(version=0))
    assert response.status_code == 302
    assert AssessorReport.objects.get(evaluation=editable.evaluation).summary == "Dari anggota."
    html = client.get(url(editable, "edit")).content.decode()
    assert 'data-testid="conflict"' in html
    assert "Dari anggota." in html
    assert SUMMARY in html
    assert STRENGTH in html
    assert 'name="version" value="1"' in html
    assert 'data-unsaved="pending"' in html


def test_a_failed_add_shows_the_saved_report_and_the_typed_recommendation(
    editable: World,
) -> None:
    response = post_add(editable.client("lead"), editable, {"text": "", **carried()})
    assert response.status_code == 200  # the add form comes back with its error
    assert AssessorReport.objects.get(evaluation=editable.evaluation).summary == SUMMARY
    assert SUMMARY in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("stranger_assessor", 404),
        ("other_coordinator", 404),
        ("coordinator", 403),
        ("contributor", 403),
        ("anonymous", 302),
    ],
)
def test_wrong_hands_save_nothing(editable: World, persona: str, status: int) -> None:
    response = post_add(editable.client(persona), editable, carried())
    assert response.status_code == status
    assert not AssessorReport.objects.filter(evaluation=editable.evaluation).exists()


def test_after_finalisation_a_carried_report_saves_nothing(editable: World) -> None:
    editable.at(S.FINALISED)
    post_add(editable.client("lead"), editable, carried())
    assert not AssessorReport.objects.filter(evaluation=editable.evaluation).exists()
