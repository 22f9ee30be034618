"""Who sees and plans evaluation visits, on top of `evaluations.access` and `evidence.access`.

The region's assessor team and program admins plan and write (`visit_rights(...).write`). The
region reads: its coordinators and viewers (and national viewers) always, a contributor only a
visit that invites their OPD. Everybody else gets 404, a reader who tries to write 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.evaluations.access import evaluation_for
from cityeval.evaluations.models import Evaluation
from cityeval.evidence.access import VisitRights, visit_rights
from cityeval.mentoring.models import Visit, VisitMaterial


def rights_on(user: AnyUser, visit: Visit) -> VisitRights:
    rights = visit_rights(user, visit.evaluation)
    if rights.read:
        return rights
    opds = scope_of(user).contributor_opds
    invited = bool(opds) and visit.invitations.filter(opd_id__in=opds).exists()
    return VisitRights(read=invited, write=False)


def visits_evaluation_for(user: AnyUser, pk: int, *, write: bool = False) -> Evaluation:
    """The evaluation whose visits a person lists (404) or plans (403 for readers).

    A contributor lists the visits of an evaluation they see (the list shows only the visits
    that invite their OPD, see `visible_visits`).
    """
    evaluation = evaluation_for(user, pk)
    if write:
        require_visit_writer(user, evaluation)
    return evaluation


def require_visit_writer(user: AnyUser, evaluation: Evaluation) -> None:
    """Refuse (403) anyone but the region's assessor team and program admins: the one write
    rule of the views (`visit_for(..., write=True)`) and of every service in `services.py`."""
    if not visit_rights(user, evaluation).write:
        raise PermissionDenied


def visible_visits(user: AnyUser, evaluation: Evaluation) -> list[Visit]:
    visits = Visit.objects.of_evaluation(evaluation.pk)
    if not visit_rights(user, evaluation).read:
        visits = visits.filter(invitations__opd_id__in=scope_of(user).contributor_opds).distinct()
    return list(visits)


def visit_for(user: AnyUser, pk: int, *, write: bool = False) -> Visit:
    visit = Visit.objects.filter(pk=pk).first()
    if visit is None:
        raise Http404
    visit.evaluation = evaluation_for(user, visit.evaluation_id)
    if not rights_on(user, visit).read:
        raise Http404
    if write:
        require_visit_writer(user, visit.evaluation)
    return visit


def material_for(user: AnyUser, pk: int) -> VisitMaterial:
    material = VisitMaterial.objects.filter(pk=pk, removed_at__isnull=True).first()
    if material is None:
        raise Http404
    material.visit = visit_for(user, material.visit_id)
    return material
