"""Who may grant what, where: every granter × every role × every region/OPD choice × every path.

The expectation is written out as a table (`expected`), independent of the code under test: a
program admin grants anything that fits the role; a region coordinator grants only a contributor
or viewer role inside their own region, never a national scope; nobody else grants anything.
A refused grant stores nothing: no account, no grant, no e-mail, no audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cityeval.accounts import services
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from cityeval.jobs.models import Job
from cityeval.regions.models import OPD, Region
from tests.accounts.conftest import Personas, make_person

pytestmark = pytest.mark.django_db

GRANTERS = ["admin", "coordinator_a", "coordinator_b", "contributor_a", "viewer_a", "assessor"]
ROLES = list(Role)
# name: (region, OPD) as submitted, by the letter of the region they belong to ("" = empty)
CHOICES = {
    "empty": ("", ""),
    "region_a": ("a", ""),
    "region_b": ("b", ""),
    "opd_a": ("a", "a"),
    "opd_b": ("b", "b"),
    "opd_a_without_region": ("", "a"),
    "region_a_with_opd_b": ("a", "b"),
}
PATHS = ["invite_page", "grant_page", "invite_service", "grant_service"]
NATIONAL_ROLES = {Role.PROGRAM_ADMIN, Role.ASSESSOR}
COORDINATOR_GRANTS = {Role.CONTRIBUTOR, Role.VIEWER}


@dataclass(frozen=True)
class Stored:
    region: str  # "" for none
    opd: str


@dataclass(frozen=True)
class Refused:
    status: int  # the page's answer; for a service 403 means PermissionDenied, 400 ValidationError


Outcome = Stored | Refused


def valid_scope(role: Role, region: str, opd: str, *, page: bool) -> Stored | None:
    """What a grant of `role` with this raw scope becomes, or None when it does not fit the role.

    The page's form drops the scope of a national role and the OPD of a coordinator (the fields
    stay on the page for every role); the service refuses both. An OPD implies its region.
    """
    if page and role in NATIONAL_ROLES:
        region = opd = ""
    if page and role == Role.COORDINATOR:
        opd = ""
    region = region or opd
    if opd and opd != region:
        return None
    if role in NATIONAL_ROLES:
        return Stored("", "") if not region else None
    if role == Role.COORDINATOR:
        return Stored(region, "") if region and not opd else None
    if role == Role.CONTRIBUTOR:
        return Stored(region, opd) if opd else None
    return Stored(region, "") if not opd else None  # a viewer: a region, or the nation


def expected(granter: str, role: Role, choice: str, path: str) -> Outcome:
    region, opd = CHOICES[choice]
    page = path.endswith("_page")
    if granter in ("contributor_a", "viewer_a", "assessor"):
        return Refused(403)
    if granter == "admin":
        if page and opd and opd != region:
            return Refused(400)  # the admin's OPD list holds the chosen region's OPDs only
        return valid_scope(role, region, opd, page=page) or Refused(400)
    own = granter[-1]
    if page:
        # The page answers before the form: a role it never offers is 403, a foreign id 404.
        if role not in COORDINATOR_GRANTS:
            return Refused(403)
        if any(value not in ("", own) for value in (region, opd)):
            return Refused(404)
        if role == Role.VIEWER and not region and not opd:
            return Refused(403)
        return valid_scope(role, region, opd, page=True) or Refused(400)
    stored = valid_scope(role, region, opd, page=False)
    scope_regions = {region or opd, opd} - {""}
    if role not in COORDINATOR_GRANTS or not scope_regions or scope_regions != {own}:
        return Refused(403)
    return stored or Refused(400)


@dataclass
class Setup:
    world: Personas
    target: User
    regions: dict[str, Region]
    opds: dict[str, OPD]
    existing: list[int]


@pytest.fixture
def setup(world: Personas) -> Setup:
    opd_b2 = OPD.objects.create(region=world.region_b, code="BAPPEDA", name="Bappeda Semarang")
    # Someone both coordinators see, whose roles collide with no choice above.
    target = make_person("konsultan", Role.CONTRIBUTOR, opd=world.opd_a2)
    RoleGrant.objects.create(user=target, role=Role.CONTRIBUTOR, region=opd_b2.region, opd=opd_b2)
    return Setup(
        world=world,
        target=target,
        regions={"a": world.region_a, "b": world.region_b},
        opds={"a": world.opd_a, "b": world.opd_b},
        existing=list(target.grants.values_list("pk", flat=True)),
    )


def run_page(client: Client, setup: Setup, path: str, role: Role, choice: str) -> int:
    region, opd = CHOICES[choice]
    data = {
        "role": role.value,
        "region": setup.regions[region].pk if region else "",
        "opd": setup.opds[opd].pk if opd else "",
    }
    if path == "invite_page":
        data |= {"full_name": "Orang Baru", "username": "orang.baru", "email": "baru@example.test"}
        response = client.post(reverse("person_invite"), data)
        # An invalid invitation form is shown again with its errors.
        return 400 if response.status_code == 200 else response.status_code
    return client.post(reverse("person_grant", kwargs={"pk": setup.target.pk}), data).status_code


def run_service(actor: User, setup: Setup, path: str, role: Role, choice: str) -> int:
    region, opd = CHOICES[choice]
    scope = {
        "role": role,
        "region": setup.regions[region] if region else None,
        "opd": setup.opds[opd] if opd else None,
    }
    try:
        if path == "invite_service":
            services.invite_user(
                actor=actor,
                username="orang.baru",
                full_name="Orang Baru",
                email="baru@example.test",
                site_url="http://testserver/",
                **scope,  # type: ignore[arg-type]
            )
        else:
            services.grant_role(actor=actor, user=setup.target, **scope)  # type: ignore[arg-type]
    except PermissionDenied:
        return 403
    except ValidationError:
        return 400
    return 302


def new_grants(setup: Setup) -> list[tuple[str, str, str]]:
    regions = {region.pk: letter for letter, region in setup.regions.items()}
    opds = {opd.pk: letter for letter, opd in setup.opds.items()}
    found = RoleGrant.objects.filter(user__username__in=["orang.baru", setup.target.username])
    return [
        (grant.role, regions.get(grant.region_id or 0, ""), opds.get(grant.opd_id or 0, ""))
        for grant in found.exclude(pk__in=setup.existing)
    ]


def invitations_queued() -> int:
    """Invitation e-mails are jobs sent after commit (`accounts/invitations.py`): count those."""
    return Job.objects.filter(kind="invitation_mail").count()


def attempt(client: Client, setup: Setup, granter: str, role: Role, choice: str, path: str) -> str:
    """Run one grant attempt and compare it with `expected`; '' when it matched, else why not.

    Each attempt runs in a savepoint that is rolled back, so the world is built once per
    (granter, path) rather than once per attempt (842 worlds took minutes).
    """
    actor = getattr(setup.world, granter)
    with transaction.atomic():
        users_before = User.objects.count()
        if path.endswith("_page"):
            status = run_page(client, setup, path, role, choice)
        else:
            status = run_service(actor, setup, path, role, choice)
        outcome = expected(granter, role, choice, path)
        seen: tuple[object, ...]
        wanted: tuple[object, ...]
        if isinstance(outcome, Refused):
            seen = (status, new_grants(setup), User.objects.count() - users_before)
            seen += (invitations_queued(), AuditEntry.objects.count())
            wanted = (outcome.status, [], 0, 0, 0)
        else:
            seen = (status, new_grants(setup), AuditEntry.objects.count(), invitations_queued())
            invitations = 1 if path.startswith("invite") else 0
            wanted = (302, [(role.value, outcome.region, outcome.opd)], 1, invitations)
        transaction.set_rollback(True)
    if seen == wanted:
        return ""
    return f"{granter} {role.value} {choice} {path}: expected {wanted}, got {seen}"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("granter", GRANTERS)
def test_a_grant_is_stored_only_when_the_granter_may_grant_it(
    client: Client, setup: Setup, granter: str, path: str
) -> None:
    """Every role x region/OPD choice for this granter and path; mismatches are listed together.

    For a refusal: (status, new grants, new accounts, e-mails, audit entries); for a grant:
    (302, the grant stored, one audit entry, one queued e-mail for an invitation).
    """
    if path.endswith("_page"):
        client.force_login(getattr(setup.world, granter))
    mismatches = [
        found
        for role in ROLES
        for choice in CHOICES
        if (found := attempt(client, setup, granter, role, choice, path))
    ]
    assert mismatches == []


def test_a_coordinator_can_no_longer_make_a_national_viewer_from_an_opd(
    client: Client, world: Personas
) -> None:
    """The reported hole: viewer, no region, one of the coordinator's own OPDs."""
    client.force_login(world.coordinator_b)
    response = client.post(
        reverse("person_invite"),
        {
            "full_name": "Peninjau Palsu",
            "username": "peninjau.palsu",
            "email": "palsu@example.test",
            "role": Role.VIEWER,
            "region": "",
            "opd": world.opd_b.pk,
        },
    )
    assert response.status_code == 200
    assert "bukan satu OPD" in response.content.decode()
    assert not User.objects.filter(username="peninjau.palsu").exists()
    assert (
        not RoleGrant.objects.filter(role=Role.VIEWER, region=None)
        .exclude(user=world.national_viewer)
        .exists()
    )


def test_a_refused_grant_says_why(client: Client, world: Personas) -> None:
    with pytest.raises(PermissionDenied, match="cakupan nasional hanya diberikan admin program"):
        services.grant_role(actor=world.coordinator_a, user=world.contributor_a, role=Role.VIEWER)
    client.force_login(world.coordinator_a)
    url = reverse("person_grant", kwargs={"pk": world.contributor_a.pk})
    response = client.post(url, {"role": Role.ASSESSOR, "region": "", "opd": ""})
    assert response.status_code == 403
    assert "cakupan nasional hanya diberikan admin program" in response.content.decode()


def test_the_admin_site_offers_no_way_around_the_grant_rule(
    client: Client, world: Personas
) -> None:
    """Role grants are not in the admin; a staff member who may change users cannot make a
    superuser (who counts as a program admin) of themselves or anyone.
    """
    registered = {model._meta.label for model in admin.site._registry}
    assert "accounts.RoleGrant" not in registered
    staff = world.coordinator_a
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"is_superuser": "on", "is_staff": "on", "date_joined_0": "2026-01-01"}
    data |= {"date_joined_1": "00:00:00", "last_login_0": "", "last_login_1": ""}
    client.post(url, data)
    staff.refresh_from_db()
    assert not staff.is_superuser
