"""The share of masterplan programs that run: the value of the framework's `programs` indicators.

Definition (the evaluation's "persentase program berjalan"): among the programs of one smart
dimension in the region's masterplan in force that year, the share whose status in that year is
*berjalan*: running **or completed** (a finished program has run). Stalled, cancelled and planned
programs, and programs with no status for that year, count as not running. The denominator is
every program of the dimension in the masterplan, so a program scheduled for a later year lowers
the share until it starts, as the ministry's "9 of 10 programs" reading does.

The result is a percentage (0–100) as a Decimal, rounded half-up to 4 places (what an item
value stores); None when the masterplan has no program in the dimension, or there is no
masterplan covering the year: then there is nothing to measure, which is not 0%.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import RUNNING_STATUSES, Masterplan, Program
from cityeval.regions.models import Region

PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class DimensionCount:
    running: int
    total: int

    @property
    def share(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.running) * 100 / Decimal(self.total)).quantize(
            PLACES, rounding=ROUND_HALF_UP
        )


def program_counts(*, masterplan: Masterplan, year: int) -> dict[str, DimensionCount]:
    """Running and total programs per dimension code (only dimensions that have programs)."""
    rows = (
        Program.objects.of_masterplan(masterplan)
        .values("dimension")
        .annotate(
            total=Count("pk", distinct=True),
            # One ProgramYear per (program, year), so this counts programs, not rows.
            running=Count("years", filter=Q(years__year=year, years__status__in=RUNNING_STATUSES)),
        )
        .order_by()
    )
    return {
        row["dimension"]: DimensionCount(running=row["running"], total=row["total"]) for row in rows
    }


def program_shares(*, region: Region, year: int) -> dict[str, Decimal | None]:
    """Every smart dimension code of the G100SC axis → its running share (see module doc)."""
    masterplan = Masterplan.objects.in_force(region_id=region.pk, year=year)
    counts = program_counts(masterplan=masterplan, year=year) if masterplan else {}
    codes = smart_axis().codes or sorted(counts)
    return {code: counts[code].share if code in counts else None for code in codes}


def programs_running_share(*, region: Region, year: int, dimension: str) -> Decimal | None:
    """Percentage of the dimension's masterplan programs that are *berjalan* in `year`.

    Berjalan = status running or completed in that year. The denominator is every program of the
    dimension in the masterplan in force that year (programs without a status for the year, and
    planned, stalled or cancelled ones, count as not berjalan). Rounded half-up to 4 places;
    None when there is no such masterplan or it has no program in the dimension.
    """
    masterplan = Masterplan.objects.in_force(region_id=region.pk, year=year)
    if masterplan is None:
        return None
    count = program_counts(masterplan=masterplan, year=year).get(dimension)
    return count.share if count else None
