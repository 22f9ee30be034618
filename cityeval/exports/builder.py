"""A cycle's results as plain rows, read in a fixed number of queries whatever the region count.

Figures are `Decimal`: the published ones (index, dimension indices) rounded half-up to the
framework's places (two for G100SC) exactly as the results letter prints them; item values as
stored, without trailing zeros. Codes (status, kind, review status, predicate) stay codes so
that the data is stable across languages; the README of each export explains them.

Ranks are the OFFICIAL ranks: competition ranks among the cycle's published results only. An
unpublished result (seen by an admin or the region itself) has no rank, so that an unpublished
figure never moves a published rank and a published region has the same rank in every export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from cityeval.evaluations.models import Cycle, EvaluationQuerySet, EvaluationStatus, ItemValue
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.results.figures import published_figure
from cityeval.results.models import ResultSnapshot
from cityeval.results.standings import published_standings

# Programs whose regions join in cohorts (`Region.cohort` records the year a region joined G100SC);
# another program's export has no cohort column, since the region's G100SC year says nothing there.
COHORT_PROGRAMS = frozenset({"G100SC"})

RESULTS_LICENCE = "CC BY 4.0"
RESULTS_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
REGIONS_LICENCE = "ODbL 1.0 (idn-area-data)"
REGIONS_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    province_code: str
    province: str
    kind: str
    cohort: int | None
    status: str
    index: Decimal | None
    predicate: str
    predicate_label: str
    rank_national: int | None
    rank_province: int | None
    evaluation_dimensions: dict[str, Decimal | None]
    smart_dimensions: dict[str, Decimal | None]

    @property
    def published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED


@dataclass(frozen=True)
class ItemRow:
    region_code: str
    region_name: str
    indicator_code: str
    indicator_name: str
    smart_dimension: str
    self_value: Decimal | None
    verified_value: Decimal | None
    review_status: str


@dataclass
class CycleExport:
    cycle: Cycle
    framework_ref: str
    places: int
    # Node code -> name: the top-level nodes, and the second level too when the framework has no
    # tag axis (SPBE: 4 domains, then 8 aspects), so that a plain tree is not reduced to 4 figures.
    evaluation_dimensions: dict[str, str]
    smart_dimensions: dict[str, str]  # top-level tag code -> name
    regions: list[RegionRow]
    has_cohorts: bool = True  # the program's regions join in cohorts (COHORT_PROGRAMS)
    node_levels: dict[str, int] = field(default_factory=dict)  # code -> depth of each node above
    node_parents: dict[str, str] = field(default_factory=dict)  # code -> parent code (level 2)
    items: list[ItemRow] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def slug(self) -> str:
        return cycle_slug(self.cycle)


def cycle_slug(cycle: Cycle) -> str:
    """The start of every file name of the cycle's exports (`g100sc-2023-annual-results.xlsx`)."""
    return f"{cycle.program}-{cycle.year}-{cycle.round}".lower()


def build_export(
    cycle: Cycle,
    evaluations: EvaluationQuerySet,
    *,
    results: Q,
    items: Q | None = None,
    generated_at: datetime | None = None,
) -> CycleExport:
    """The rows of `evaluations` (already limited to what the person may see).

    `results`: the evaluations whose results and verified values the person may see
    (`evaluations.visibility.results_visible`); the other rows carry status and self-assessed
    values only. `items`: which item rows to add (a filter on ItemValue); None leaves them out.
    `generated_at`: the time the files state (now by default; the public files state the time
    of the publication they show, so that the same state always gives the same bytes).
    """
    shown = set(evaluations.filter(results).values_list("pk", flat=True))
    version = cycle.framework_version
    places = version.rounding_places()
    nodes = list(FrameworkNode.objects.filter(version=version).order_by("sequence"))
    smart = dimension_names(version)
    deepest = 1 if smart else 2
    shown_nodes = sorted(
        (node for node in nodes if 1 <= node.depth <= deepest),
        key=lambda node: (node.depth, node.sequence),
    )
    top = {node.code: node.name for node in shown_nodes}
    codes = {node.pk: node.code for node in nodes}
    export = CycleExport(
        cycle=cycle,
        framework_ref=version.ref,
        places=places,
        evaluation_dimensions=top,
        smart_dimensions=smart,
        regions=_region_rows(cycle, evaluations, shown, list(top), list(smart)),
        has_cohorts=cycle.program in COHORT_PROGRAMS,
        node_levels={node.code: node.depth for node in shown_nodes},
        node_parents={
            node.code: codes[node.parent_id]
            for node in shown_nodes
            if node.depth > 1 and node.parent_id is not None
        },
        generated_at=generated_at or timezone.now(),
    )
    if items is not None:
        export.items = _item_rows(evaluations, shown, items, nodes, smart)
    return export


def plain(value: Decimal | None) -> Decimal | None:
    """A stored item value without the storage's trailing zeros (3.0000 -> 3, 42.5000 -> 42.5)."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _region_rows(
    cycle: Cycle,
    evaluations: EvaluationQuerySet,
    shown: set[int],
    top: list[str],
    smart: list[str],
) -> list[RegionRow]:
    version = cycle.framework_version
    places = version.rounding_places()
    # The cycle is known: joining it again would decode the framework's whole document (a JSON
    # field of the version) once per row, most of the file's time at national scale.
    rows = list(
        evaluations.order_by("region__code")
        .select_related(None)
        .select_related("region__province", "region__cohort")
    )
    labels: dict[str, str] = {}  # predicate code -> label, looked up once per code
    # The official standings (published results, one rule for every surface) give the ranks.
    official = {s.evaluation_id: s for s in published_standings(cycle)}
    snapshots = {
        s.evaluation_id: s
        for s in ResultSnapshot.objects.current()
        .filter(evaluation__in=shown)
        .only("evaluation_id", "index", "predicate", "node_indices", "tag_indices")
    }
    result = []
    for evaluation in rows:
        region = evaluation.region
        snapshot = snapshots.get(evaluation.pk)
        standing = official.get(evaluation.pk)
        predicate = snapshot.predicate if snapshot else ""
        if predicate not in labels:
            labels[predicate] = version.predicate_label(predicate)
        result.append(
            RegionRow(
                code=region.code,
                name=region.full_name,
                province_code=region.province.code,
                province=region.province.name,
                kind=region.kind,
                cohort=region.cohort.year if region.cohort else None,
                status=evaluation.status,
                index=snapshot.published_index(places) if snapshot else None,
                predicate=predicate,
                predicate_label=labels[predicate],
                rank_national=standing.rank if standing else None,
                rank_province=standing.rank_province if standing else None,
                evaluation_dimensions=_figures(
                    snapshot.node_indices if snapshot else {}, top, places
                ),
                smart_dimensions=_figures(snapshot.tag_indices if snapshot else {}, smart, places),
            )
        )
    return result


def _figures(
    stored: Mapping[str, object], codes: list[str], places: int
) -> dict[str, Decimal | None]:
    return {code: published_figure(stored.get(code), places) for code in codes}


def _item_rows(
    evaluations: EvaluationQuerySet,
    shown: set[int],
    allowed: Q,
    nodes: list[FrameworkNode],
    smart: Mapping[str, str],
) -> list[ItemRow]:
    # Each indicator's columns once (its name in the active language, its smart dimension), not
    # once per region.
    columns = {
        node.pk: (node.code, node.name, next((tag for tag in node.tags if tag in smart), ""))
        for node in nodes
    }
    values = (
        ItemValue.objects.filter(allowed, evaluation__in=evaluations.values("pk"))
        .order_by("evaluation__region__code", "indicator__sequence")
        .values_list(
            "evaluation_id",
            "evaluation__region__code",
            "evaluation__region__full_name",
            "indicator_id",
            "self_value",
            "verified_value",
            "review_status",
        )
    )
    rows = []
    for evaluation_id, region_code, region_name, indicator_id, own, verified, review in values:
        code, name, dimension = columns[indicator_id]
        rows.append(
            ItemRow(
                region_code=region_code,
                region_name=region_name,
                indicator_code=code,
                indicator_name=name,
                smart_dimension=dimension,
                self_value=plain(own),
                verified_value=plain(verified) if evaluation_id in shown else None,
                review_status=review,
            )
        )
    return rows
