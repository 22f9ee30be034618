"""The summary and findings a recommendation action carries along (`cityeval/core/drafts.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.drafts import carried, keep_draft, take_draft
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation
from cityeval.frameworks.dimensions import report_dimensions
from cityeval.reports.editing import StaleReportError, save_report
from cityeval.reports.forms import ReportForm
from cityeval.reports.models import AssessorReport


def _name(evaluation: Evaluation) -> str:
    return f"report-{evaluation.pk}"


def save_carried_report(request: HttpRequest, evaluation: Evaluation) -> None:
    """Save the summary, strengths and weaknesses typed in the editor but not yet saved, if any.

    What cannot be saved is kept and shown again in the editor with the reason.
    """
    data = carried(request.POST)
    if data is None:
        return
    form = ReportForm(data, dimensions=report_dimensions(evaluation.cycle.framework_version))
    if not form.is_valid():
        reason = _("Ringkasan dan temuan belum disimpan: periksa isian yang ditandai.")
    else:
        try:
            saved = save_report(
                evaluation=evaluation,
                user=actor_of(request),
                summary=form.cleaned_data["summary"],
                findings=form.findings(),
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            reason = str(error)
        else:
            if saved.version != form.cleaned_data["version"]:
                messages.success(request, _("Ringkasan dan temuan juga disimpan."))
            return
    keep_draft(request, _name(evaluation), data, reason)
    messages.error(
        request, _("Ringkasan dan temuan Anda belum disimpan; isiannya ditampilkan lagi di bawah.")
    )


def kept_report(
    request: HttpRequest, evaluation: Evaluation, saved: AssessorReport | None
) -> tuple[ReportForm, AssessorReport | None] | None:
    """The typed summary and findings an action could not save, bound with the reason, and the
    newer saved report when the reason is a conflict; None when nothing was kept."""
    kept = take_draft(request, _name(evaluation))
    if kept is None:
        return None
    data, reason = kept
    conflict = None
    version = saved.version if saved else 0
    if data.get("version") != str(version):
        data["version"] = str(version)
        if saved is not None:
            conflict = saved
            reason = str(StaleReportError(saved))
    form = ReportForm(data, dimensions=report_dimensions(evaluation.cycle.framework_version))
    form.is_valid()
    form.add_error(None, reason)
    return form, conflict
