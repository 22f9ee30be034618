"""Reading stored rank intervals for the pages that print ranks (scorecard, dashboard).

An interval is shown beside a rank only when it was computed for that very ranking: the same
official rank among the same number of results. The pages rank among published results too, so
they agree whenever the analysis is current (it is recomputed in every transaction that changes
the published set); the check keeps an interval off a ranking it does not describe (the admin
dashboard with unpublished rows, a filter that has no stored scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus
from cityeval.frameworks.models import pick_language
from cityeval.results.models import RankAnalysis, RankInterval, RankScope


@dataclass(frozen=True)
class Interval:
    median: int
    low: int  # the best rank of the interval
    high: int  # the worst
    draws: int
    percent: int  # the interval's coverage, e.g. 90 for 5–95%

    @property
    def fixed(self) -> bool:
        return self.low == self.high


Key = tuple[str, str]  # (scope, group code)


def evaluation_intervals(evaluation: Evaluation) -> dict[Key, RankInterval]:
    """The evaluation's stored intervals by (scope, group); none unless it is published."""
    if evaluation.status != EvaluationStatus.PUBLISHED:
        return {}
    rows = RankInterval.objects.filter(evaluation=evaluation).select_related("analysis")
    return {(row.scope, row.group): row for row in rows}


def scope_intervals(cycle: Cycle, scope: RankScope, group: str = "") -> dict[int, RankInterval]:
    """Evaluation id -> its interval in one scope of the cycle (one query)."""
    rows = RankInterval.objects.filter(
        analysis__cycle=cycle, scope=scope, group=group
    ).select_related("analysis")
    return {row.evaluation_id: row for row in rows}


def matching(row: RankInterval | None, rank: int | None, of: int) -> Interval | None:
    """The interval of `row` if it describes this rank among `of` results, else None."""
    if row is None or rank is None or row.nominal != rank or row.of != of:
        return None
    return Interval(row.median, row.low, row.high, row.analysis.draws, coverage(row.analysis))


def coverage(analysis: RankAnalysis) -> int:
    low, high = (analysis.interval or [0.05, 0.95])[:2]
    return round((float(high) - float(low)) * 100)


@dataclass(frozen=True)
class Influence:
    input: str  # "weights:<code>", "aggregation" or "missing"
    label: str
    mean_shift: float  # mean absolute rank shift when this choice alone varies
    max_shift: int


@dataclass(frozen=True)
class Sensitivity:
    analysis: RankAnalysis
    influences: list[Influence]  # the most influential first

    @property
    def percent(self) -> int:
        return coverage(self.analysis)

    @property
    def top(self) -> Influence | None:
        return self.influences[0] if self.influences else None


def sensitivity_of(cycle: Cycle) -> Sensitivity | None:
    """The cycle's stored sensitivity summary in words (one query); None before publication."""
    analysis = RankAnalysis.objects.filter(cycle=cycle).first()
    if analysis is None:
        return None
    names = _top_level_names(cycle)
    influences = [
        Influence(
            str(entry["input"]),
            input_label(str(entry["input"]), names),
            float(entry["mean_shift"]),
            int(entry["max_shift"]),
        )
        for entry in analysis.sensitivity
    ]
    return Sensitivity(analysis, influences)


def input_label(name: str, nodes: dict[str, str]) -> str:
    """A reader's name for one uncertain input of the analysis."""
    if name == "aggregation":
        return _("Cara agregasi (aritmetik atau geometrik)")
    if name == "missing":
        return _("Perlakuan butir tanpa nilai")
    code = name.removeprefix("weights:")
    if code == nodes.get("", ""):
        return _("Bobot antarkomponen utama indeks")
    return _("Bobot di dalam %(node)s") % {"node": nodes.get(code, code)}


def _top_level_names(cycle: Cycle) -> dict[str, str]:
    """Top-level node code -> name; "" -> the root's code (no query: the version's document)."""
    tree: dict[str, Any] = cycle.framework_version.document.get("tree") or {}
    found = {"": str(tree.get("code", ""))}
    for child in tree.get("children") or []:
        names = child.get("name") or {}
        found[str(child["code"])] = pick_language(names.get("id", ""), names.get("en", ""))
    return found
