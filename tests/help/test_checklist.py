"""The first-login checklist: one per role the person holds, dismissed with a POST, per person."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from cityeval.accounts.models import Role
from cityeval.audit.models import AuditEntry
from cityeval.help.checklist import STEPS, checklists_for
from cityeval.help.models import ChecklistDismissal
from cityeval.help.sections import SECTIONS
from tests.world import World

pytestmark = pytest.mark.django_db


def test_every_role_has_steps_that_lead_somewhere() -> None:
    assert set(STEPS) == set(Role.values)
    for steps in STEPS.values():
        for _text, url_name, section in steps:
            reverse(url_name)
            assert section in SECTIONS


def _rendered(w: World, persona: str) -> str:
    request = RequestFactory().get("/")
    request.user = w.people[persona]
    return render_to_string("help/_checklist.html", {"request": request}, request=request)


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("admin", "program_admin"),
        ("lead_a", "assessor"),
        ("coordinator_a", "coordinator"),
        ("contributor_a", "contributor"),
        ("viewer_b", "viewer"),
    ],
)
def test_each_role_sees_its_checklist(shared_world: World, persona: str, role: str) -> None:
    html = _rendered(shared_world, persona)
    assert f'data-testid="checklist-{role}"' in html
    assert [c.role for c in checklists_for(shared_world.people[persona])] == [role]


def test_dismissing_hides_it_for_that_person_only(shared_world: World) -> None:
    w = shared_world
    response = w.client("coordinator_a").post(reverse("help:dismiss"), {"role": "coordinator"})
    assert response.status_code == 302
    assert "checklist-coordinator" not in _rendered(w, "coordinator_a")
    assert "checklist-coordinator" in _rendered(w, "coordinator_b")
    assert AuditEntry.objects.filter(action="help.checklist.dismissed").count() == 1


def test_dismiss_takes_only_post_and_a_known_role(shared_world: World) -> None:
    w = shared_world
    client = w.client("contributor_a")
    assert client.get(reverse("help:dismiss")).status_code == 405
    client.post(reverse("help:dismiss"), {"role": "emperor"})
    assert not ChecklistDismissal.objects.exists()
    assert (
        w.client("anonymous").post(reverse("help:dismiss"), {"role": "viewer"}).status_code == 302
    )
    assert not ChecklistDismissal.objects.exists()


def test_anonymous_gets_no_checklist() -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert "checklist" not in render_to_string("help/_checklist.html", {"request": request})
