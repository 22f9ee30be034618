"""The national dashboard of one cycle, read in a fixed number of queries whatever the region count.

Figures are the PUBLISHED ones (`published_figure`: half-up to the framework's places), so the
dashboard, the scorecards and the open-data exports print the same numbers. Ranks are competition
ranks (1-2-2-4) among the rows shown: the filtered set of current results. The public version
(`public=True`) reads published results only, as the exports do for anonymous visitors, so an
unpublished figure neither shows nor moves a public rank.

Rank intervals (`results.intervals`) stand beside the ranks when the leaderboard ranks a stored
scope: the whole cycle, one province or one peer group, and every row is published (the
analysis covers published results only). Both dashboards show the cycle's sensitivity summary;
assessor consistency (`consistency`) is for the ministry only, never on the public version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cityeval.dashboard.charts import Bin, bins
from cityeval.dashboard.consistency import Consistency, consistency, region_map
from cityeval.dashboard.forms import Filters
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    cycle_order,
)
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.results.figures import published_figure
from cityeval.results.intervals import (
    Interval,
    Sensitivity,
    matching,
    scope_intervals,
    sensitivity_of,
)
from cityeval.results.models import RankScope, ResultSnapshot
from cityeval.results.standings import Standing, rank_standings
from scoring.model import Rounding
from scoring.rank import improvement

MOST_IMPROVED = 10
# Below this many results a rank sensitivity says nothing and a "best" quick win beat nobody:
# the sensitivity summary, rank intervals and award candidates need at least this many.
MINIMUM_COMPARED = 3
# G100SC groups its quick-win items (one per smart dimension, QW-GOV...) under this node.
QUICK_WIN_GROUP = "QW"
# The scorecard link is reversed once per page with this stand-in id, then the id is put in:
# a `{% url %}` for each of 514 rows was about a third of the national dashboard's rendering.
STAND_IN_ID = 987654321


@dataclass(frozen=True)
class Row:
    evaluation_id: int
    region_id: int
    region: str
    province: str
    rank: int | None
    index: Decimal | None
    predicate: str  # band code
    predicate_label: str
    improvement: Decimal | None
    published: bool
    scorecard_url: str
    interval: Interval | None = None  # Monte Carlo rank interval, when one describes the rank
    region_code: str = ""  # Kemendagri code: where the map puts the row


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    minimum: Decimal
    count: int


@dataclass(frozen=True)
class DimensionMean:
    code: str
    name: str
    mean: Decimal | None
    count: int


@dataclass(frozen=True)
class RegionLink:
    evaluation_id: int
    region: str
    url: str = ""  # where the link goes (a quick win: the scorecard)


@dataclass(frozen=True)
class QuickWin:
    code: str  # smart dimension code
    name: str
    item: str  # the quick-win item's code
    value: Decimal | None  # the best verified value
    winners: list[RegionLink]  # every region with that value (ties are all candidates)


@dataclass
class Dashboard:
    cycle: Cycle
    previous: Cycle | None
    public: bool
    rows: list[Row]
    places: int
    progress: list[StatusCount] = field(default_factory=list)
    evaluation_count: int = 0
    overdue: list[RegionLink] = field(default_factory=list)
    distribution: list[Band] = field(default_factory=list)
    bins: list[Bin] = field(default_factory=list)
    most_improved: list[Row] = field(default_factory=list)
    dimensions: list[DimensionMean] = field(default_factory=list)
    quick_wins: list[QuickWin] = field(default_factory=list)
    interval_scope: str = ""  # the RankScope the intervals describe; "" when none are shown
    sensitivity: Sensitivity | None = None
    consistency: Consistency | None = None  # the ministry's dashboard only


def dashboard(
    cycle: Cycle, cycles: Sequence[Cycle], filters: Filters, *, public: bool
) -> Dashboard:
    """`cycles`: those the reader may choose from (the previous cycle is looked for among them)."""
    places = cycle.framework_version.rounding_places()
    previous = previous_cycle(cycle, cycles)
    standings = _standings(cycle, filters, public=public)
    rows = _rows(cycle, standings, _previous_figures(previous, public))
    compared = len(rows) >= MINIMUM_COMPARED
    scope = interval_scope(filters)
    if scope is not None and compared:
        rows = with_intervals(cycle, rows, *scope)
    found = Dashboard(cycle=cycle, previous=previous, public=public, rows=rows, places=places)
    found.interval_scope = scope[0] if scope and any(r.interval for r in rows) else ""
    sensitivity = sensitivity_of(cycle)
    if sensitivity is not None and sensitivity.analysis.regions >= MINIMUM_COMPARED:
        found.sensitivity = sensitivity
    if not public:
        found.progress = status_counts(cycle)
        found.evaluation_count = sum(s.count for s in found.progress)
        found.overdue = overdue(cycle, timezone.localdate())
        found.consistency = consistency(cycle, region_map(rows))
    found.distribution = distribution(cycle, rows)
    found.bins = bins(cycle, [r.index for r in rows])
    improved = [r for r in rows if r.improvement is not None]
    improved.sort(key=lambda r: (-(r.improvement or 0), r.region))
    found.most_improved = improved[:MOST_IMPROVED]
    found.dimensions = dimension_means(cycle, standings)
    if compared:
        found.quick_wins = quick_wins(cycle, [r.evaluation_id for r in rows])
    return found


def interval_scope(filters: Filters) -> tuple[RankScope, str] | None:
    """The stored scope the filtered leaderboard ranks, if any: nation, a province, a peer group.

    Other filters (cohort, kind, or two at once) rank a set no analysis was run for.
    """
    if not filters.active:
        return (RankScope.NATIONAL, "")
    if filters.province and not (filters.cohort or filters.kind or filters.peer_group):
        return (RankScope.PROVINCE, filters.province)
    if filters.peer_group and not (filters.cohort or filters.kind or filters.province):
        return (RankScope.PEER, filters.peer_group)
    return None


def with_intervals(cycle: Cycle, rows: list[Row], scope: RankScope, group: str) -> list[Row]:
    """The rows with their stored intervals (one query), where one describes the row's rank.

    The ranks are among the rows shown, so an interval fits only when every row is published
    (the analysis ranked published results) and it counted as many results.
    """
    if not rows or not all(r.published for r in rows):
        return rows
    stored = scope_intervals(cycle, scope, group)
    return [
        dataclasses.replace(r, interval=matching(stored.get(r.evaluation_id), r.rank, len(rows)))
        for r in rows
    ]


def previous_cycle(cycle: Cycle, cycles: Sequence[Cycle]) -> Cycle | None:
    """The same program's cycle just before `cycle` among `cycles`."""

    def order(c: Cycle) -> tuple[int, int]:
        return cycle_order(c.year, c.round)

    earlier = [c for c in cycles if c.program == cycle.program and order(c) < order(cycle)]
    return max(earlier, key=order, default=None)


def status_counts(cycle: Cycle) -> list[StatusCount]:
    """Every status, in workflow order, with how many of the cycle's evaluations are in it."""
    counted = dict(
        Evaluation.objects.filter(cycle=cycle)
        .order_by()  # the default ordering would split the groups
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [StatusCount(s.value, str(s.label), counted.get(s.value, 0)) for s in EvaluationStatus]


def overdue(cycle: Cycle, today: date) -> list[RegionLink]:
    """Evaluations still in self-assessment after their entry deadline (override or cycle's)."""
    late = Q(entry_deadline_override__lt=today)
    deadline = cycle.self_assessment_deadline
    if deadline is not None and deadline < today:
        late |= Q(entry_deadline_override__isnull=True)
    rows = (
        Evaluation.objects.filter(cycle=cycle, status=EvaluationStatus.SELF_ASSESSMENT)
        .filter(late)
        .order_by("region__code")
        .values_list("pk", "region__full_name")
    )
    return [RegionLink(pk, name) for pk, name in rows]


def distribution(cycle: Cycle, rows: list[Row]) -> list[Band]:
    """How many of the rows fall in each predicate band, lowest band first."""
    version = cycle.framework_version
    predicates: dict[str, Any] = version.document.get("predicates") or {}
    bands = predicates.get("bands") or []
    return [
        Band(
            code=str(band["code"]),
            label=version.predicate_label(str(band["code"])),
            minimum=Decimal(str(band.get("minimum", 0))),
            count=sum(1 for r in rows if r.predicate == band["code"]),
        )
        for band in bands
    ]


def dimension_means(cycle: Cycle, standings: list[Standing]) -> list[DimensionMean]:
    """The mean of the published figures of each member of the comparison axis (G100SC: smart
    dimension, SPBE: domain), so a reader can redo it."""
    places = cycle.framework_version.rounding_places()
    axis = comparison_axis(cycle.framework_version)
    by_tags = axis.source == "tags"
    found = []
    for code, name in axis.names.items():
        figures = [s.tag_index(code) if by_tags else s.node_index(code) for s in standings]
        present = [f for f in figures if f is not None]
        mean = sum(present, Decimal(0)) / len(present) if present else None
        found.append(DimensionMean(code, name, published_figure(mean, places), len(present)))
    return found


def quick_wins(cycle: Cycle, evaluation_ids: list[int]) -> list[QuickWin]:
    """Per smart dimension, the regions with the highest verified value of its quick-win item.

    A candidate must reach the middle of the framework's scale: the lowest levels of a quick-win
    item say the program has not started or copies another, which no award rewards.
    Three queries whatever the region count: the quick-win items with their tags, their values
    (no join, no sort, no JSON per row: six values per region), and the names of the winning
    regions only.
    """
    names = dimension_names(cycle.framework_version)
    nodes = FrameworkNode.objects.filter(
        version=cycle.framework_version_id, parent__code=QUICK_WIN_GROUP
    ).values_list("pk", "code", "tags")
    dimension_of = {pk: next((t for t in tags or [] if t in names), "") for pk, _c, tags in nodes}
    code_of = {pk: code for pk, code, _tags in nodes}
    # No ordering: the model's default one joins four tables and sorts every row.
    values = (
        ItemValue.objects.filter(evaluation_id__in=evaluation_ids, indicator_id__in=list(code_of))
        .order_by()
        .values_list("indicator_id", "evaluation_id", "verified_value")
    )
    items: dict[str, tuple[str, list[tuple[Decimal, int]]]] = {}
    for indicator, pk, value in values:
        entry = items.setdefault(dimension_of[indicator], (code_of[indicator], []))
        if value is not None:
            entry[1].append((value, pk))
    floor = award_floor(cycle)
    best = {
        code: max((v for v, _pk in found if v >= floor), default=None)
        for code, (_i, found) in items.items()
    }
    winning = {pk for code, (_i, found) in items.items() for v, pk in found if v == best[code]}
    region_of = dict(
        Evaluation.objects.filter(pk__in=winning).values_list("pk", "region__full_name")
    )
    # Ties at the top are common (hundreds of regions at the scale's top): one reverse per page.
    link = reverse("scorecards:scorecard", args=[STAND_IN_ID])
    result = []
    for code, name in names.items():
        if code not in items:
            continue
        item, candidates = items[code]
        winners = sorted(
            (
                RegionLink(pk, region_of[pk], link.replace(str(STAND_IN_ID), str(pk)))
                for v, pk in candidates
                if v == best[code]
            ),
            key=lambda w: w.region,
        )
        result.append(QuickWin(code, name, item, best[code], winners))
    return result


def award_floor(cycle: Cycle) -> Decimal:
    """The lowest value an award candidate may have: the middle of the framework's scale."""
    scale: dict[str, Any] = cycle.framework_version.document.get("scale") or {}
    low = Decimal(str(scale.get("minimum", 1)))
    high = Decimal(str(scale.get("maximum", 5)))
    return (low + high) / 2


def _standings(cycle: Cycle, filters: Filters, *, public: bool) -> list[Standing]:
    """The filtered current results (published only on the public version), ranked among
    themselves by the one rule (`results.standings`)."""
    snapshots = ResultSnapshot.objects.for_cycle(cycle.pk)
    if public:
        snapshots = snapshots.published()
    region = "evaluation__region__"
    conditions: dict[str, object] = {}
    if filters.cohort:
        conditions[region + "cohort__year"] = filters.cohort
    if filters.province:
        conditions[region + "province__code"] = filters.province
    if filters.kind:
        conditions[region + "kind"] = filters.kind
    if filters.peer_group:
        conditions[region + "peer_groups__code"] = filters.peer_group
    return rank_standings(snapshots.filter(**conditions), cycle.framework_version)


def _previous_figures(previous: Cycle | None, public: bool) -> dict[int, Decimal | None]:
    """Region id -> the previous cycle's published index (what its results letter printed)."""
    if previous is None:
        return {}
    snapshots = ResultSnapshot.objects.for_cycle(previous.pk)
    if public:
        snapshots = snapshots.published()
    places = previous.framework_version.rounding_places()
    return {
        region: published_figure(index, places)
        for region, index in snapshots.values_list("evaluation__region_id", "index")
    }


def _rows(cycle: Cycle, standings: list[Standing], before: dict[int, Decimal | None]) -> list[Row]:
    rounding = Rounding(places=cycle.framework_version.rounding_places())
    link = reverse("scorecards:scorecard", args=[STAND_IN_ID])
    return [
        Row(
            evaluation_id=s.evaluation_id,
            region_id=s.region_id,
            region=s.region,
            province=s.province,
            rank=s.rank,
            index=s.index,
            predicate=s.predicate,
            predicate_label=s.predicate_label,
            improvement=improvement(s.index, before.get(s.region_id), rounding),
            published=s.published,
            scorecard_url=link.replace(str(STAND_IN_ID), str(s.evaluation_id)),
            region_code=s.region_code,
        )
        for s in standings
    ]
