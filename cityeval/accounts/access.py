"""Who may see and do what. Every view fetches objects through these helpers.

Tenancy rule: an object outside a person's scope answers 404 (it does not exist for them), never
403, so that nobody can probe which regions or evaluations exist. Inside their scope, an action
their role does not allow answers 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.regions.models import OPD, Region

AnyUser = User | AnonymousUser
# Who acts in a service: a signed-in person (services store them as `created_by`, `updated_by`
# and in the audit entry). Views pass `actor_of(request)`, which narrows `request.user`.
Actor = User


@dataclass(frozen=True)
class Scope:
    """A person's grants, read once per request."""

    admin: bool
    assessor: bool
    national_viewer: bool
    coordinator_regions: frozenset[int]
    contributor_opds: frozenset[int]  # OPD ids
    contributor_regions: frozenset[int]
    viewer_regions: frozenset[int]

    @property
    def region_ids(self) -> frozenset[int]:
        """Regions whose own data this person may read as a member of the region."""
        return self.coordinator_regions | self.contributor_regions | self.viewer_regions

    @property
    def reads_everything(self) -> bool:
        return self.admin or self.national_viewer


EMPTY_SCOPE = Scope(False, False, False, frozenset(), frozenset(), frozenset(), frozenset())


def scope_of(user: AnyUser) -> Scope:
    if not user.is_authenticated:
        return EMPTY_SCOPE
    cached: Scope | None = getattr(user, "_cityeval_scope", None)
    if cached is not None:
        return cached
    grants = list(RoleGrant.objects.filter(user=user).values_list("role", "region_id", "opd_id"))
    scope = Scope(
        admin=user.is_superuser or any(role == Role.PROGRAM_ADMIN for role, _r, _o in grants),
        assessor=any(role == Role.ASSESSOR for role, _r, _o in grants),
        national_viewer=any(role == Role.VIEWER and r is None for role, r, _o in grants),
        coordinator_regions=frozenset(r for role, r, _o in grants if role == Role.COORDINATOR),
        contributor_opds=frozenset(o for role, _r, o in grants if role == Role.CONTRIBUTOR),
        contributor_regions=frozenset(r for role, r, _o in grants if role == Role.CONTRIBUTOR),
        viewer_regions=frozenset(r for role, r, _o in grants if role == Role.VIEWER and r),
    )
    user._cityeval_scope = scope  # type: ignore[attr-defined]
    return scope


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in person acting in this request. Views that write sit behind
    `login_required` or the API's token auth, so anonymous here is refused (403)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def require_admin(user: AnyUser, refusal: Exception | None = None) -> None:
    """Refuse anyone but a program admin: 403 (PermissionDenied), or `refusal` for a service
    whose callers expect a workflow error with its own message."""
    if not scope_of(user).admin:
        raise refusal if refusal is not None else PermissionDenied


AssessedRegions = Callable[[int], frozenset[int]]
_assessed_regions_rule: list[AssessedRegions] = []


def register_assessed_regions(rule: AssessedRegions) -> None:
    """Set the rule that says which regions an assessor is assigned to (by user id).

    The assignments live in `evaluations`, an app above this one; `EvaluationsConfig.ready`
    hands the rule over so the dependency runs one way (as `completeness.register_changed_rule`).
    """
    _assessed_regions_rule[:] = [rule]


def assessed_regions(user: AnyUser) -> frozenset[int]:
    """The regions an assessor evaluates in any cycle; none without the rule (fails closed)."""
    if not (scope_of(user).assessor and _assessed_regions_rule and user.pk is not None):
        return frozenset()
    return _assessed_regions_rule[0](user.pk)


def region_for_reading(user: AnyUser, region_id: int) -> Region:
    """A region whose own (non-public) data the person may read; 404 otherwise. An assessor reads
    the regions of their teams (any cycle), as they read only their teams' evaluations."""
    scope = scope_of(user)
    if not (
        scope.reads_everything
        or region_id in scope.region_ids
        or region_id in assessed_regions(user)
    ):
        raise Http404
    try:
        return Region.objects.select_related("province").get(pk=region_id)
    except Region.DoesNotExist:
        raise Http404 from None


def region_for_managing(user: AnyUser, region_id: int) -> Region:
    """A region the person coordinates (or any region for a program admin).

    Outside their scope: 404. A member of the region without the coordinator role: 403.
    """
    region = region_for_reading(user, region_id)
    require_region_manager(user, region_id)
    return region


def require_region_manager(user: AnyUser, region_id: int) -> None:
    """Refuse (403) anyone but a program admin or a coordinator of the region: the rule of
    `region_for_managing`, for services that act on a region's own data."""
    scope = scope_of(user)
    if not (scope.admin or region_id in scope.coordinator_regions):
        raise PermissionDenied


def opd_for_managing(user: AnyUser, opd_id: int) -> OPD:
    try:
        opd = OPD.objects.select_related("region").get(pk=opd_id)
    except OPD.DoesNotExist:
        raise Http404 from None
    region_for_managing(user, opd.region_id)
    return opd


def managed_regions(user: AnyUser) -> list[Region]:
    scope = scope_of(user)
    if scope.admin:
        return list(Region.objects.in_program().with_province())
    return list(Region.objects.filter(pk__in=scope.coordinator_regions).with_province())
