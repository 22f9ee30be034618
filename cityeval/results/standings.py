"""A cycle's standings: its results as published, ranked. The one ranking of the project.

Every page, export and API route that prints a rank reads it here (`published_standings`), so a
region has the same rank everywhere. The rule (docs/decisions.md):

- figures are the PUBLISHED ones: the stored index rounded half-up to the framework's places
  (`FrameworkVersion.rounding_places`, two for G100SC), as the results letter prints them;
- ranks are competition ranks (1-2-2-4) on that figure: regions that publish the same figure
  share the best rank of their block and the next rank skips; a result without an index is
  unranked;
- the official ranks count the cycle's PUBLISHED current results only
  (`ResultSnapshot.objects.published()`), so an unpublished figure neither shows nor moves one;
- rows come best first, then by region code.

`rank_standings` ranks another set the same way: the ministry's dashboard ranks the (filtered)
rows it shows, a scorecard before publication ranks among every current result of its cycle.
Either reads one query, whatever the number of regions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.frameworks.models import FrameworkVersion
from cityeval.results.figures import published_figure
from cityeval.results.models import ResultSnapshot, ResultSnapshotQuerySet
from scoring.rank import competition_ranks, group_ranks

UNRANKED = 10**9  # sorts unranked rows last

_COLUMNS = (
    "evaluation_id",
    "evaluation__status",
    "evaluation__region_id",
    "evaluation__region__code",
    "evaluation__region__full_name",
    "evaluation__region__province_id",
    "evaluation__region__province__code",
    "evaluation__region__province__name",
    "index",
    "predicate",
)
_FIGURES = ("node_indices", "tag_indices")


@dataclass(frozen=True)
class Standing:
    """One result as published, with its ranks among the set it was ranked in."""

    evaluation_id: int
    status: str
    region_id: int
    region_code: str
    region: str  # full name
    province_id: int
    province_code: str
    province: str
    index: Decimal | None  # as published
    predicate: str  # band code
    predicate_label: str  # in the active language
    rank: int | None
    rank_province: int | None
    places: int
    # The stored figures (node code / tag code -> decimal text); read them through the accessors.
    node_indices: Mapping[str, object] = field(default_factory=dict, repr=False)
    tag_indices: Mapping[str, object] = field(default_factory=dict, repr=False)

    @property
    def published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED

    def node_index(self, code: str) -> Decimal | None:
        """A framework node's index as published."""
        return published_figure(self.node_indices.get(code), self.places)

    def tag_index(self, code: str) -> Decimal | None:
        """A smart dimension's (or element's) index as published."""
        return published_figure(self.tag_indices.get(code), self.places)


def published_standings(cycle: Cycle) -> list[Standing]:
    """The cycle's official standings: its published results, ranked, best first."""
    return rank_standings(
        ResultSnapshot.objects.published().filter(evaluation__cycle_id=cycle.pk),
        cycle.framework_version,
    )


def published_standings_of(
    cycles: Iterable[Cycle], *, figures: bool = True
) -> dict[int, list[Standing]]:
    """`published_standings` of several cycles in one query (cycle id -> standings).

    `figures=False` leaves the node and smart dimension figures out (a leaderboard's read).
    """
    chosen = {cycle.pk: cycle for cycle in cycles}
    snapshots = ResultSnapshot.objects.published().filter(evaluation__cycle_id__in=list(chosen))
    rows: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    columns = ("evaluation__cycle_id", *_COLUMNS, *(_FIGURES if figures else ()))
    for cycle_id, *row in snapshots.values_list(*columns):
        rows[cycle_id].append(tuple(row))
    return {pk: _ranked(rows[pk], cycle.framework_version) for pk, cycle in chosen.items()}


def rank_standings(snapshots: ResultSnapshotQuerySet, version: FrameworkVersion) -> list[Standing]:
    """These results ranked among themselves by the one rule, best first (one query)."""
    return _ranked(list(snapshots.values_list(*_COLUMNS, *_FIGURES)), version)


def _ranked(rows: list[tuple[Any, ...]], version: FrameworkVersion) -> list[Standing]:
    places = version.rounding_places()
    figures = {row[0]: published_figure(row[8], places) for row in rows}
    national = competition_ranks(figures)
    provincial = group_ranks(figures, {row[0]: row[5] for row in rows})
    found = []
    for row in rows:
        pk, status, region_id, code, name, province_id, province_code, province = row[:8]
        predicate, more = row[9] or "", row[10:]
        found.append(
            Standing(
                evaluation_id=pk,
                status=status,
                region_id=region_id,
                region_code=code,
                region=name,
                province_id=province_id,
                province_code=province_code,
                province=province,
                index=figures[pk],
                predicate=predicate,
                predicate_label=version.predicate_label(predicate),
                rank=national[pk],
                rank_province=provincial[pk],
                places=places,
                node_indices=_mapping(more[0]) if more else {},
                tag_indices=_mapping(more[1]) if more else {},
            )
        )
    found.sort(key=lambda s: (s.rank or UNRANKED, s.region_code, s.evaluation_id))
    return found


def _mapping(stored: object) -> Mapping[str, object]:
    return stored if isinstance(stored, Mapping) else {}
