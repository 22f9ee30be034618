"""Fetching evidence and field visits for a person, on top of `evaluations.access`.

Evidence has exactly the visibility of its item (`evaluations.access.item_for`): a contributor
of another OPD, or anyone outside the region, gets 404. Field visits are the assessors' notes:
the team and program admins write them, the region's coordinators and viewers read them,
everyone else (contributors included) gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.access import Can, capabilities, evaluation_for, item_for
from cityeval.evaluations.models import Evaluation
from cityeval.evidence.models import Evidence, FieldVisit, FieldVisitPhoto


def evidence_for(user: AnyUser, pk: int, need: Can = Can.VIEW) -> Evidence:
    """Evidence this person sees (404 otherwise), with its item and the item's evaluation;
    403 when they see it but lack `need` on the evaluation."""
    evidence = Evidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    _evaluation, evidence.item = item_for(user, evidence.item_id, need)
    return evidence


@dataclass(frozen=True)
class VisitRights:
    read: bool
    write: bool


def visit_rights(user: AnyUser, evaluation: Evaluation) -> VisitRights:
    can = capabilities(user, evaluation)
    write = Can.REVIEW in can or Can.ADMINISTER in can
    # Region members read, except contributors: an OPD's staff has VIEW and FILL but not
    # COORDINATE; coordinators have both, viewers only VIEW.
    member = Can.VIEW in can and (Can.COORDINATE in can or Can.FILL not in can)
    return VisitRights(read=write or member, write=write)


def visits_evaluation_for(user: AnyUser, pk: int, *, write: bool = False) -> Evaluation:
    """The evaluation whose visits this person reads (404) or writes (403 for readers)."""
    evaluation = evaluation_for(user, pk)
    rights = visit_rights(user, evaluation)
    if not rights.read:
        raise Http404
    if write and not rights.write:
        raise PermissionDenied
    return evaluation


def visit_for(user: AnyUser, pk: int, *, write: bool = False) -> FieldVisit:
    visit = FieldVisit.objects.filter(pk=pk).select_related("recorded_by", "updated_by").first()
    if visit is None:
        raise Http404
    visit.evaluation = visits_evaluation_for(user, visit.evaluation_id, write=write)
    return visit


def photo_for(user: AnyUser, pk: int, *, write: bool = False) -> FieldVisitPhoto:
    photo = FieldVisitPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    photo.visit = visit_for(user, photo.visit_id, write=write)
    return photo
