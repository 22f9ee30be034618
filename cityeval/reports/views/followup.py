"""The follow-up of last cycle's recommendations: reported by the coordinator, read by all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form
from cityeval.evaluations.access import Can, capabilities, entry_lock_reason, evaluation_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.frameworks.axes import comparison_axis
from cityeval.reports.followups import (
    StaleFollowUpError,
    follow_up_rows,
    previous_published,
    save_follow_up,
    tally,
)
from cityeval.reports.forms import FollowUpForm
from cityeval.reports.models import FollowUpStatus, Recommendation


@login_required
@require_form
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk)
    can_coordinate = Can.COORDINATE in capabilities(request.user, evaluation)
    bound: FollowUpForm | None = None
    bound_pk = None
    if request.method == "POST":
        if not can_coordinate:
            raise PermissionDenied
        bound = FollowUpForm(request.POST)
        if bound.is_valid():
            bound_pk = bound.cleaned_data["recommendation"]
            try:
                save_follow_up(
                    evaluation=evaluation,
                    recommendation=_recommendation(bound_pk),
                    user=actor_of(request),
                    status=FollowUpStatus(bound.cleaned_data["status"]),
                    note=bound.cleaned_data["note"],
                    expected_version=bound.cleaned_data["version"],
                )
            except StaleFollowUpError as error:
                # Keep the person's text; the next save is against the version now shown.
                data = request.POST.copy()
                data["version"] = str(error.current.version if error.current else 0)
                bound = FollowUpForm(data)
                bound.is_valid()
                bound.add_error(None, str(error))
            except WorkflowError as error:
                bound.add_error(None, str(error))
            else:
                messages.success(request, _("Tindak lanjut disimpan."))
                url = reverse("reports:follow_up", args=[evaluation.pk])
                return redirect(f"{url}#rec-{bound_pk}")
    rows = []
    for row in follow_up_rows(evaluation):
        pk_ = row.recommendation.pk
        if bound is not None and bound_pk == pk_:
            form = bound
        else:
            form = FollowUpForm(
                initial={
                    "recommendation": pk_,
                    "status": row.follow_up.status if row.follow_up else FollowUpStatus.NOT_STARTED,
                    "note": row.follow_up.note if row.follow_up else "",
                    "version": row.version,
                },
                auto_id=f"f{pk_}_%s",
            )
        rows.append((row, form))
    lock_reason = entry_lock_reason(evaluation) if can_coordinate else ""
    return render(
        request,
        "reports/follow_up.html",
        {
            "evaluation": evaluation,
            "previous": previous_published(evaluation),
            "rows": rows,
            "follow_ups": [row for row, _form in rows],
            "axis": comparison_axis(evaluation.cycle.framework_version),
            "tally": tally([row for row, _form in rows]),
            "can_edit": can_coordinate and not lock_reason,
            "lock_reason": lock_reason,
            "unbound_error": bound if bound is not None and bound_pk is None else None,
        },
    )


def _recommendation(pk: int) -> Recommendation:
    # The service refuses a recommendation that is not last cycle's of this region.
    recommendation = Recommendation.objects.filter(pk=pk).first()
    if recommendation is None:
        raise WorkflowError(_("Rekomendasi itu tidak ditemukan."))
    return recommendation
