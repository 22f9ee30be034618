"""What the region's masterplan page shows: programs grouped by smart dimension, for one year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cityeval.masterplans.dimensions import SmartAxis, smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from cityeval.masterplans.shares import DimensionCount, program_counts


@dataclass(frozen=True)
class ProgramRow:
    program: Program
    year: ProgramYear | None  # None: nothing recorded for the chosen year
    element_name: str


@dataclass(frozen=True)
class DimensionGroup:
    code: str
    name: str
    rows: list[ProgramRow]
    count: DimensionCount


@dataclass(frozen=True)
class Overview:
    year: int
    groups: list[DimensionGroup]
    total: DimensionCount
    quick_wins: int


def default_year(masterplan: Masterplan) -> int:
    """The latest year with recorded statuses; else this year, kept inside the period."""
    recorded = (
        ProgramYear.objects.filter(program__masterplan=masterplan)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if recorded is not None:
        return recorded
    return min(max(date.today().year, masterplan.start_year), masterplan.end_year)


def chosen_year(masterplan: Masterplan, asked: str | None) -> int:
    if asked and asked.isdigit() and int(asked) in masterplan.years:
        return int(asked)
    return default_year(masterplan)


def overview(*, masterplan: Masterplan, year: int) -> Overview:
    programs = list(Program.objects.of_masterplan(masterplan).for_page())
    statuses = {
        item.program_id: item
        for item in ProgramYear.objects.filter(program__masterplan=masterplan, year=year)
    }
    counts = program_counts(masterplan=masterplan, year=year)
    axis = smart_axis()
    # Dimensions in the framework's order; a code the framework no longer has still shows.
    codes = axis.codes + sorted({p.dimension for p in programs} - set(axis.codes))
    groups = []
    for code in codes:
        rows = [
            ProgramRow(p, statuses.get(p.pk), _element_name(axis, p.element))
            for p in programs
            if p.dimension == code
        ]
        dimension = axis.dimension(code)
        groups.append(
            DimensionGroup(
                code=code,
                name=dimension.name if dimension else code,
                rows=rows,
                count=counts.get(code, DimensionCount(running=0, total=0)),
            )
        )
    return Overview(
        year=year,
        groups=groups,
        total=DimensionCount(
            running=sum(c.running for c in counts.values()),
            total=sum(c.total for c in counts.values()),
        ),
        quick_wins=sum(1 for p in programs if p.quick_win),
    )


def _element_name(axis: SmartAxis, code: str) -> str:
    element = axis.element(code)
    return element.name if element else code
