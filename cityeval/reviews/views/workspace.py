"""The assessor's queue, the review workspace of one evaluation, and its workflow steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of, scope_of
from cityeval.core.methods import require_form, require_safe
from cityeval.core.redirects import safe_next
from cityeval.evaluations.access import Can, capabilities, evaluation_for, items_for
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import EvaluationStatus, ReviewStatus
from cityeval.frameworks.axes import comparison_axis, item_filter
from cityeval.reviews.forms import ItemChoiceForm
from cityeval.reviews.queries import (
    review_queue,
    review_rows,
    status_counts,
    unreviewed_groups,
)
from cityeval.reviews.rules import REVIEWABLE
from cityeval.reviews.services import (
    bulk_accept,
    plan_bulk_accept,
    request_clarification,
    start_field_visit,
    start_review,
)

FLAGGED = "flagged"


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).assessor:
        raise PermissionDenied
    return render(request, "reviews/queue.html", {"cycles": review_queue(request.user)})


@login_required
@require_safe
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    rows = review_rows(items_for(request.user, evaluation))
    narrowing = item_filter(evaluation.cycle.framework_version)
    shown = rows
    dimension = request.GET.get("dimension", "")
    if narrowing.axis_of(dimension) is not None:
        group_of = narrowing.group_of(dimension)
        shown = [
            row
            for row in shown
            # Under a tag axis an item shows under every dimension it is tagged with.
            if dimension in row.item.indicator.tags
            or group_of.get(row.item.indicator_id) == dimension
        ]
    status = request.GET.get("status", "")
    if status == FLAGGED:
        shown = [row for row in shown if row.flagged]
    elif status in ReviewStatus.values:
        shown = [row for row in shown if row.item.review_status == status]
    counts = status_counts(row.item for row in rows)
    changed = request.GET.get("changed", "") == "1"
    if changed:
        shown = [row for row in shown if row.changed]
    return render(
        request,
        "reviews/workspace.html",
        {
            "evaluation": evaluation,
            "can": {c.value for c in capabilities(request.user, evaluation)},
            "rows": shown,
            "total": len(rows),
            "status_rows": [(value, label, counts[value]) for value, label in ReviewStatus.choices],
            "flagged_count": sum(row.flagged for row in rows),
            "changed_count": sum(row.changed for row in rows),
            "filter_axes": narrowing.axes,
            "dimensions": comparison_axis(evaluation.cycle.framework_version).names,
            "dimension": dimension,
            "statuses": ReviewStatus.choices,
            "status": status,
            "changed": changed,
            "reviewable": evaluation.status in REVIEWABLE,
        },
    )


def _workspace_url(pk: int) -> str:
    return reverse("reviews:workspace", args=[pk])


def _first_error(form: ItemChoiceForm) -> str:
    errors = form.errors.get("items") or [_("Pilih setidaknya satu butir.")]
    return str(errors[0])


@login_required
@require_POST
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the ticked items: first a confirmation naming the counts, then the verdicts."""
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    form = ItemChoiceForm(request.POST, evaluation_id=evaluation.pk)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(safe_next(request, _workspace_url(evaluation.pk)))
    if request.POST.get("confirmed") != "1":
        plan = plan_bulk_accept(evaluation=evaluation, items=form.cleaned_data["items"])
        return render(
            request,
            "reviews/bulk_confirm.html",
            {
                "evaluation": evaluation,
                "plan": plan,
                "skipped": plan.skipped_by_reason(),
                "back": safe_next(request, _workspace_url(evaluation.pk)),
            },
        )
    try:
        result = bulk_accept(
            evaluation=evaluation, items=form.cleaned_data["items"], user=actor_of(request)
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)d butir diterima.") % {"count": len(result.accepted)})
        for why, codes in _grouped(result.skipped):
            messages.warning(
                request,
                _("%(count)d butir dilewati (%(why)s): %(codes)s.")
                % {"count": len(codes), "why": why, "codes": ", ".join(codes)},
            )
    return redirect(safe_next(request, _workspace_url(evaluation.pk)))


def _grouped(skipped: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(code, why) pairs as one list of codes per reason, reasons in first-seen order."""
    grouped: dict[str, list[str]] = {}
    for code, why in skipped:
        grouped.setdefault(why, []).append(code)
    return list(grouped.items())


@login_required
@require_POST
def clarify(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    form = ItemChoiceForm(request.POST, evaluation_id=evaluation.pk)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(safe_next(request, _workspace_url(evaluation.pk)))
    try:
        request_clarification(
            evaluation=evaluation,
            items=form.cleaned_data["items"],
            message=form.cleaned_data["message"],
            user=actor_of(request),
            due_date=form.cleaned_data["due_date"],
        )
    except (WorkflowError, TransitionError) as error:
        messages.error(request, str(error))
        return redirect(safe_next(request, _workspace_url(evaluation.pk)))
    messages.success(
        request,
        _("Permintaan klarifikasi atas %(count)d butir dikirim kepada koordinator daerah.")
        % {"count": len(form.cleaned_data["items"])},
    )
    return redirect("reviews:clarification", pk=evaluation.pk)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    try:
        start_review(evaluation=evaluation, user=actor_of(request))
    except (WorkflowError, TransitionError) as error:
        messages.error(request, str(error))
        return redirect("evaluations:overview", pk=evaluation.pk)
    messages.success(request, _("Reviu dokumen dimulai."))
    return redirect("reviews:workspace", pk=evaluation.pk)


@login_required
@require_form
def field_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the items still without a verdict, each linked. POST: move to the field visit."""
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    if request.method == "POST":
        try:
            start_field_visit(evaluation=evaluation, user=actor_of(request))
        except (WorkflowError, TransitionError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tahap wawancara dan peninjauan lapangan dimulai."))
        return redirect("evaluations:overview", pk=evaluation.pk)
    groups = unreviewed_groups(evaluation)
    return render(
        request,
        "reviews/field_visit_confirm.html",
        {
            "evaluation": evaluation,
            "groups": groups,
            "unreviewed": sum(len(items) for _status, items in groups),
            "waiting": sum(
                len(items) for status, items in groups if status == ReviewStatus.CLARIFICATION
            ),
            "can_move": evaluation.status == EvaluationStatus.DOCUMENT_REVIEW,
        },
    )
