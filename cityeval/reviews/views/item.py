"""One item under review: the region's claim beside the rubric and the verdict forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form
from cityeval.evaluations.access import Can, capabilities, evaluation_for, visible_items
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue, ReviewStatus
from cityeval.frameworks.axes import item_place, scale_labels
from cityeval.reviews.changes import changes_for
from cityeval.reviews.evidence import current_evidence
from cityeval.reviews.forms import AcceptForm, AdjustForm, FlagForm
from cityeval.reviews.queries import previous_verified
from cityeval.reviews.rules import REVIEWABLE, StaleVerdictError, flagged_item_ids
from cityeval.reviews.services import accept_item, adjust_item, flag_item

ACTIONS = ("accept", "adjust", "flag")


def _blank_forms(item: ItemValue) -> dict[str, forms.Form]:
    initial = {"version": item.version}
    adjust_initial: dict[str, Any] = {**initial, "reason": item.review_note}
    if item.review_status == ReviewStatus.ADJUSTED and item.verified_value is not None:
        value = item.verified_value
        adjust_initial["value"] = str(int(value)) if item.indicator.kind == "maturity" else value
    return {
        "accept": AcceptForm(initial=initial),
        "adjust": AdjustForm(initial=adjust_initial, indicator=item.indicator),
        "flag": FlagForm(),
    }


def _bound_form(action: str, data: Any, item: ItemValue) -> forms.Form:
    if action == "accept":
        return AcceptForm(data)
    if action == "adjust":
        return AdjustForm(data, indicator=item.indicator)
    return FlagForm(data)


def _decide(request: HttpRequest, action: str, form: forms.Form, item: ItemValue) -> str:
    """Call the service for this verdict; the success message."""
    data = form.cleaned_data
    code = item.indicator.code
    if action == "accept":
        accept_item(item=item, user=actor_of(request), expected_version=data["version"])
        return _("Butir %(code)s diterima.") % {"code": code}
    if action == "adjust":
        adjust_item(
            item=item,
            user=actor_of(request),
            verified_value=data["value"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return _("Butir %(code)s disesuaikan.") % {"code": code}
    flag_item(item=item, user=actor_of(request), question=data["question"])
    return _("Pertanyaan atas butir %(code)s dicatat untuk permintaan klarifikasi.") % {
        "code": code
    }


@login_required
@require_form
def review_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    # The item with its indicator; the others only as (pk, status) in order, for the
    # navigation and the next-item jump (not every row with its indicator's rubrics).
    visible = visible_items(request.user, evaluation)
    item = visible.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    order = list(visible.values_list("pk", "review_status"))
    forms_by_action = _blank_forms(item)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponseBadRequest(_("Keputusan tidak dikenal."))
        form = _bound_form(action, request.POST, item)
        if form.is_valid():
            try:
                success = _decide(request, action, form, item)
            except StaleVerdictError as error:
                # Keep what the assessor entered, against the version now shown beside it.
                data = request.POST.copy()
                data["version"] = str(error.current.version)
                form = _bound_form(action, data, item)
                form.is_valid()
                form.add_error(None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, success)
                return redirect(_after_verdict(evaluation, item, order))
        forms_by_action[action] = form
        # Show the state the refusal was about (re-read only: access was checked above).
        item = evaluation.items.for_list().get(pk=item.pk)
        if action != "accept":
            forms_by_action["accept"] = AcceptForm(initial={"version": item.version})
    context = _context(request, evaluation, item, forms_by_action, [pk for pk, _s in order])
    return render(request, "reviews/item.html", context)


def _context(
    request: HttpRequest,
    evaluation: Evaluation,
    item: ItemValue,
    forms_by_action: dict[str, forms.Form],
    siblings: list[int],
) -> dict[str, Any]:
    indicator = item.indicator
    claimed = int(item.self_value) if indicator.kind == "maturity" and item.self_value else None
    verified = (
        int(item.verified_value) if indicator.kind == "maturity" and item.verified_value else None
    )
    names = scale_labels(evaluation.cycle.framework_version)
    levels = [
        {
            "level": level,
            "name": names.get(level, ""),
            "rubric": indicator.rubric(level),
            "evidence": indicator.evidence(level),
            "claimed": level == claimed,
            "verified": level == verified,
        }
        for level in sorted(int(key) for key in indicator.levels)
    ]
    position = siblings.index(item.pk)
    return {
        "evaluation": evaluation,
        "item": item,
        "levels": levels,
        "place": item_place(indicator, evaluation.cycle.framework_version),
        "evidence": current_evidence(item),
        "previous": previous_verified(item, evaluation),
        "verdicts": item.verdicts.select_related("created_by").order_by("-created_at", "-pk"),
        "change": changes_for([item]).get(item.pk),
        "flagged": item.pk in flagged_item_ids([item.pk]),
        "forms": forms_by_action,
        "reviewable": evaluation.status in REVIEWABLE,
        "position": position + 1,
        "count": len(siblings),
        "previous_pk": siblings[position - 1] if position > 0 else None,
        "next_pk": siblings[position + 1] if position + 1 < len(siblings) else None,
        "can": {c.value for c in capabilities(request.user, evaluation)},
    }


def _after_verdict(evaluation: Evaluation, item: ItemValue, order: list[tuple[int, str]]) -> str:
    """The next item still waiting for a verdict, after this one in order (then from the top).

    `order` ((pk, review status) of the visible items) was read before the verdict; only this
    item changed, and it is skipped anyway.
    """
    waiting = {ReviewStatus.PENDING, ReviewStatus.ANSWERED}
    index = next(i for i, (pk, _status) in enumerate(order) if pk == item.pk)
    for pk, status in order[index + 1 :] + order[:index]:
        if status in waiting:
            return reverse("reviews:item", args=[evaluation.pk, pk])
    return reverse("reviews:workspace", args=[evaluation.pk])
