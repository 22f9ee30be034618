"""The services and the model rules behind them, called directly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cityeval.accounts import services
from cityeval.accounts.models import Role, RoleGrant
from cityeval.audit.models import AuditEntry
from tests.accounts.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_contributor_grant_takes_its_region_from_the_opd(world: Personas) -> None:
    grant = services.grant_role(
        actor=world.admin, user=world.assessor, role=Role.CONTRIBUTOR, opd=world.opd_b
    )
    assert grant.region == world.region_b


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.ASSESSOR, "region_a", "berlaku nasional"),
        (Role.PROGRAM_ADMIN, "opd_a", "berlaku nasional"),
        (Role.COORDINATOR, None, "memerlukan satu kabupaten/kota"),
        (Role.CONTRIBUTOR, None, "memerlukan satu perangkat daerah"),
        (Role.VIEWER, "opd_a", "bukan satu OPD"),
    ],
)
def test_each_role_takes_only_its_own_kind_of_scope(
    world: Personas, role: Role, scope: str | None, message: str
) -> None:
    region = world.region_a if scope == "region_a" else None
    opd = world.opd_a if scope == "opd_a" else None
    with pytest.raises(ValidationError, match=message):
        services.grant_role(
            actor=world.admin, user=world.assessor, role=role, region=region, opd=opd
        )
    assert not AuditEntry.objects.exists()


def test_an_opd_from_another_region_is_refused(world: Personas) -> None:
    grant = RoleGrant(
        user=world.assessor, role=Role.CONTRIBUTOR, region=world.region_a, opd=world.opd_b
    )
    with pytest.raises(ValidationError):
        grant.clean()


def test_each_service_writes_one_audit_entry(world: Personas) -> None:
    grant = services.grant_role(
        actor=world.admin, user=world.viewer_a, role=Role.VIEWER, region=world.region_b
    )
    services.revoke_role(actor=world.admin, grant=grant)
    services.deactivate_user(actor=world.admin, user=world.viewer_a)
    services.reactivate_user(actor=world.admin, user=world.viewer_a)
    services.update_profile(user=world.viewer_a, full_name="Baru", preferred_language="id")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "role.grant",
        "role.revoke",
        "user.deactivate",
        "user.reactivate",
        "user.profile",
    ]


def test_re_inviting_someone_who_has_a_password_is_refused(world: Personas) -> None:
    with pytest.raises(ValidationError, match="sudah mengatur kata sandinya"):
        services.resend_invitation(
            actor=world.admin, user=world.viewer_a, site_url="http://testserver/"
        )


def test_deactivating_twice_is_refused(world: Personas) -> None:
    services.deactivate_user(actor=world.admin, user=world.viewer_a)
    with pytest.raises(ValidationError, match="sudah nonaktif"):
        services.deactivate_user(actor=world.admin, user=world.viewer_a)
