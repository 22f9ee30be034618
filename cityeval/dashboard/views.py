"""The national dashboard (program admins, national viewers) and its public version.

The full dashboard shows every current result of a cycle, unpublished ones marked, and the
progress of the cycle; the public one shows published results only, to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string

from cityeval.accounts.access import scope_of
from cityeval.dashboard.cache import cached_board
from cityeval.dashboard.charts import consistency_chart, distribution_chart
from cityeval.dashboard.data import QUICK_WIN_GROUP, dashboard
from cityeval.dashboard.forms import DashboardForm, Filters
from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.models import FrameworkNode
from cityeval.results.public_pages import public_page


def national(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not scope_of(request.user).reads_everything:
        raise PermissionDenied
    cycles = list(
        Cycle.objects.select_related("framework_version").order_by("-year", "-round", "program")
    )
    return _page(request, cycles, public=False)


def public(request: HttpRequest) -> HttpResponseBase:
    return public_page(
        request,
        "dashboard",
        lambda: _page(request, public_cycles(), public=True),
    )


def _page(
    request: HttpRequest,
    cycles: Sequence[Cycle],
    *,
    public: bool,
) -> HttpResponse:
    form = DashboardForm(request.GET or None, cycles=list(cycles))
    cycle = form.chosen_cycle()
    context: dict[str, object] = {"form": form, "public": public, "board": None}
    if cycle is not None and public:
        filters = form.filters()
        context["board_html"] = cached_board(
            cycle,
            filters,
            lambda: render_to_string(
                "dashboard/_board.html", _board_context(cycle, cycles, filters, public=True)
            ),
        )
    elif cycle is not None:
        context.update(_board_context(cycle, cycles, form.filters(), public=False))
    return render(request, "dashboard/dashboard.html", context)


def _board_context(
    cycle: Cycle, cycles: Sequence[Cycle], filters: Filters, *, public: bool
) -> dict[str, object]:
    board = dashboard(cycle, cycles, filters, public=public)
    found = board.consistency
    version = cycle.framework_version
    return {
        "board": board,
        "public": public,
        # The program's own words: the axis it compares by, a quick-win panel only where the
        # instrument has quick-win items (G100SC).
        "axis": comparison_axis(version),
        "has_quick_wins": FrameworkNode.objects.filter(
            version=version, code=QUICK_WIN_GROUP
        ).exists(),
        "chart": distribution_chart(board.bins),
        "consistency_chart": consistency_chart(found.dimensions)
        if found and not found.empty
        else None,
    }
