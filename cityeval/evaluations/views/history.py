"""The audit history of one item and the exported log of a whole evaluation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityeval.core.methods import require_safe
from cityeval.core.tabular import csv_writer
from cityeval.evaluations.access import evaluation_for, item_for
from cityeval.evaluations.history import describe
from cityeval.evaluations.visibility import audit_entries


@login_required
@require_safe
def item_history(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk, evaluation_pk=pk)
    lines = describe(audit_entries(request.user, evaluation, item=item), item)
    return render(
        request,
        "evaluations/item_history.html",
        {"evaluation": evaluation, "item": item, "lines": lines},
    )


@login_required
@require_safe
def evaluation_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's audit entries this person may read, as CSV (who, when, what, before,
    after): their items only, and no result or verdict before publication (`visibility`)."""
    evaluation = evaluation_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"audit-{evaluation.region.code}-{evaluation.cycle.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(["at", "actor", "action", "target", "before", "after", "note"])
    for entry in audit_entries(request.user, evaluation):
        writer.writerow(
            [
                entry.at.isoformat(),
                entry.actor.username if entry.actor else "",
                entry.action,
                f"{entry.target_type}#{entry.target_id}",
                entry.before,
                entry.after,
                entry.note,
            ]
        )
    return response
