"""The assessor report: read-only (printable) and its editor; the result of a final evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations.access import Can, capabilities, evaluation_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import AssessorAssignment, Evaluation
from cityeval.frameworks.dimensions import report_dimensions
from cityeval.reports.access import edit_lock_reason, report_for
from cityeval.reports.editing import StaleReportError, save_report
from cityeval.reports.editor import render_editor
from cityeval.reports.forms import ReportForm
from cityeval.reports.models import AssessorReport
from cityeval.reports.pages import report_sections, result_of


@login_required
@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = report_for(request.user, pk)
    saved = _report(evaluation)
    result = result_of(evaluation)
    can = capabilities(request.user, evaluation)
    return render(
        request,
        "reports/report.html",
        {
            "evaluation": evaluation,
            "report": saved,
            "result": result,
            "sections": report_sections(evaluation, saved, result),
            "team": AssessorAssignment.objects.filter(
                cycle_id=evaluation.cycle_id, region_id=evaluation.region_id
            )
            .select_related("user")
            .order_by("-is_lead", "user__username"),
            "can_edit": Can.REVIEW in can and not edit_lock_reason(evaluation),
        },
    )


@login_required
@require_safe
def result(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = report_for(request.user, pk)
    return render(
        request, "reports/result.html", {"evaluation": evaluation, "result": result_of(evaluation)}
    )


@login_required
@require_form
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    dimensions = report_dimensions(evaluation.cycle.framework_version)
    conflict: AssessorReport | None = None
    form: ReportForm | None = None
    if request.method == "POST":
        form = ReportForm(request.POST, dimensions=dimensions)
        if form.is_valid():
            try:
                save_report(
                    evaluation=evaluation,
                    user=actor_of(request),
                    summary=form.cleaned_data["summary"],
                    findings=form.findings(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleReportError as error:
                # Keep what the person typed; the next save is against the version now shown.
                conflict = error.current
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = ReportForm(data, dimensions=dimensions)
                form.is_valid()
                form.add_error(None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Laporan disimpan."))
                return redirect("reports:edit", pk=evaluation.pk)
    return render_editor(request, evaluation, report_form=form, conflict=conflict)


def _report(evaluation: Evaluation) -> AssessorReport | None:
    return AssessorReport.objects.filter(evaluation=evaluation).select_related("updated_by").first()
