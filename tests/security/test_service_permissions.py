"""Services are the trust boundary: a service that acts for a person checks that person's
rights itself (with the access helper the view uses), so a caller that forgot the view's check
(a command, an API route, a job) cannot act with the wrong hands. Each refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cityeval.accounts import services as accounts
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    EvaluationStatus,
    ItemValue,
    Round,
)
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    assign_items,
    grant_entry_exception,
    open_cycle,
    submit_evaluation,
)
from cityeval.frameworks.models import FrameworkVersion
from cityeval.masterplans import services as masterplans
from cityeval.masterplans.models import Masterplan, ProgramStatus
from cityeval.masterplans.services import MasterplanData, ProgramData
from tests.world import World

pytestmark = pytest.mark.django_db

NOT_ADMINS = ["national_viewer", "lead_a", "coordinator_a", "contributor_a", "coordinator_b"]


def refused(act: Callable[[], object]) -> None:
    """`act` raises the permission error and leaves no audit entry behind."""
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        act()
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_opens_a_cycle(shared_world: World, persona: str) -> None:
    w = shared_world
    refused(
        lambda: open_cycle(
            year=2031,
            round=Round.ANNUAL,
            framework_version=FrameworkVersion.objects.get(pk=w.running_cycle.framework_version_id),
            regions=[w.region_a],
            deadlines=Deadlines(self_assessment=date(2031, 6, 30)),
            user=w.people[persona],
        )
    )
    assert not Cycle.objects.filter(year=2031).exists()


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_assigns_an_assessor(shared_world: World, persona: str) -> None:
    w = shared_world
    before = list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead"))
    refused(
        lambda: assign_assessor(
            cycle=w.running_cycle,
            region=w.region_a,
            assessor=w.people["assessor_b"],
            is_lead=True,
            user=w.people[persona],
        )
    )
    assert list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead")) == before


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_grants_a_deadline_exception(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    refused(
        lambda: grant_entry_exception(
            evaluation=w.running,
            until=date(2031, 1, 1),
            reason="terlambat",
            user=w.people[persona],
        )
    )
    w.running.refresh_from_db()
    assert w.running.entry_deadline_override is None


def test_the_admin_still_grants_a_deadline_exception(shared_world: World) -> None:
    w = shared_world
    grant_entry_exception(
        evaluation=w.running, until=date(2031, 1, 1), reason="banjir", user=w.people["admin"]
    )
    w.running.refresh_from_db()
    assert w.running.entry_deadline_override == date(2031, 1, 1)


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "lead_a"])
def test_a_person_is_managed_only_by_their_region_or_the_admin(
    shared_world: World, persona: str
) -> None:
    """Coordinator B manages B's people, not A's; a viewer or an assessor manages nobody."""
    w = shared_world
    actor, target = w.people[persona], w.people["contributor_a"]
    refused(lambda: accounts.deactivate_user(actor=actor, user=target))
    refused(
        lambda: accounts.resend_invitation(
            actor=actor, user=w.invited, site_url="https://cityeval.example.id"
        )
    )
    target.is_active = False
    target.save(update_fields=["is_active"])
    refused(lambda: accounts.reactivate_user(actor=actor, user=target))
    assert not User.objects.get(pk=target.pk).is_active


def test_a_coordinator_does_not_revoke_a_national_role(shared_world: World) -> None:
    w = shared_world
    national = RoleGrant.objects.get(user=w.people["national_viewer"], role=Role.VIEWER)
    of_b = RoleGrant.objects.get(user=w.people["viewer_b"], role=Role.VIEWER)
    refused(lambda: accounts.revoke_role(actor=w.people["coordinator_a"], grant=national))
    refused(lambda: accounts.revoke_role(actor=w.people["coordinator_a"], grant=of_b))
    assert RoleGrant.objects.filter(pk__in=[national.pk, of_b.pk]).count() == 2


def test_a_coordinator_still_manages_their_own_region(shared_world: World) -> None:
    w = shared_world
    viewer = w.people["viewer_a"]
    accounts.deactivate_user(actor=w.people["coordinator_a"], user=viewer)
    assert not User.objects.get(pk=viewer.pk).is_active


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "contributor_a", "lead_a"])
def test_a_masterplan_is_written_only_by_its_regions_coordinator_or_the_admin(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    actor = w.people[persona]
    plan = MasterplanData(title="Rencana lain", start_year=2025, end_year=2030)
    program = ProgramData(
        code="GOV-99",
        name="Program lain",
        element="GOV-PS",
        dimension="GOV",
        owner=w.health,
        budget=Decimal(1),
        start_year=2025,
        end_year=2026,
    )
    refused(lambda: masterplans.create_masterplan(region=w.region_a, user=actor, data=plan))
    refused(lambda: masterplans.update_masterplan(masterplan=w.masterplan, user=actor, data=plan))
    refused(lambda: masterplans.create_program(masterplan=w.masterplan, user=actor, data=program))
    refused(
        lambda: masterplans.update_program(
            program=w.program, user=actor, data=program, expected_version=w.program.version
        )
    )
    refused(
        lambda: masterplans.set_year_status(
            program=w.program,
            user=actor,
            year=2025,
            status=ProgramStatus.COMPLETED,
            progress=Decimal(100),
        )
    )
    refused(lambda: masterplans.import_programs(masterplan=w.masterplan, user=actor, content=b""))
    assert Masterplan.objects.filter(region=w.region_a).count() == 1


@pytest.mark.parametrize("persona", ["coordinator_b", "contributor_a", "viewer_a", "lead_a"])
def test_only_the_regions_coordinator_submits_or_assigns_items(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    actor = w.people[persona]
    refused(lambda: assign_items(evaluation=w.running, items=[w.item], opd=w.roads, user=actor))
    refused(lambda: submit_evaluation(evaluation=w.running, user=actor))
    w.running.refresh_from_db()
    assert w.running.status == EvaluationStatus.SELF_ASSESSMENT
    assert ItemValue.objects.get(pk=w.item.pk).opd_id == w.item.opd_id
