"""Who may read a region's scorecard.

A published scorecard is public: anyone, signed in or not, may read it (the issue's goal of
public scorecards). Before publication the one policy (`evaluations.visibility`) applies: the
region's assessors, program admins and national viewers read it; everyone else gets 404, and
a visitor who is not signed in is sent to the login page first.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.models import Evaluation
from cityeval.evaluations.visibility import sees_results
from cityeval.reports.access import report_for


class SignInRequired(Exception):
    """An unpublished scorecard was asked for by a visitor who is not signed in."""


def scorecard_for(user: AnyUser, pk: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(pk=pk)
        .select_related("cycle__framework_version", "region__province")
        .first()
    )
    # Open to anyone (the page's rule for a visitor) when the one policy says its result is.
    if evaluation is not None and sees_results(AnonymousUser(), evaluation):
        return evaluation
    if not user.is_authenticated:
        raise SignInRequired
    if evaluation is None:
        raise Http404
    report_for(user, pk)  # 404 unless this person may read the unpublished result
    return evaluation
