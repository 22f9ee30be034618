"""Who may read a region's scorecard.

A published scorecard is public: anyone, signed in or not, may read it (the issue's goal of
public scorecards). Before publication the rules of the reports app's result page apply: the
region's assessors, program admins and national viewers read it; everyone else gets 404, and
a visitor who is not signed in is sent to the login page first.
"""

from __future__ import annotations

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.reports.access import report_for


class SignInRequired(Exception):
    """An unpublished scorecard was asked for by a visitor who is not signed in."""


def scorecard_for(user: AnyUser, pk: int) -> Evaluation:
    published = (
        Evaluation.objects.filter(pk=pk, status=EvaluationStatus.PUBLISHED)
        .select_related("cycle__framework_version", "region__province")
        .first()
    )
    if published is not None:
        return published
    if not user.is_authenticated:
        raise SignInRequired
    evaluation = report_for(user, pk)
    # The same row again with what the page reads, so the page's query count stays fixed.
    return Evaluation.objects.select_related("cycle__framework_version", "region__province").get(
        pk=evaluation.pk
    )
