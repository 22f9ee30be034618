"""Who may open and use the people pages. Another region's people and OPDs answer 404; a role a
coordinator may not handle inside their own region answers 403; anonymous visitors go to login.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from tests.accounts.conftest import Personas
from tests.matrix import Row, check, no_args

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "coordinator_a",
    "coordinator_b",
    "contributor_a",
    "viewer_a",
    "national_viewer",
    "assessor",
    "anonymous",
]


def of(name: str) -> Callable[[Personas], Sequence[object]]:
    """The URL's argument: the persona's user id."""
    return lambda world: [getattr(world, name).pk]


def statuses(*expected: int) -> dict[str, int]:
    """Expected statuses in PERSONAS order (anonymous last: 302 is the login page)."""
    return dict(zip(PERSONAS, expected, strict=True))


DENIED = (403, 403, 403, 403)  # contributor_a, viewer_a, national_viewer, assessor
ROWS = [
    Row("people", no_args, statuses(200, 200, 200, *DENIED, 302), label="people list"),
    Row("person_invite", no_args, statuses(200, 200, 200, *DENIED, 302), label="invite page"),
    Row(
        "person_detail",
        of("contributor_a"),
        statuses(200, 200, 404, *DENIED, 302),
        label="region A contributor",
    ),
    Row(
        "person_detail",
        of("contributor_b"),
        statuses(200, 404, 200, *DENIED, 302),
        label="region B contributor",
    ),
    Row(
        "person_detail", of("assessor"), statuses(200, 404, 404, *DENIED, 302), label="an assessor"
    ),
    Row(
        "person_deactivate",
        of("contributor_a"),
        statuses(302, 302, 404, *DENIED, 302),
        "post",
        label="deactivate region A contributor",
    ),
    Row(
        "person_deactivate",
        of("viewer_a"),
        statuses(302, 302, 404, *DENIED, 302),
        "post",
        label="deactivate region A viewer",
    ),
    Row(
        "person_deactivate",
        of("coordinator_a"),
        statuses(302, 403, 404, *DENIED, 302),
        "post",
        label="deactivate region A coordinator",
    ),
    Row(
        "person_resend",
        of("contributor_b"),
        statuses(302, 404, 302, *DENIED, 302),
        "post",
        label="re-invite region B contributor",
    ),
    Row("profile", no_args, statuses(*[200] * 7, 302)),
    Row("password_change", no_args, statuses(*[200] * 7, 302)),
    Row("login", no_args, statuses(*[302] * 7, 200), label="login page"),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_each_persona_gets_the_status_it_should(world: Personas, row: Row) -> None:
    check(row, world, PERSONAS)


def grant(client: Client, target: User, **data: object) -> int:
    response = client.post(reverse("person_grant", kwargs={"pk": target.pk}), data)
    return response.status_code


def test_a_coordinator_cannot_grant_a_role_in_another_region(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    target = world.contributor_a
    assert grant(client, target, role=Role.VIEWER, region=world.region_b.pk) == 404
    assert (
        grant(client, target, role=Role.CONTRIBUTOR, region=world.region_a.pk, opd=world.opd_b.pk)
        == 404
    )
    assert target.grants.count() == 1


@pytest.mark.parametrize("role", [Role.PROGRAM_ADMIN, Role.ASSESSOR, Role.COORDINATOR])
def test_a_coordinator_cannot_grant_a_ministry_or_coordinator_role(
    client: Client, world: Personas, role: Role
) -> None:
    client.force_login(world.coordinator_a)
    assert grant(client, world.contributor_a, role=role, region=world.region_a.pk) == 403
    assert not RoleGrant.objects.filter(user=world.contributor_a, role=role).exists()


def test_a_coordinator_cannot_make_a_national_viewer(client: Client, world: Personas) -> None:
    client.force_login(world.coordinator_a)
    assert grant(client, world.contributor_a, role=Role.VIEWER, region="") == 403


def test_a_coordinator_grants_a_viewer_role_in_their_region(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    assert grant(client, world.contributor_a, role=Role.VIEWER, region=world.region_a.pk) == 302
    created = RoleGrant.objects.get(user=world.contributor_a, role=Role.VIEWER)
    assert created.region == world.region_a
    entry = AuditEntry.objects.get(action="role.grant")
    assert entry.actor == world.coordinator_a
    assert entry.region_id == world.region_a.pk


def test_a_coordinator_cannot_invite_into_another_regions_opd(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("person_invite"),
        {
            "full_name": "Penyusup",
            "username": "penyusup",
            "email": "penyusup@example.test",
            "role": Role.CONTRIBUTOR,
            "region": world.region_b.pk,
            "opd": world.opd_b.pk,
        },
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="penyusup").exists()


def test_a_coordinator_cannot_invite_an_assessor(client: Client, world: Personas) -> None:
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("person_invite"),
        {
            "full_name": "Asesor Palsu",
            "username": "asesor.palsu",
            "email": "asesor@example.test",
            "role": Role.ASSESSOR,
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="asesor.palsu").exists()


def both_regions(world: Personas) -> User:
    """A consultant who contributes in region A and views region B."""
    shared = world.contributor_a
    RoleGrant.objects.create(user=shared, role=Role.VIEWER, region=world.region_b)
    return shared


def test_a_coordinator_sees_only_their_own_regions_roles_of_a_person(
    client: Client, world: Personas
) -> None:
    shared = both_regions(world)
    client.force_login(world.coordinator_a)
    text = client.get(reverse("person_detail", kwargs={"pk": shared.pk})).content.decode()
    assert "Kabupaten Kutai Kartanegara" in text
    assert "Kota Semarang" not in text


def test_a_coordinator_cannot_revoke_a_role_in_another_region(
    client: Client, world: Personas
) -> None:
    shared = both_regions(world)
    other = RoleGrant.objects.get(user=shared, region=world.region_b)
    client.force_login(world.coordinator_a)
    url = reverse("person_revoke", kwargs={"pk": shared.pk, "grant_pk": other.pk})
    assert client.post(url).status_code == 404
    assert RoleGrant.objects.filter(pk=other.pk).exists()


def test_a_coordinator_cannot_deactivate_someone_who_also_works_elsewhere(
    client: Client, world: Personas
) -> None:
    shared = both_regions(world)
    client.force_login(world.coordinator_a)
    assert client.post(reverse("person_deactivate", kwargs={"pk": shared.pk})).status_code == 403
    shared.refresh_from_db()
    assert shared.is_active


def test_a_coordinator_cannot_revoke_a_fellow_coordinator(client: Client, world: Personas) -> None:
    colleague = User.objects.create(username="koordinator_a2")
    colleague_grant = RoleGrant.objects.create(
        user=colleague, role=Role.COORDINATOR, region=world.region_a
    )
    client.force_login(world.coordinator_a)
    url = reverse("person_revoke", kwargs={"pk": colleague.pk, "grant_pk": colleague_grant.pk})
    assert client.post(url).status_code == 403


def test_a_coordinator_revokes_a_contributor_role_in_their_region(
    client: Client, world: Personas
) -> None:
    target = world.contributor_a.grants.get()
    client.force_login(world.coordinator_a)
    url = reverse("person_revoke", kwargs={"pk": world.contributor_a.pk, "grant_pk": target.pk})
    assert client.post(url).status_code == 302
    assert not RoleGrant.objects.filter(pk=target.pk).exists()
    entry = AuditEntry.objects.get(action="role.revoke")
    assert entry.before is not None
    assert entry.before["role"] == Role.CONTRIBUTOR
    assert entry.region_id == world.region_a.pk


def test_the_people_list_of_a_coordinator_holds_only_their_region(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    text = client.get(reverse("people")).content.decode()
    for name in ("kontributor_a", "peninjau_a", "koordinator_a"):
        assert name in text
    for name in ("kontributor_b", "koordinator_b", "asesor", "admin_program", "peninjau_nasional"):
        assert name not in text


def test_a_coordinator_is_offered_only_their_own_opds(client: Client, world: Personas) -> None:
    client.force_login(world.coordinator_a)
    text = client.get(reverse("person_invite")).content.decode()
    assert "Bappeda" in text
    assert "Kota Semarang" not in text
    assert 'value="assessor"' not in text
    assert 'value="contributor"' in text
