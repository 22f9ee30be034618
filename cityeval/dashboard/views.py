"""The national dashboard (program admins, national viewers) and its public version.

The full dashboard shows every current result of a cycle, unpublished ones marked, and the
progress of the cycle; the public one shows published results only, to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityeval.accounts.access import scope_of
from cityeval.dashboard.charts import consistency_chart, distribution_chart
from cityeval.dashboard.data import dashboard
from cityeval.dashboard.forms import DashboardForm
from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles


def national(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not scope_of(request.user).reads_everything:
        raise PermissionDenied
    cycles = list(
        Cycle.objects.select_related("framework_version").order_by("-year", "-round", "program")
    )
    return _page(request, cycles, public=False)


def public(request: HttpRequest) -> HttpResponse:
    return _page(request, public_cycles(), public=True)


def _page(request: HttpRequest, cycles: Sequence[Cycle], *, public: bool) -> HttpResponse:
    form = DashboardForm(request.GET or None, cycles=list(cycles))
    cycle = form.chosen_cycle()
    board = None
    if cycle is not None:
        board = dashboard(cycle, cycles, form.filters(), public=public)
    chart = distribution_chart(board.bins) if board is not None else None
    found = board.consistency if board is not None else None
    consistency = consistency_chart(found.dimensions) if found and not found.empty else None
    context = {
        "form": form,
        "board": board,
        "public": public,
        "chart": chart,
        "consistency_chart": consistency,
    }
    return render(request, "dashboard/dashboard.html", context)
