"""`accounts.access.require_admin`: the one admin check every admin-only view and service uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityeval.accounts.access import require_admin
from cityeval.accounts.models import User
from cityeval.evaluations.errors import WorkflowError
from tests.world import World

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "cityeval"
NOT_ADMINS = [
    "national_viewer",
    "lead_a",
    "member_a",
    "coordinator_a",
    "contributor_a",
    "viewer_a",
    "anonymous",
]


def _person(world: World, persona: str) -> User | AnonymousUser:
    if persona == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=world.people[persona].pk)


def test_it_lets_the_program_admin_through(shared_world: World) -> None:
    require_admin(_person(shared_world, "admin"))  # raises for anyone else


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_it_refuses_everyone_else_with_403(shared_world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        require_admin(_person(shared_world, persona))


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_it_raises_the_services_own_refusal(shared_world: World, persona: str) -> None:
    refusal = WorkflowError("only the admin")
    with pytest.raises(WorkflowError) as raised:
        require_admin(_person(shared_world, persona), refusal)
    assert raised.value is refusal


def test_no_module_writes_its_own_admin_check() -> None:
    hand_written = re.compile(r"def _require_admin|if not scope_of\([^)]*\)\.admin\b")
    found = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name != "access.py" or path.parent.name != "accounts"
        if hand_written.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
