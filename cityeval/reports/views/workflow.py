"""Finalisation (lead assessor), publication and reopening (program admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityeval.accounts.access import actor_of, require_admin
from cityeval.core.methods import require_form, require_safe
from cityeval.core.numbers import figure, places_of
from cityeval.evaluations.access import Can, evaluation_for
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue
from cityeval.reports.forms import ReopenForm
from cityeval.reports.models import AssessorReport
from cityeval.reports.scores import score_evaluation
from cityeval.reports.services import (
    UNSETTLED,
    finalise_evaluation,
    publish_cycle,
    publish_evaluation,
    reopen_evaluation,
    unsettled_problem,
)
from cityeval.results.models import ResultSnapshot
from cityeval.reviews.queries import items_by_status
from scoring.errors import ScoringError

S = EvaluationStatus


@login_required
@require_form
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """A preview of the figures the verified values give now, and the button that fixes them."""
    evaluation = evaluation_for(request.user, pk, Can.LEAD)
    if request.method == "POST":
        try:
            snapshot = finalise_evaluation(evaluation=evaluation, user=actor_of(request))
        except (WorkflowError, TransitionError) as error:
            messages.error(request, str(error))
            return redirect("reports:finalise", pk=evaluation.pk)
        messages.success(
            request,
            _("Evaluasi difinalkan. Indeks: %(index)s.")
            % {"index": figure(snapshot.index, places_of(evaluation.cycle.framework_version))},
        )
        return redirect("reports:result", pk=evaluation.pk)
    version = evaluation.cycle.framework_version
    blocking = items_by_status(
        ItemValue.objects.filter(evaluation=evaluation).unsettled().for_list(), UNSETTLED
    )
    preview, preview_error = None, ""
    try:
        preview = score_evaluation(evaluation).score
    except ScoringError as error:
        preview_error = str(error)
    return render(
        request,
        "reports/finalise.html",
        {
            "evaluation": evaluation,
            "problem": unsettled_problem(evaluation),
            "blocking": blocking,
            "blocking_count": sum(len(items) for _status, items in blocking),
            "preview": preview,
            "preview_error": preview_error,
            "predicate": version.predicate_label(preview.predicate) if preview else "",
            "missing": list(preview.missing) if preview else [],
            "has_report": AssessorReport.objects.filter(evaluation=evaluation).exists(),
            "can_finalise": evaluation.status == S.FIELD_VISIT,
        },
    )


@login_required
@require_form
def publish_one(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what publishing this result does, to confirm (as reopening asks); POST: publish."""
    evaluation = evaluation_for(request.user, pk, Can.ADMINISTER)
    if request.method != "POST":
        snapshot = ResultSnapshot.objects.current().filter(evaluation=evaluation).first()
        return render(
            request,
            "reports/publish_confirm.html",
            {
                "evaluation": evaluation,
                "snapshot": snapshot,
                "predicate": evaluation.cycle.framework_version.predicate_label(snapshot.predicate)
                if snapshot
                else "",
                "back": request.GET.get("back", ""),
            },
        )
    try:
        publish_evaluation(evaluation=evaluation, user=actor_of(request))
    except (WorkflowError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Hasil evaluasi %(region)s dipublikasikan.")
            % {"region": evaluation.region.full_name},
        )
    if request.POST.get("back") == "cycle":
        return redirect("reports:publish", cycle_pk=evaluation.cycle_id)
    return redirect("evaluations:overview", pk=evaluation.pk)


@login_required
@require_form
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.ADMINISTER)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reopen_evaluation(
                evaluation=evaluation, user=actor_of(request), reason=form.cleaned_data["reason"]
            )
        except (WorkflowError, TransitionError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Evaluasi dibuka kembali ke tahap reviu dokumen. Hasil lama disimpan.")
            )
            return redirect("evaluations:overview", pk=evaluation.pk)
    return render(request, "reports/reopen.html", {"evaluation": evaluation, "form": form})


@login_required
@require_safe
def cycles(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    rows = Cycle.objects.select_related("framework_version").annotate(
        total=Count("evaluations"),
        finalised=Count("evaluations", filter=Q(evaluations__status=S.FINALISED)),
        published=Count("evaluations", filter=Q(evaluations__status=S.PUBLISHED)),
    )
    return render(request, "reports/cycles.html", {"cycles": rows})


@login_required
@require_form
def publish(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """A cycle's finalised and published evaluations, to publish one by one or all at once."""
    require_admin(request.user)
    cycle = get_object_or_404(Cycle.objects.select_related("framework_version"), pk=cycle_pk)
    if request.method == "POST":
        try:
            count = publish_cycle(cycle=cycle, user=actor_of(request))
        except (WorkflowError, TransitionError) as error:
            messages.error(request, str(error))
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d hasil evaluasi dipublikasikan.",
                        "%(count)d hasil evaluasi dipublikasikan.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Tidak ada evaluasi final yang menunggu publikasi."))
        return redirect("reports:publish", cycle_pk=cycle.pk)
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle, status__in=[S.FINALISED, S.PUBLISHED])
        .select_related("region__province")
        .order_by("status", "region__code")
    )
    snapshots = {
        s.evaluation_id: s
        for s in ResultSnapshot.objects.current().filter(evaluation__in=evaluations)
    }
    rows = []
    for evaluation in evaluations:
        snapshot = snapshots.get(evaluation.pk)
        code = snapshot.predicate if snapshot else ""
        label = cycle.framework_version.predicate_label(code)
        rows.append((evaluation, snapshot, label))
    return render(
        request,
        "reports/publish.html",
        {
            "cycle": cycle,
            "rows": rows,
            "waiting": sum(1 for e in evaluations if e.status == S.FINALISED),
        },
    )
