"""The region scorecard page and its what-if simulator (htmx partial, or the whole page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityeval.core.decimals import finite_decimal
from cityeval.core.methods import require_safe
from cityeval.evaluations.models import Evaluation
from cityeval.results.public_pages import public_page
from cityeval.scorecards import charts
from cityeval.scorecards.access import SignInRequired, UnderReview, scorecard_for, under_review
from cityeval.scorecards.data import Scorecard, scorecard
from cityeval.scorecards.simulate import Projection, SimulationError, project

TARGET_PREFIX = "target-"


@require_safe
def scorecard_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    # Published (and under review) pages are the same for every visitor: rendered once per
    # publication state; the simulator's POST below is always live.
    return public_page(request, "scorecard", lambda: _page(request, pk))


# A simulation writes nothing and shows only what the page shows the same reader: no request
# can be forged into a change, so it takes no CSRF token, and the published page around its form
# stays one cached copy for every visitor (results/public_pages.py).
@csrf_exempt
@require_POST
def simulate(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, simulate=True)


def _page(
    request: HttpRequest,
    pk: int,
    simulate: bool = False,
) -> HttpResponse:
    try:
        evaluation = scorecard_for(request.user, pk)
    except SignInRequired:
        return redirect_to_login(request.get_full_path())
    except UnderReview as reopened:
        return under_review(request, reopened.evaluation)
    card = scorecard(evaluation)
    projection: Projection | None = None
    error = ""
    if simulate and card is not None:
        try:
            projection = project(card, _targets(request, card))
        except SimulationError as problem:
            error = str(problem)
    context = {"projection": projection, "simulation_error": error}
    # A refused choice is a bad request; base.html's htmx config still swaps a 400 in.
    status = 400 if error else 200
    if simulate and request.headers.get("HX-Request"):
        return render(
            request, "scorecards/_projection.html", {**context, "card": card}, status=status
        )
    return render(
        request,
        "scorecards/scorecard.html",
        {**context, **_context(evaluation, card)},
        status=status,
    )


def _targets(request: HttpRequest, card: Scorecard) -> dict[str, Decimal]:
    """Item code -> chosen level, for the levels that differ from the item's value."""
    targets = {}
    for key, raw in request.POST.items():
        if not key.startswith(TARGET_PREFIX) or not raw:
            continue
        code = key.removeprefix(TARGET_PREFIX)
        try:
            level = finite_decimal(raw)
        except ValidationError:
            raise SimulationError(
                _("Tingkat untuk butir %(code)s bukan angka.") % {"code": code}
            ) from None
        if level is not None and card.values.get(code) != level:
            targets[code] = level
    return targets


def _context(evaluation: Evaluation, card: Scorecard | None) -> dict[str, Any]:
    if card is None:
        return {"evaluation": evaluation, "card": None}
    scale = card.framework.scale
    return {
        "evaluation": evaluation,
        "card": card,
        "levels": range(int(scale.minimum), int(scale.maximum) + 1),
        "charts": charts.scorecard_charts(card.claims, card.trend, scale),
    }
