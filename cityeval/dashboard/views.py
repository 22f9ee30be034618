"""The national dashboard (program admins, national viewers) and its public version.

The full dashboard shows every current result of a cycle, unpublished ones marked, and the
progress of the cycle; the public one shows published results only, to anyone.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of, require_admin, scope_of
from cityeval.core.methods import require_form, require_safe
from cityeval.dashboard.cache import cached_board, internal_board
from cityeval.dashboard.charts import consistency_chart, distribution_chart
from cityeval.dashboard.data import QUICK_WIN_GROUP, Dashboard, dashboard
from cityeval.dashboard.forms import BoundaryUploadForm, DashboardForm, Filters
from cityeval.dashboard.maps import (
    geometry_body,
    map_chart,
    remove_boundaries,
    upload_boundaries,
)
from cityeval.dashboard.paging import asked_page, leaderboard_page
from cityeval.evaluations.models import Cycle
from cityeval.exports.access import public_cycles
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.models import FrameworkNode
from cityeval.regions.boundaries import MAX_BYTES, BoundaryError, check_size
from cityeval.regions.models import BoundaryFile
from cityeval.results.public_pages import ACCEPTS_GZIP, public_page


@require_safe
def national(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not scope_of(request.user).reads_everything:
        raise PermissionDenied
    # The framework's document (hundreds of kB of JSON per cycle) is read only when the board is
    # computed, not on every request that the cached board answers.
    cycles = list(
        Cycle.objects.select_related("framework_version")
        .defer("framework_version__document")
        .order_by("-year", "-round", "program")
    )
    return _page(request, cycles, public=False)


@require_safe
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
    context: dict[str, object] = {
        "form": form,
        "public": public,
        "board": None,
        "map_admin": not public and scope_of(request.user).admin,
    }
    if cycle is None:
        return render(request, "dashboard/dashboard.html", context)
    filters = form.filters()
    page = asked_page(request.GET.get("page"))

    def board_html(found: dict[str, object], number: int) -> str:
        board = found["board"]
        assert isinstance(board, Dashboard)
        leaderboard = leaderboard_page(board, filters, str(number))
        return render_to_string("dashboard/_board.html", {**found, "leaderboard": leaderboard})

    if public:
        context["board_html"] = cached_board(
            cycle,
            filters,
            page,
            lambda number: board_html(_board_context(cycle, cycles, filters, public=True), number),
        )
    else:
        # What only changes on submit, finalise, publish (and the like) is computed once per
        # such change, and each page of it drawn once (dashboard/cache.py).
        context["board_html"] = internal_board(
            cycle,
            filters,
            page,
            lambda: _board_context(cycle, cycles, filters, public=False),
            board_html,
        )
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
        "map_chart": map_chart((r.region_code, r.region, r.index) for r in board.rows),
    }


@login_required
@require_form
def boundaries(request: HttpRequest) -> HttpResponse:
    """The program admin's page for the map's boundary file: the current one and an upload."""
    require_admin(request.user)
    posted = request.method == "POST"
    form = BoundaryUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            check_size(upload.size)  # before it is read
            stored = upload_boundaries(
                content=upload.read(), name=upload.name or "", user=actor_of(request)
            )
        except BoundaryError as error:
            form.add_error("upload", str(error))
        else:
            messages.success(
                request,
                _("Berkas %(name)s dipakai untuk peta: %(matched)d kode cocok.")
                % {"name": stored.original_name, "matched": len(stored.matched)},
            )
            return redirect("dashboard:boundaries")
    current = BoundaryFile.objects.select_related("uploaded_by").current()
    return render(
        request,
        "dashboard/boundaries.html",
        {"form": form, "current": current, "limit": MAX_BYTES},
    )


@login_required
@require_form
def remove_boundary_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then remove a stored boundary file (program admins only)."""
    require_admin(request.user)
    boundary = get_object_or_404(BoundaryFile.objects.select_related("uploaded_by"), pk=pk)
    if request.method == "POST":
        remove_boundaries(boundary=boundary, user=actor_of(request))
        messages.success(
            request, _("Berkas %(name)s dihapus dari peta.") % {"name": boundary.original_name}
        )
        return redirect("dashboard:boundaries")
    earlier = BoundaryFile.objects.filter(pk__lt=boundary.pk).order_by("-pk").first()
    return render(
        request,
        "dashboard/boundaries_remove.html",
        {"boundary": boundary, "earlier": earlier},
    )


# The URL names the file's id and checksum, so what it serves never changes: a year's max-age.
GEOMETRY_CACHE = "public, max-age=31536000, immutable"


@require_safe
def geometry(request: HttpRequest, pk: int, checksum: str) -> HttpResponseBase:
    """A boundary file's geometry for the map's spec, gzipped once (maps.geometry_body): public,
    like the public dashboard that draws it; 304 for a browser that has it."""
    if not BoundaryFile.objects.filter(pk=pk, checksum=checksum).exists():
        raise Http404
    etag = quote_etag(f"{pk}-{checksum}")
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is None:
        body = geometry_body(pk, checksum)
        if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
            response = HttpResponse(body, content_type="application/json")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(body), content_type="application/json")
    else:
        response = not_modified
    response["ETag"] = etag
    response["Cache-Control"] = GEOMETRY_CACHE
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
