"""Who may read a region's scorecard.

A published scorecard is public: anyone, signed in or not, may read it (the issue's goal of
public scorecards). Before publication the one policy (`evaluations.visibility`) applies: the
region's assessors, program admins and national viewers read it; everyone else gets 404, and
a visitor who is not signed in is sent to the login page first. A result that was published
and has since been reopened is no secret: whoever may not read it now is told that it is under
review (`UnderReview`) rather than sent to log in or told that it does not exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cityeval.accounts.access import AnyUser
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import Evaluation
from cityeval.evaluations.visibility import sees_results
from cityeval.reports.access import report_for


class SignInRequired(Exception):
    """An unpublished scorecard was asked for by a visitor who is not signed in."""


class UnderReview(Exception):
    """The result had been published and was reopened; the reader may not see it meanwhile."""

    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__(evaluation.pk)
        self.evaluation = evaluation


def was_published(evaluation: Evaluation) -> bool:
    """Whether the evaluation's result has ever been published (the audit log keeps it)."""
    return (
        AuditEntry.objects.for_evaluation(evaluation.pk)
        .filter(action="evaluation.status.published")
        .exists()
    )


def scorecard_for(user: AnyUser, pk: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(pk=pk)
        .select_related("cycle__framework_version", "region__province")
        .first()
    )
    # Open to anyone (the page's rule for a visitor) when the one policy says its result is.
    if evaluation is not None and sees_results(AnonymousUser(), evaluation):
        return evaluation
    if evaluation is None:
        if not user.is_authenticated:
            raise SignInRequired
        raise Http404
    if not user.is_authenticated:
        raise UnderReview(evaluation) if was_published(evaluation) else SignInRequired
    try:
        report_for(user, pk)  # 404 unless this person may read the unpublished result
    except Http404:
        if was_published(evaluation):
            raise UnderReview(evaluation) from None
        raise
    return evaluation


def under_review(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    """The page in place of a reopened result: which region and cycle, and that it comes back."""
    return render(request, "scorecards/under_review.html", {"evaluation": evaluation})
