"""Access to evaluations and their items, on top of `cityeval.accounts.access`.

Out of scope answers 404; in scope but not allowed answers 403 (see accounts/access.py).
"""

from __future__ import annotations

import enum
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.evaluations.models import (
    AssessorAssignment,
    Evaluation,
    EvaluationQuerySet,
    EvaluationStatus,
    ItemValue,
    ItemValueQuerySet,
    ReviewStatus,
)


class Can(enum.StrEnum):
    VIEW = "view"  # read the evaluation, its items and evidence
    FILL = "fill"  # enter self-assessment values (further limited per item)
    COORDINATE = "coordinate"  # assign items to OPDs, submit, answer clarifications
    REVIEW = "review"  # assessor on the region's team in this cycle
    LEAD = "lead"  # the team's lead assessor: finalise
    ADMINISTER = "administer"  # program admin: publish, reopen, lock exceptions


def visible_evaluations(user: AnyUser) -> EvaluationQuerySet:
    scope = scope_of(user)
    evaluations = Evaluation.objects.with_region()
    if scope.reads_everything:
        return evaluations
    condition = Q(region_id__in=scope.region_ids)
    if scope.assessor:
        condition |= Q(
            Exists(
                AssessorAssignment.objects.filter(
                    cycle_id=OuterRef("cycle_id"), region_id=OuterRef("region_id"), user=user.pk
                )
            )
        )
    return evaluations.filter(condition)


def evaluation_for(user: AnyUser, pk: int, need: Can = Can.VIEW) -> Evaluation:
    try:
        evaluation = visible_evaluations(user).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    if need not in capabilities(user, evaluation):
        raise PermissionDenied
    return evaluation


def capabilities(user: AnyUser, evaluation: Evaluation) -> frozenset[Can]:
    """What the person may do with the evaluation; remembered on the instance for the request.

    A view asks several times (the access check, the template, the item lists); roles do not
    change within a request, so the assessor-team query runs once.
    """
    cache: dict[int | None, frozenset[Can]] = evaluation.__dict__.setdefault("_capabilities", {})
    if user.pk not in cache:
        cache[user.pk] = _capabilities(user, evaluation)
    return cache[user.pk]


def _capabilities(user: AnyUser, evaluation: Evaluation) -> frozenset[Can]:
    scope = scope_of(user)
    granted = set()
    if not user.is_authenticated:
        return frozenset()
    region = evaluation.region_id
    if scope.reads_everything or region in scope.region_ids:
        granted.add(Can.VIEW)
    if scope.admin:
        granted.add(Can.ADMINISTER)
    if region in scope.coordinator_regions:
        granted |= {Can.FILL, Can.COORDINATE}
    if region in scope.contributor_regions:
        granted.add(Can.FILL)
    if scope.assessor:
        team = AssessorAssignment.objects.filter(
            cycle_id=evaluation.cycle_id, region_id=region, user=user.pk
        ).values_list("is_lead", flat=True)
        for is_lead in team:
            granted |= {Can.VIEW, Can.REVIEW}
            if is_lead:
                granted.add(Can.LEAD)
    return frozenset(granted)


def require_can(user: AnyUser, evaluation: Evaluation, need: Can) -> None:
    """Refuse (403) a person without `need` on an evaluation: the check of `evaluation_for`,
    for services that are handed the evaluation."""
    if need not in capabilities(user, evaluation):
        raise PermissionDenied


def entry_lock_reason(evaluation: Evaluation, today: date | None = None) -> str:
    """Why the region cannot enter data now ('' when it can)."""
    status = EvaluationStatus(evaluation.status)
    if status not in (EvaluationStatus.SELF_ASSESSMENT, EvaluationStatus.CLARIFICATION):
        return _("Terkunci: evaluasi berstatus “%(status)s”.") % {"status": status.label}
    deadline = evaluation.entry_deadline
    today = today or timezone.localdate()
    if status == EvaluationStatus.SELF_ASSESSMENT and deadline is not None and today > deadline:
        return _("Terkunci: batas penilaian mandiri %(date)s sudah lewat.") % {
            "date": date_format(deadline, "DATE_FORMAT")
        }
    return ""


def item_lock_reason(
    user: AnyUser, item: ItemValue, evaluation: Evaluation, *, asked: bool = False
) -> str:
    """Why this person cannot change this item's self-assessment now ('' when they can).

    `asked`: the caller established that the person's OPD was asked for data on this item (an
    open data request of `discussions`); the OPD rule gives way, the entry lock still holds."""
    reason = entry_lock_reason(evaluation)
    if reason:
        return reason
    if (
        evaluation.status == EvaluationStatus.CLARIFICATION
        and item.review_status != ReviewStatus.CLARIFICATION
    ):
        return _("Terkunci: hanya butir yang diminta klarifikasi yang dibuka kembali.")
    if asked:
        return ""
    scope = scope_of(user)
    if evaluation.region_id in scope.coordinator_regions:
        return ""
    if item.opd_id is not None and item.opd_id in scope.contributor_opds:
        return ""
    return _("Butir ini tidak ditugaskan kepada perangkat daerah Anda.")


def items_for(user: AnyUser, evaluation: Evaluation) -> list[ItemValue]:
    """The items this person sees: contributors see their OPD's items, others all of them."""
    return list(visible_items(user, evaluation))


def visible_items(user: AnyUser, evaluation: Evaluation) -> ItemValueQuerySet:
    """`items_for` as a queryset, for pages that annotate more (e.g. the evidence state)."""
    items = ItemValue.objects.filter(evaluation=evaluation).for_list()
    if Can.REVIEW in capabilities(user, evaluation):  # already known for the request
        return items
    return items.filter(item_scope(user))


def item_scope(user: AnyUser) -> Q:
    """Which items this person sees, as a filter on items of any evaluation: the one rule of
    `items_for`, also applied across a cycle's regions (the exports).

    Everything for the ministry side; every item of their regions for a region's coordinators
    and viewers and of their teams' regions for an assessor; their OPD's items for a contributor.
    """
    scope = scope_of(user)
    if scope.reads_everything:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    condition = Q(evaluation__region_id__in=scope.coordinator_regions | scope.viewer_regions)
    condition |= Q(opd_id__in=list(scope.contributor_opds))
    if scope.assessor:
        team = AssessorAssignment.objects.filter(
            cycle_id=OuterRef("evaluation__cycle_id"),
            region_id=OuterRef("evaluation__region_id"),
            user=user.pk,
        )
        condition |= Q(Exists(team))
    return condition


def item_for(
    user: AnyUser, item_pk: int, need: Can = Can.VIEW, *, evaluation_pk: int | None = None
) -> tuple[Evaluation, ItemValue]:
    """One item this person sees, with its evaluation, fetched by primary key.

    404 when the item does not exist, is not in `evaluation_pk` (for URLs nested under an
    evaluation), lies outside the person's scope, or belongs to another OPD (contributors see
    their OPD's items only: the same rule as `visible_items`); 403 when the person sees the
    item but lacks `need`. The query count does not grow with the evaluation's item count.
    """
    # The one item rule (`item_scope`, as `visible_items` applies it): another OPD's item is 404.
    items = ItemValue.objects.for_list().filter(item_scope(user), pk=item_pk)
    if evaluation_pk is not None:
        items = items.filter(evaluation_id=evaluation_pk)
    item = items.first()
    if item is None:
        raise Http404
    evaluation = evaluation_for(user, item.evaluation_id)
    if need not in capabilities(user, evaluation):
        raise PermissionDenied
    item.evaluation = evaluation
    return evaluation, item
