"""The items of a self-assessment: the list (with assignment to OPDs) and one item's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityeval.accounts.access import AnyUser, actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.core.redirects import safe_next
from cityeval.evaluations import completeness
from cityeval.evaluations.access import (
    Can,
    capabilities,
    evaluation_for,
    item_lock_reason,
    visible_items,
)
from cityeval.evaluations.drafts import kept_self_assessment
from cityeval.evaluations.errors import StaleEditError, WorkflowError
from cityeval.evaluations.forms import AssignItemsForm, SelfAssessmentForm
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evaluations.services import assign_items, save_self_assessment
from cityeval.evaluations.views.gaps import changed_ids, grouping
from cityeval.evaluations.visibility import review_note_for, verdict_kinds
from cityeval.frameworks.axes import item_filter, item_place, scale_labels
from cityeval.regions.models import OPD


@login_required
@require_safe
def item_list(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    can = capabilities(request.user, evaluation)
    visible = list(visible_items(request.user, evaluation).with_evidence_state())
    groups = grouping(evaluation)
    narrowing = item_filter(evaluation.cycle.framework_version)
    changed = changed_ids(visible)
    dimension = request.GET.get("dimension", "")
    state = request.GET.get("state", "")
    opd = request.GET.get("opd", "")
    items = completeness.select(
        visible,
        state=state,
        group=dimension,
        group_of=narrowing.group_of(dimension) if dimension else groups.group_of,
        opd=opd,
        changed=changed,
    )
    return render(
        request,
        "evaluations/item_list.html",
        {
            "evaluation": evaluation,
            "items": items,
            "can": {c.value for c in can},
            "dimensions": groups.names,
            "filter_axes": narrowing.axes,
            "group_heading": groups.heading,
            "dimension": dimension,
            "state": state,
            "states": completeness.FILTER_LABELS.items(),
            "opd": opd,
            "unassigned": completeness.UNASSIGNED,
            "opds": OPD.objects.filter(region_id=evaluation.region_id, active=True),
            "whole": completeness.whole(visible, changed),
            "by_opd": completeness.by_opd(visible, changed),
            "by_group": completeness.by_group(visible, groups.names, groups.group_of, changed),
            "changed": changed,
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.COORDINATE)
    form = AssignItemsForm(
        request.POST, evaluation_id=evaluation.pk, region_id=evaluation.region_id
    )
    if not form.is_valid():
        messages.error(request, _("Pilih butir dan perangkat daerah yang valid."))
    else:
        try:
            count = assign_items(
                evaluation=evaluation,
                items=form.cleaned_data["items"],
                opd=form.cleaned_data["opd"],
                user=actor_of(request),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)d butir ditugaskan.") % {"count": count})
    return redirect(safe_next(request, f"/evaluations/{evaluation.pk}/items/"))


def _item(user: AnyUser, evaluation: Evaluation, item_pk: int) -> ItemValue:
    """One of the items this person sees (contributors: their OPD's only); 404 otherwise.

    One row by its key under the rule of `visible_items`, not the whole list: a save (the
    busiest write near a deadline) needs only its item."""
    item = visible_items(user, evaluation).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return item


@login_required
@require_form
def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    item = _item(request.user, evaluation, item_pk)
    lock_reason = item_lock_reason(request.user, item, evaluation)
    can = capabilities(request.user, evaluation)
    can_fill = Can.FILL in can and not lock_reason
    conflict: ItemValue | None = None
    if request.method == "POST":
        if not can_fill:
            messages.error(request, lock_reason or _("Anda tidak dapat mengubah butir ini."))
            return redirect("evaluations:item", pk=evaluation.pk, item_pk=item.pk)
        form = SelfAssessmentForm(request.POST, indicator=item.indicator)
        if form.is_valid():
            try:
                save_self_assessment(
                    item=item,
                    user=actor_of(request),
                    value=form.cleaned_data["value"],
                    narrative=form.cleaned_data["narrative"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEditError as error:
                # Keep what the person typed; show the newer saved value beside it.
                conflict = error.current
                # The next save is against the version the person has now seen.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = SelfAssessmentForm(data, indicator=item.indicator)
                form.is_valid()
                form.add_error(None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Butir disimpan."))
                return redirect("evaluations:item", pk=evaluation.pk, item_pk=item.pk)
    elif kept := kept_self_assessment(request, item):
        # An evidence action could not save what was typed here: show it again, unsaved.
        form, conflict = kept
    else:
        form = SelfAssessmentForm(
            initial=SelfAssessmentForm.initial_for(item), indicator=item.indicator
        )
    names = scale_labels(evaluation.cycle.framework_version)
    levels = [
        (level, names.get(level, ""), item.indicator.rubric(level), item.indicator.evidence(level))
        for level in sorted(int(key) for key in item.indicator.levels)
    ]
    siblings = list(visible_items(request.user, evaluation).values_list("pk", flat=True))
    position = siblings.index(item.pk)
    return render(
        request,
        "evaluations/item_detail.html",
        {
            "evaluation": evaluation,
            "item": item,
            "form": form,
            "levels": levels,
            "place": item_place(item.indicator, evaluation.cycle.framework_version),
            "can_fill": can_fill,
            "lock_reason": lock_reason,
            "conflict": conflict,
            "previous_pk": siblings[position - 1] if position > 0 else None,
            "next_pk": siblings[position + 1] if position + 1 < len(siblings) else None,
            "can": {c.value for c in can},
            "review_note": review_note_for(request.user, item, evaluation),
            "verdict_kinds": verdict_kinds(request.user, evaluation),
        },
    )
