"""Who may manage which people. Built on `access.py`; the same tenancy rule holds: a person or an
OPD outside the manager's regions answers 404, a forbidden action inside them answers 403.

A program admin manages everyone. A region coordinator manages the people of their own regions:
they see anyone holding a role there, but change only people whose every role is a contributor
or viewer role inside the coordinator's regions, so that deactivating someone never reaches into
another region or removes a ministry account.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.access import AnyUser, Scope, opd_for_managing, region_for_managing, scope_of
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.regions.models import OPD, Region

StrOrPromise = str | Promise
COORDINATOR_GRANTABLE = frozenset({Role.CONTRIBUTOR, Role.VIEWER})
GRANT_REFUSED = _(
    "Anda tidak berwenang memberikan peran ini dengan cakupan tersebut. Koordinator daerah hanya "
    "memberikan peran kontributor atau peninjau di kabupaten/kota yang dikoordinasikannya; "
    "cakupan nasional hanya diberikan admin program."
)


def manager_scope(user: AnyUser) -> Scope:
    """The scope of someone allowed on the people pages at all; 403 for everyone else."""
    scope = scope_of(user)
    if not (scope.admin or scope.coordinator_regions):
        raise PermissionDenied
    return scope


def visible_grants(scope: Scope) -> QuerySet[RoleGrant]:
    grants = RoleGrant.objects.select_related("region", "opd__region").order_by("role", "id")
    if scope.admin:
        return grants
    return grants.filter(region__in=scope.coordinator_regions)


def visible_people(scope: Scope) -> QuerySet[User]:
    people = User.objects.prefetch_related(
        Prefetch("grants", queryset=visible_grants(scope), to_attr="visible_grants")
    ).order_by("username")
    if scope.admin:
        return people
    return people.filter(
        pk__in=RoleGrant.objects.filter(region__in=scope.coordinator_regions).values("user")
    )


def person_for_viewing(user: AnyUser, pk: int) -> User:
    scope = manager_scope(user)
    try:
        return visible_people(scope).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def person_for_managing(user: AnyUser, pk: int) -> User:
    """A person the manager may deactivate, reactivate or re-invite."""
    person = person_for_viewing(user, pk)
    if not may_manage(scope_of(user), person):
        raise PermissionDenied
    return person


def may_manage(scope: Scope, person: User) -> bool:
    if scope.admin:
        return True
    if person.is_superuser or person.is_staff:
        return False
    grants = person.grants.values_list("role", "region_id")
    return all(
        role in COORDINATOR_GRANTABLE and region_id in scope.coordinator_regions
        for role, region_id in grants
    )


def may_revoke(scope: Scope, grant: RoleGrant) -> bool:
    if scope.admin:
        return True
    return grant.role in COORDINATOR_GRANTABLE and grant.region_id in scope.coordinator_regions


def grant_for_revoking(user: AnyUser, person: User, grant_pk: int) -> RoleGrant:
    scope = manager_scope(user)
    try:
        grant = visible_grants(scope).get(pk=grant_pk, user=person)
    except RoleGrant.DoesNotExist:
        raise Http404 from None
    if not may_revoke(scope, grant):
        raise PermissionDenied
    return grant


def may_grant(scope: Scope, *, role: str, region_id: int | None, opd_region_id: int | None) -> bool:
    """Whether someone with this scope may store a grant with exactly this role and scope.

    The one rule behind every grant (`services.authorise_grant` applies it to the grant as it
    will be stored): a program admin grants anything; a region coordinator grants only a
    contributor or viewer role inside a region they coordinate, never a national scope.
    """
    if scope.admin:
        return True
    if role not in COORDINATOR_GRANTABLE or region_id is None:
        return False
    regions = scope.coordinator_regions
    return region_id in regions and (opd_region_id is None or opd_region_id in regions)


def check_grant(
    user: AnyUser, *, role: str | None, region_id: str | None, opd_id: str | None
) -> tuple[Region | None, OPD | None]:
    """Check the raw role, region and OPD of a submitted grant before the form sees them.

    Another region or another region's OPD answers 404; a role a coordinator may not grant, or a
    national grant, answers 403. Values that are not ids are left for the form to reject. This
    only answers early with the right status; the service decides on the cleaned grant.
    """
    scope = manager_scope(user)
    if not scope.admin and role in Role.values and role not in COORDINATOR_GRANTABLE:
        raise PermissionDenied(GRANT_REFUSED)
    opd = opd_for_managing(user, opd_pk) if (opd_pk := _as_id(opd_id)) else None
    region = region_for_managing(user, region_pk) if (region_pk := _as_id(region_id)) else None
    if not scope.admin and region is None and opd is None and role == Role.VIEWER:
        raise PermissionDenied(GRANT_REFUSED)
    return region, opd


def _as_id(value: str | None) -> int | None:
    # Longer strings of digits overflow a database integer; they are left for the form too.
    if value and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def grantable_roles(scope: Scope) -> list[tuple[str, StrOrPromise]]:
    if scope.admin:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value in COORDINATOR_GRANTABLE]


def manageable_regions(scope: Scope) -> QuerySet[Region]:
    regions = Region.objects.with_province().order_by("code")
    if scope.admin:
        return regions
    return regions.filter(pk__in=scope.coordinator_regions)
