"""Which evaluations of a cycle a person may export.

Everybody (anonymous included) gets the published evaluations: their results are open data.
On top of that a person gets what they may already read inside the application
(`visible_evaluations`): everything for a program admin or a national viewer, their own regions
for a region's members, their teams' regions for an assessor. A cycle in which a person can see
nothing answers 404, so that nobody learns which unpublished cycles exist.

These are the ROWS a person gets; which of them carry a result (index, predicate, dimension
indices) and verified values is the one policy's answer (`evaluations.visibility`): a region's
own unpublished row shows its status and self-assessed values only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.http import Http404

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.evaluations.access import item_scope, visible_evaluations
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationQuerySet, EvaluationStatus
from cityeval.evaluations.visibility import results_visible
from cityeval.results.models import ResultSnapshot


def exportable_evaluations(user: AnyUser, cycle: Cycle) -> EvaluationQuerySet:
    """The cycle's evaluations this person may export (one query when evaluated)."""
    evaluations = Evaluation.objects.with_region().select_related("region__cohort")
    in_cycle = evaluations.filter(cycle=cycle)
    scope = scope_of(user)
    if scope.reads_everything:
        return in_cycle
    published = Q(status=EvaluationStatus.PUBLISHED)
    if not user.is_authenticated:
        return in_cycle.filter(published)
    own = visible_evaluations(user).filter(cycle=cycle).values("pk")
    return in_cycle.filter(published | Q(pk__in=own))


def exportable_items(user: AnyUser, cycle: Cycle) -> Q:
    """Which item rows of the exportable evaluations a person gets: every item of a result
    open to the public (`results_visible` for an anonymous reader, the one policy), plus the
    items the person sees in the application (`item_scope`, the rule of `items_for`: a
    contributor sees only their OPD's items of an unpublished evaluation)."""
    seen = item_scope(user)
    if not seen:  # Q(): every item (and `Q() | x` would be x alone)
        return seen
    return results_visible(AnonymousUser(), via="evaluation__") | seen


def cycle_for_export(user: AnyUser, cycle_id: int) -> Cycle:
    """The cycle, if the person may export anything of it; 404 otherwise."""
    try:
        cycle = Cycle.objects.select_related("framework_version").get(pk=cycle_id)
    except Cycle.DoesNotExist:
        raise Http404 from None
    if scope_of(user).reads_everything:
        return cycle
    if not exportable_evaluations(user, cycle).exists():
        raise Http404
    return cycle


def public_cycles() -> list[Cycle]:
    """Cycles with at least one published result, newest first, with `published_count` set."""
    # Counted per cycle in a subquery whose "has a published result" test reads the partial
    # unique index of current snapshots: joining the snapshots read every snapshot row (their
    # JSON included) of every cycle on each public page, a cost that grew with the history.
    result = ResultSnapshot.objects.published().filter(evaluation=OuterRef("pk"))
    published = (
        Evaluation.objects.filter(cycle=OuterRef("pk"))
        .filter(Exists(result))
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Cycle.objects.select_related("framework_version")
        .annotate(published_count=Subquery(published, output_field=IntegerField()))
        .filter(published_count__gt=0)
        .order_by("-year", "-round", "program")
    )
