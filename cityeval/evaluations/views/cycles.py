"""The program admin's cycle pages: open a cycle, follow its progress, form assessor teams."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of, require_admin
from cityeval.accounts.models import User
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.forms_cycles import AssessorForm, EntryExceptionForm, OpenCycleForm
from cityeval.evaluations.models import AssessorAssignment, Cycle, Evaluation, EvaluationStatus
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    grant_entry_exception,
    open_cycle,
)
from cityeval.regions.models import Region


@login_required
@require_safe
def cycle_list(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    cycles = Cycle.objects.select_related("framework_version").annotate(
        participants=Count("evaluations"),
        published=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.PUBLISHED)),
    )
    return render(request, "evaluations/cycle_list.html", {"cycles": cycles})


@login_required
@require_form
def cycle_open(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = OpenCycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = open_cycle(
                year=data["year"],
                round=data["round"],
                framework_version=data["framework_version"],
                regions=data["regions"],
                deadlines=Deadlines(
                    self_assessment=data["self_assessment_deadline"],
                    review=data["review_deadline"],
                    field_visit=data["field_visit_deadline"],
                    finalisation=data["finalisation_deadline"],
                ),
                user=actor_of(request),
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Siklus dibuka dengan %(count)d daerah peserta.")
                % {"count": len(data["regions"])},
            )
            return redirect("evaluations:cycle", pk=cycle.pk)
    return render(request, "evaluations/cycle_open.html", {"form": form})


@login_required
@require_safe
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    cycle = get_object_or_404(Cycle.objects.select_related("framework_version"), pk=pk)
    evaluations = list(Evaluation.objects.in_cycle(cycle).with_region().order_by("region__code"))
    teams: dict[int, list[AssessorAssignment]] = {}
    for assignment in AssessorAssignment.objects.filter(cycle=cycle).select_related("user"):
        teams.setdefault(assignment.region_id, []).append(assignment)
    counts = {status: 0 for status in EvaluationStatus}
    for evaluation in evaluations:
        counts[EvaluationStatus(evaluation.status)] += 1
    today = timezone.localdate()
    overdue = [
        e
        for e in evaluations
        if e.status == EvaluationStatus.SELF_ASSESSMENT
        and e.entry_deadline is not None
        and e.entry_deadline < today
    ]
    return render(
        request,
        "evaluations/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": [(e, teams.get(e.region_id, [])) for e in evaluations],
            "counts": [(status, counts[status]) for status in EvaluationStatus],
            "overdue": overdue,
            "assessor_form": AssessorForm(region_ids=[e.region_id for e in evaluations]),
        },
    )


@login_required
@require_POST
def cycle_assign(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    cycle = get_object_or_404(Cycle, pk=pk)
    region_ids = list(cycle.evaluations.values_list("region_id", flat=True))
    form = AssessorForm(request.POST, region_ids=region_ids)
    if form.is_valid():
        assessor, regions = form.cleaned_data["assessor"], form.cleaned_data["regions"]
        is_lead = form.cleaned_data["is_lead"]
        replaced = _leads_replaced(cycle, regions, assessor) if is_lead else []
        for region in regions:
            assign_assessor(
                cycle=cycle,
                region=region,
                assessor=assessor,
                is_lead=is_lead,
                user=actor_of(request),
            )
        messages.success(request, _("Tim asesor diperbarui."))
        for assignment in replaced:
            messages.info(
                request,
                _(
                    "%(new)s menggantikan %(old)s sebagai ketua tim %(region)s; "
                    "%(old)s tetap anggota tim."
                )
                % {"new": assessor, "old": assignment.user, "region": assignment.region},
            )
    else:
        messages.error(request, _("Pilih asesor dan setidaknya satu daerah."))
    return redirect("evaluations:cycle", pk=cycle.pk)


def _leads_replaced(
    cycle: Cycle, regions: list[Region], assessor: User
) -> list[AssessorAssignment]:
    """The present leads of these regions that naming `assessor` lead will replace."""
    return list(
        AssessorAssignment.objects.filter(cycle=cycle, region__in=regions, is_lead=True)
        .exclude(user=assessor)
        .select_related("user", "region")
        .order_by("region__code")
    )


@login_required
@require_POST
def entry_exception(request: HttpRequest, pk: int) -> HttpResponse:
    require_admin(request.user)
    evaluation = get_object_or_404(Evaluation, pk=pk)
    form = EntryExceptionForm(request.POST)
    if form.is_valid():
        try:
            grant_entry_exception(
                evaluation=evaluation,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                user=actor_of(request),
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Pengecualian batas waktu disimpan."))
    return redirect("evaluations:overview", pk=evaluation.pk)
