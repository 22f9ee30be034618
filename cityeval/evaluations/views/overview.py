"""A person's evaluations, one evaluation's overview, and its submission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations import completeness, progress
from cityeval.evaluations.access import (
    Can,
    capabilities,
    entry_lock_reason,
    evaluation_for,
    visible_items,
)
from cityeval.evaluations.access import visible_evaluations as visible
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.forms_list import PAGE_SIZE, EvaluationFilterForm
from cityeval.evaluations.models import AssessorAssignment, EvaluationStatus
from cityeval.evaluations.programs import sync_program_items
from cityeval.evaluations.services import submit_evaluation
from cityeval.evaluations.views.gaps import changed_ids, grouping
from cityeval.frameworks.axes import uses_masterplan

STEPS = [
    EvaluationStatus.SELF_ASSESSMENT,
    EvaluationStatus.SUBMITTED,
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.FIELD_VISIT,
    EvaluationStatus.FINALISED,
    EvaluationStatus.PUBLISHED,
]


@login_required
@require_safe
def my_evaluations(request: HttpRequest) -> HttpResponse:
    """The evaluations this person may open, filtered, searched, one page at a time."""
    form = EvaluationFilterForm(request.GET or None)
    evaluations = form.apply(visible(request.user)).order_by(
        "-cycle__year", "-cycle__round", "region__code", "pk"
    )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "evaluations/my_evaluations.html",
        {"form": form, "page": page, "query": kept.urlencode()},
    )


@login_required
@require_safe
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    can = capabilities(request.user, evaluation)
    items = list(visible_items(request.user, evaluation).with_evidence_state())
    groups = grouping(evaluation)
    changed = changed_ids(items)
    team = AssessorAssignment.objects.filter(
        cycle_id=evaluation.cycle_id, region_id=evaluation.region_id
    ).select_related("user")
    current = STEPS.index(EvaluationStatus(evaluation.status))
    return render(
        request,
        "evaluations/overview.html",
        {
            "evaluation": evaluation,
            "can": {c.value for c in can},
            "steps": [(step, i < current, i == current) for i, step in enumerate(STEPS)],
            "lock_reason": entry_lock_reason(evaluation),
            "overall": progress.overall(evaluation),
            "by_opd": completeness.by_opd(items, changed),
            "by_group": completeness.by_group(items, groups.names, groups.group_of, changed),
            "group_heading": groups.heading,
            "team": team,
            "uses_masterplan": uses_masterplan(evaluation.cycle.framework_version),
        },
    )


@login_required
@require_form
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what is still missing, and a confirmation that names it. POST: submit anyway.

    Gaps never block: submitting with empty items or without evidence is the coordinator's call.
    """
    evaluation = evaluation_for(request.user, pk, Can.COORDINATE)
    if request.method == "POST":
        try:
            submit_evaluation(evaluation=evaluation, user=actor_of(request))
        except (WorkflowError, TransitionError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Penilaian mandiri telah diserahkan kepada asesor."))
        return redirect("evaluations:overview", pk=evaluation.pk)
    items = list(visible_items(request.user, evaluation).with_evidence_state())
    summary = completeness.whole(items, set())
    # Empty items computed from the masterplan registry are filled by the submission itself.
    computed = sum(
        item.self_value is None and item.indicator.data_source == "programs" for item in items
    )
    return render(
        request,
        "evaluations/submit.html",
        {
            "evaluation": evaluation,
            "summary": summary,
            "by_opd": completeness.by_opd(items, set()),
            "confirmation": submit_confirmation(summary, computed),
            "computed": computed,
            "can_submit": evaluation.status == EvaluationStatus.SELF_ASSESSMENT,
        },
    )


def submit_confirmation(summary: completeness.Gaps, computed: int) -> str:
    """The question before submitting, naming what is missing."""
    text = _(
        "Serahkan %(total)d butir kepada asesor? %(empty)d butir belum diisi dan "
        "%(no_evidence)d butir terisi tanpa bukti dukung. Setelah diserahkan, isian terkunci."
    ) % {"total": summary.total, "empty": summary.empty, "no_evidence": summary.no_evidence}
    if computed:
        text += " " + _(
            "Dari butir yang belum diisi, %(count)d dihitung dari daftar program masterplan "
            "saat diserahkan."
        ) % {"count": computed}
    return text


@login_required
@require_POST
def refresh_programs(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.COORDINATE)
    lock_reason = entry_lock_reason(evaluation)
    if lock_reason:
        messages.error(request, lock_reason)
    else:
        changed = sync_program_items(evaluation=evaluation, user=actor_of(request))
        messages.success(
            request,
            _("%(count)d butir diperbarui dari daftar program masterplan.") % {"count": changed},
        )
    return redirect("evaluations:overview", pk=evaluation.pk)
