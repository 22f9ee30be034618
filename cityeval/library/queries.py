"""The reads of the library pages, each a fixed number of queries whatever the data's size.

- `practices`: the good-practice library, filtered (item, dimension, level, region kind,
  province, peer group, region) and searched (`search.py`).
- `programs`: the program library, masterplan programs of every region's current masterplan
  (name, smart dimension, latest yearly status, budget band). The rule: every signed-in person
  of the platform reads it, as the coordinators already compare masterplans in the program's
  meetings; the exact budget and the OPD's people stay on the region's own masterplan page
  (only the band is shown); anonymous readers are sent to sign in.
- `peer_comparison`: a region beside its peer group (or chosen regions), PUBLISHED figures only
  (`results.standings.published_standings_of`), and the peers that improved most between the
  cycle and the one before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from cityeval.evaluations.models import Cycle, cycle_order
from cityeval.frameworks.axes import Axis, result_axes
from cityeval.library.models import GoodPractice, GoodPracticeQuerySet
from cityeval.library.search import search
from cityeval.masterplans.models import Program, ProgramStatus, ProgramYear
from cityeval.regions.models import PeerGroup, Province, Region
from cityeval.results.standings import Standing, published_standings_of

PAGE = 100
MOST_IMPROVED = 5
MAX_CHOSEN = 12


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    program: str = ""
    item: str = ""  # indicator code
    dimension: str = ""  # member of the comparison axis (smart dimension)
    level: int | None = None
    kind: str = ""  # Region.Kind
    province: str = ""  # province code
    peer_group: str = ""  # peer group code
    region: str = ""  # region code

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.program, self.item, self.dimension, self.kind, self.province)
        ) or any((self.peer_group, self.region, self.level is not None))


def practices(found: GoodPracticeQuerySet, filters: LibraryFilters) -> GoodPracticeQuerySet:
    conditions: dict[str, object] = {}
    if filters.program:
        conditions["program"] = filters.program
    if filters.item:
        conditions["item_code"] = filters.item
    if filters.dimension:
        conditions["dimension"] = filters.dimension
    if filters.level is not None:
        conditions["level__gte"] = Decimal(filters.level)
        conditions["level__lt"] = Decimal(filters.level + 1)
    if filters.kind:
        conditions["region__kind"] = filters.kind
    if filters.province:
        conditions["region__province__code"] = filters.province
    if filters.peer_group:
        conditions["region__peer_groups__code"] = filters.peer_group
    if filters.region:
        conditions["region__code"] = filters.region
    return search(found.filter(**conditions), filters.q)


@dataclass(frozen=True)
class LibraryChoices:
    programs: list[str]
    items: list[tuple[str, str]]  # (code, "code — name")
    dimensions: list[tuple[str, str]]
    provinces: list[tuple[str, str]]
    peer_groups: list[tuple[str, str]]


def library_choices(listed: GoodPracticeQuerySet) -> LibraryChoices:
    """What the filters offer: the values the listed practices have (four queries)."""
    rows = list(
        listed.order_by()
        .values_list("program", "item_code", "dimension", "dimension_name")
        .distinct()
    )
    items = dict(listed.order_by().values_list("item_code", "indicator__name_id").distinct())
    provinces = Province.objects.filter(
        regions__good_practices__in=listed.order_by().values("pk")
    ).distinct()
    groups = PeerGroup.objects.filter(regions__isnull=False).distinct().order_by("code")
    return LibraryChoices(
        programs=sorted({row[0] for row in rows}),
        items=sorted((code, f"{code} — {name}") for code, name in items.items()),
        dimensions=sorted({(row[2], row[3] or row[2]) for row in rows if row[2]}),
        provinces=sorted((p.code, p.name) for p in provinces),
        peer_groups=[(g.code, g.display_name) for g in groups],
    )


# ----- the program library -----


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    low: Decimal
    high: Decimal | None  # exclusive; None: no ceiling


BILLION = Decimal(1_000_000_000)


def bands() -> list[Band]:
    """The budget bands in the active language."""
    return [
        Band("lt1", str(_("di bawah Rp 1 miliar")), Decimal(0), BILLION),
        Band("1-10", str(_("Rp 1–10 miliar")), BILLION, 10 * BILLION),
        Band("10-100", str(_("Rp 10–100 miliar")), 10 * BILLION, 100 * BILLION),
        Band("gte100", str(_("Rp 100 miliar ke atas")), 100 * BILLION, None),
    ]


def band_of(budget: Decimal) -> Band:
    found = bands()
    return next(b for b in found if b.high is None or budget < b.high)


@dataclass(frozen=True)
class ProgramFilters:
    q: str = ""
    dimension: str = ""
    status: str = ""
    band: str = ""
    quick_win: bool = False
    kind: str = ""
    province: str = ""


def programs(filters: ProgramFilters) -> QuerySet[Program]:
    """Programs of every region's current masterplan with their latest yearly status (one
    query, plus one for the count)."""
    latest = ProgramYear.objects.filter(program=OuterRef("pk")).order_by("-year")
    found = (
        Program.objects.filter(masterplan__is_current=True)
        .select_related("masterplan__region__province")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .order_by("dimension", "name", "pk")
    )
    for word in filters.q.split()[:12]:
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if filters.dimension:
        found = found.filter(dimension=filters.dimension)
    if filters.status:
        found = found.filter(latest_status=filters.status)
    band = next((b for b in bands() if b.code == filters.band), None)
    if band is not None:
        found = found.filter(budget__gte=band.low)
        if band.high is not None:
            found = found.filter(budget__lt=band.high)
    if filters.quick_win:
        found = found.filter(quick_win=True)
    if filters.kind:
        found = found.filter(masterplan__region__kind=filters.kind)
    if filters.province:
        found = found.filter(masterplan__region__province__code=filters.province)
    return found


def status_label(code: str | None) -> str:
    if not code:
        return str(_("belum dilaporkan"))
    return str(ProgramStatus(code).label) if code in ProgramStatus.values else code


# ----- peer comparison -----


@dataclass(frozen=True)
class PeerRow:
    standing: Standing | None  # None: no published result in this cycle
    region: Region
    is_self: bool
    figures: list[list[Decimal | None]]  # per axis, per member


@dataclass(frozen=True)
class Improvement:
    region: Region
    before: Decimal
    now: Decimal
    gain: Decimal
    practices: int


@dataclass
class PeerComparison:
    region: Region
    cycle: Cycle | None
    previous: Cycle | None
    cycles: list[Cycle]
    groups: list[PeerGroup]
    group: PeerGroup | None
    chosen: list[Region]
    axes: list[Axis] = field(default_factory=list)
    rows: list[PeerRow] = field(default_factory=list)
    improved: list[Improvement] = field(default_factory=list)

    @property
    def tables(self) -> list[tuple[Axis, list[tuple[PeerRow, list[Decimal | None]]]]]:
        """One table per axis: each row with its figures on that axis."""
        return [
            (axis, [(row, row.figures[n]) for row in self.rows]) for n, axis in enumerate(self.axes)
        ]


def region_cycles(region: Region) -> list[Cycle]:
    """The cycles the region takes part in, newest first (one query)."""
    found = Cycle.objects.filter(evaluations__region=region).select_related("framework_version")
    return sorted(set(found), key=lambda c: cycle_order(c.year, c.round), reverse=True)


def _figures(standing: Standing | None, axes: list[Axis]) -> list[list[Decimal | None]]:
    if standing is None:
        return [[None for _code in axis.names] for axis in axes]
    return [
        [
            standing.tag_index(code) if axis.source == "tags" else standing.node_index(code)
            for code in axis.names
        ]
        for axis in axes
    ]


def peer_comparison(
    region: Region,
    *,
    cycle_pk: int | None,
    group_code: str,
    chosen_codes: Sequence[str],
) -> PeerComparison:
    cycles = region_cycles(region)
    groups = list(region.peer_groups.order_by("code"))
    cycle = next((c for c in cycles if c.pk == cycle_pk), None) or _default_cycle(cycles)
    chosen = list(
        Region.objects.filter(code__in=list(chosen_codes)[:MAX_CHOSEN]).exclude(pk=region.pk)
    )
    group = None
    if not chosen:
        group = next((g for g in groups if g.code == group_code), groups[0] if groups else None)
    found = PeerComparison(region, cycle, None, cycles, groups, group, chosen)
    if cycle is None:
        return found
    if chosen:
        peers = [region, *chosen]
    elif group is not None:
        peers = list(group.regions.order_by("code"))
        if region.pk not in {r.pk for r in peers}:
            peers.insert(0, region)
    else:
        peers = [region]
    program_cycles = sorted(
        Cycle.objects.filter(program=cycle.program).select_related("framework_version"),
        key=lambda c: cycle_order(c.year, c.round),
    )
    here = cycle_order(cycle.year, cycle.round)
    before = [c for c in program_cycles if cycle_order(c.year, c.round) < here]
    found.previous = before[-1] if before else None
    wanted = [cycle] + ([found.previous] if found.previous else [])
    standings = published_standings_of(wanted)
    now = {s.region_id: s for s in standings[cycle.pk]}
    found.axes = result_axes(cycle.framework_version)
    found.rows = [
        PeerRow(now.get(r.pk), r, r.pk == region.pk, _figures(now.get(r.pk), found.axes))
        for r in peers
    ]
    found.rows.sort(
        key=lambda row: (
            row.standing is None or row.standing.index is None,
            -(row.standing.index or 0) if row.standing else 0,
            row.region.code,
        )
    )
    if found.previous is not None:
        others = [r for r in peers if r.pk != region.pk]
        found.improved = _improved(others, now, standings[found.previous.pk])
    return found


def _default_cycle(cycles: list[Cycle]) -> Cycle | None:
    """The newest of the region's cycles that has a published result, else its newest."""
    published = set(
        Cycle.objects.filter(
            pk__in=[c.pk for c in cycles], evaluations__status="published"
        ).values_list("pk", flat=True)
    )
    return next((c for c in cycles if c.pk in published), cycles[0] if cycles else None)


def _improved(
    peers: list[Region], now: dict[int, Standing], earlier: list[Standing]
) -> list[Improvement]:
    before = {s.region_id: s for s in earlier}
    counts = _practice_counts(peers)
    found = []
    for region in peers:
        a, b = before.get(region.pk), now.get(region.pk)
        if a is None or b is None or a.index is None or b.index is None:
            continue
        gain = b.index - a.index
        found.append(Improvement(region, a.index, b.index, gain, counts.get(region.pk, 0)))
    found.sort(key=lambda i: (-i.gain, i.region.code))
    return [i for i in found if i.gain > 0][:MOST_IMPROVED]


def _practice_counts(peers: list[Region]) -> dict[int, int]:
    rows = (
        GoodPractice.objects.listed()
        .filter(region__in=peers)
        .order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
    )
    return {row["region_id"]: row["n"] for row in rows}
