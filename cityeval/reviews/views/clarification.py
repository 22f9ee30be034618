"""The clarification loop as the region sees it, and what changed since the review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form, require_safe
from cityeval.evaluations.access import Can, capabilities, evaluation_for, item_lock_reason
from cityeval.evaluations.access import items_for as visible_items
from cityeval.evaluations.errors import TransitionError, WorkflowError
from cityeval.evaluations.models import EvaluationStatus
from cityeval.reviews.changes import AWAITING, changes_for
from cityeval.reviews.forms import AnswerForm
from cityeval.reviews.models import ClarificationRequest
from cityeval.reviews.services import answer_clarification


@login_required
@require_form
def clarification(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest request, its items (each with a link to edit it) and the coordinator's answer."""
    evaluation = evaluation_for(request.user, pk)
    can = capabilities(request.user, evaluation)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if Can.COORDINATE not in can:
            raise PermissionDenied
        if form.is_valid():
            try:
                answer_clarification(
                    evaluation=evaluation,
                    user=actor_of(request),
                    answer=form.cleaned_data["answer"],
                )
            except (WorkflowError, TransitionError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Jawaban klarifikasi dikirim kepada asesor."))
                return redirect("evaluations:overview", pk=evaluation.pk)
    requests = list(
        ClarificationRequest.objects.filter(evaluation=evaluation).select_related(
            "requested_by", "answered_by"
        )
    )
    current = requests[0] if requests else None
    items = {item.pk: item for item in visible_items(request.user, evaluation)}
    flagged = []
    if current is not None:
        snapshots = list(current.items.order_by("item__indicator__sequence"))
        changes = changes_for([items[s.item_id] for s in snapshots if s.item_id in items])
        for snapshot in snapshots:
            item = items.get(snapshot.item_id)
            if item is None:
                continue  # a contributor sees the items of their own OPD only
            flagged.append(
                {
                    "item": item,
                    "question": snapshot.question,
                    "change": changes.get(item.pk),
                    "lock_reason": item_lock_reason(request.user, item, evaluation),
                }
            )
    return render(
        request,
        "reviews/clarification.html",
        {
            "evaluation": evaluation,
            "can": {c.value for c in can},
            "current": current,
            "earlier": requests[1:],
            "flagged": flagged,
            "form": form,
            "may_answer": Can.COORDINATE in can
            and evaluation.status == EvaluationStatus.CLARIFICATION
            and current is not None
            and current.is_open,
        },
    )


@login_required
@require_safe
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Before (at the clarification request) and now, for items awaiting a new verdict."""
    evaluation = evaluation_for(request.user, pk)
    items = [i for i in visible_items(request.user, evaluation) if i.review_status in AWAITING]
    found = changes_for(items)
    rows = [found[item.pk] for item in items if item.pk in found]
    return render(
        request,
        "reviews/changes.html",
        {
            "evaluation": evaluation,
            "can": {c.value for c in capabilities(request.user, evaluation)},
            "rows": rows,
            "changed_count": sum(row.changed for row in rows),
        },
    )
