"""Reads the visit pages, the berita acara and the home page share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.accounts.models import Role, User
from cityeval.mentoring.models import AgreedAction, Attendance, Visit
from cityeval.regions.models import OPD


@dataclass(frozen=True)
class Expected:
    """A registered person of the region the attendance list offers to tick."""

    user: User
    opd: OPD | None
    present: bool


def expected_people(visit: Visit, day: date | None = None) -> list[Expected]:
    """The region's coordinators and the contributors of the invited OPDs, in list order, each
    marked present if ticked on `day` (None: the visit's first day)."""
    invited = {inv.opd_id: inv.opd for inv in visit.invitations.select_related("opd")}
    region_id = visit.evaluation.region_id
    grants = (
        User.objects.filter(is_active=True)
        .filter(
            Q(grants__role=Role.COORDINATOR, grants__region_id=region_id)
            | Q(grants__role=Role.CONTRIBUTOR, grants__opd_id__in=list(invited))
        )
        .values_list("pk", "grants__role", "grants__opd_id")
    )
    opd_of: dict[int, int | None] = {}
    for pk, role, opd_id in grants:
        # A coordinator attends for the region even if they also work in an OPD.
        if role == Role.COORDINATOR:
            opd_of[pk] = None
        elif role == Role.CONTRIBUTOR and opd_id in invited:
            opd_of.setdefault(pk, opd_id)
    ticked = Attendance.objects.filter(visit=visit, day=day or visit.starts_on)
    present = set(ticked.filter(user__isnull=False).values_list("user_id", flat=True))
    people = User.objects.filter(pk__in=opd_of)
    rows = [
        Expected(user=u, opd=invited.get(opd_of[u.pk] or 0), present=u.pk in present)
        for u in people
    ]
    rows.sort(key=lambda row: (row.opd is not None, row.opd.name if row.opd else "", str(row.user)))
    return rows


@dataclass(frozen=True)
class OPDAttendance:
    opd: OPD | None
    people: list[Attendance]


@dataclass(frozen=True)
class DayAttendance:
    day: date
    groups: list[OPDAttendance]


def attendance_by_opd(visit: Visit, day: date | None = None) -> list[OPDAttendance]:
    """Who was present (on `day`, or on any day), grouped per OPD (the region's own first)."""
    rows = Attendance.objects.filter(visit=visit)
    if day is not None:
        rows = rows.filter(day=day)
    return _by_opd(list(rows.select_related("opd").order_by("opd__name", "name", "pk")))


def attendance_by_day(visit: Visit) -> list[DayAttendance]:
    """Who was present on each day of the visit that has anyone, grouped per OPD."""
    days: dict[date, list[Attendance]] = {}
    for row in (
        Attendance.objects.filter(visit=visit)
        .select_related("opd")
        .order_by("day", "opd__name", "name", "pk")
    ):
        days.setdefault(row.day, []).append(row)
    return [DayAttendance(day, _by_opd(rows)) for day, rows in days.items()]


def _by_opd(rows: list[Attendance]) -> list[OPDAttendance]:
    groups: dict[int | None, OPDAttendance] = {}
    for row in rows:
        groups.setdefault(row.opd_id, OPDAttendance(row.opd, [])).people.append(row)
    return sorted(groups.values(), key=lambda g: (g.opd is not None, g.opd.name if g.opd else ""))


def open_actions_for(user: AnyUser) -> list[AgreedAction]:
    """The open agreed actions of the person's OPDs (a coordinator: of their whole region).

    For the home page: each action with its visit and evaluation, the nearest due date first.
    """
    scope = scope_of(user)
    condition = Q(opd_id__in=scope.contributor_opds) | Q(
        visit__evaluation__region_id__in=scope.coordinator_regions
    )
    if not scope.contributor_opds and not scope.coordinator_regions:
        return []
    return list(
        AgreedAction.objects.open()
        .filter(condition)
        .select_related("opd", "visit", "visit__evaluation__region", "visit__evaluation__cycle")
        .order_by("due_on", "pk")
    )
