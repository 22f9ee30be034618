"""Who reads and acts on good practices.

- A listed practice (shared, not hidden, its result published now) is for every signed-in
  person of the program: that is the point of sharing it.
- An unlisted one (withdrawn, hidden, or its result reopened) exists only for the program admin
  and the coordinators of its own region; everybody else gets 404.
- Sharing an item and withdrawing a practice: the region's coordinator (`Can.COORDINATE`;
  another region 404, a contributor or viewer of the region 403). Hiding: the program admin.
- A shared evidence file is served only as part of a practice this person may read
  (`practice_file`), never through another region's evidence download.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityeval.accounts.access import AnyUser, require_admin, scope_of
from cityeval.evidence.models import Evidence
from cityeval.library.models import GoodPractice, GoodPracticeQuerySet


def readable_practices(user: AnyUser) -> GoodPracticeQuerySet:
    scope = scope_of(user)
    if not user.is_authenticated:
        return GoodPractice.objects.none()
    if scope.admin:
        return GoodPractice.objects.all()
    own = GoodPractice.objects.active().filter(region_id__in=scope.coordinator_regions)
    return GoodPractice.objects.listed() | own


def practice_for(user: AnyUser, pk: int) -> GoodPractice:
    found = readable_practices(user).for_list().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_manage(user: AnyUser, practice: GoodPractice) -> bool:
    """The coordinator of the practice's region withdraws it."""
    return practice.region_id in scope_of(user).coordinator_regions


def require_manager(user: AnyUser, practice: GoodPractice) -> None:
    """Refuse (403) anyone but the practice region's coordinator: the rule of the withdraw
    page and of `services.withdraw_practice`."""
    if not may_manage(user, practice):
        raise PermissionDenied


def practice_for_managing(user: AnyUser, pk: int) -> GoodPractice:
    practice = practice_for(user, pk)
    require_manager(user, practice)
    return practice


def practice_for_hiding(user: AnyUser, pk: int) -> GoodPractice:
    practice = practice_for(user, pk)
    require_admin(user)
    return practice


def practice_file(user: AnyUser, pk: int, evidence_pk: int) -> Evidence:
    """A file the region chose for this practice (and still holds), for whoever reads it."""
    practice = practice_for(user, pk)
    evidence = practice.evidence.current().files().filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return evidence
