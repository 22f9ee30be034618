"""Pages that belong to no single domain app: the home page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cityeval.accounts.access import scope_of
from cityeval.accounts.models import User
from cityeval.core.methods import require_safe
from cityeval.dashboard import roles
from cityeval.dashboard.programs import newest_cycle, programs_of
from cityeval.discussions.queries import open_requests_for
from cityeval.evaluations.access import visible_evaluations
from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.exports.access import public_cycles
from cityeval.frameworks.models import FrameworkVersion
from cityeval.mentoring.queries import open_actions_for
from cityeval.regions.models import Cohort, Province, Region, RegionSource

MINE = 8


def _role_sections(request: HttpRequest) -> dict[str, object]:
    """The work of each of the person's roles (a person may hold several)."""
    user = request.user
    assert isinstance(user, User)
    scope = scope_of(user)
    today = timezone.localdate()
    sections: dict[str, object] = {}
    if scope.contributor_opds:
        sections["contributor_work"] = roles.contributor_work(user, scope, today)
        # What other OPDs of the region asked this person's OPD for, the nearest due date first.
        sections["data_requests"] = open_requests_for(user)
    if scope.coordinator_regions:
        sections["coordinator_work"] = roles.coordinator_work(scope, today)
        sections["clarifications"] = roles.open_clarifications(scope)
    if scope.contributor_opds or scope.coordinator_regions:
        # What the OPDs agreed to do at an evaluation visit, the nearest due date first.
        sections["visit_actions"] = open_actions_for(user)
    if scope.assessor:
        sections["assessor_queue"] = roles.assessor_queue(user, scope)
    if scope.admin:
        sections["cycle_status"] = roles.cycle_status()
    return sections


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What the program holds: frameworks, regions and cycles, readable by anyone.

    Only published figures would ever be public here; this page shows counts, not scores.
    """
    frameworks = FrameworkVersion.objects.annotate(
        indicators=Count("nodes", filter=~Q(nodes__kind="group"))
    ).order_by("code", "version")
    regions = Region.objects.aggregate(
        total=Count("id"),
        kabupaten=Count("id", filter=Q(kind=Region.Kind.KABUPATEN)),
        kota=Count("id", filter=Q(kind=Region.Kind.KOTA)),
        in_program=Count("id", filter=Q(pk__in=Region.objects.in_program().values("pk"))),
    )
    cycles = Cycle.objects.select_related("framework_version").annotate(
        participants=Count("evaluations"),
        published=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.PUBLISHED)),
    )
    sections: dict[str, object] = {}
    mine: list[object] = []
    if request.user.is_authenticated:
        sections = _role_sections(request)
        if not sections:
            # A viewer of a region: its evaluations under way, latest change first.
            mine = list(
                visible_evaluations(request.user)
                .exclude(status=EvaluationStatus.PUBLISHED)
                .order_by("-updated_at")[:MINE]
            )
    published = public_cycles()
    context = {
        **sections,
        "mine": mine,
        # Each program's published results apart (its newest published cycle), never one
        # program's newer cycle in place of another's.
        "programs": [
            (code, label, newest_cycle(published, code))
            for code, label in programs_of(published).items()
        ],
        "frameworks": frameworks,
        "regions": regions,
        "provinces": Province.objects.count(),
        "cohorts": Cohort.objects.annotate(size=Count("regions")).order_by("year"),
        "cycles": cycles,
        "region_source": RegionSource.objects.current(),
    }
    return render(request, "core/home.html", context)
