"""Everything the scorecard page shows for one evaluation, read in a fixed number of queries.

The official figures come from the evaluation's current snapshot. The self-assessed side of the
"self versus verified" comparison is scored here with the same engine from the region's own
values, so both sides are computed the same way. The number of queries does not grow with the
number of regions in the cycle: the cycle's results are read in one query (`ranking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cityeval.evaluations.models import Evaluation, ItemValue, cycle_order
from cityeval.frameworks.axes import Axis, comparison_axis
from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.models import FrameworkNode
from cityeval.reports.followups import FollowUpRow, follow_up_rows
from cityeval.reports.models import AssessorReport
from cityeval.reports.pages import Result, Section, report_sections, result_of
from cityeval.reports.scores import previous_values
from cityeval.results.figures import decimal_of
from cityeval.results.intervals import evaluation_intervals
from cityeval.results.models import ResultSnapshot
from cityeval.results.standings import Standing
from cityeval.scorecards.progress import ProgressTable, progress_table
from cityeval.scorecards.ranking import Rank, cycle_entries, ranks_of, with_intervals
from scoring.engine import score_region
from scoring.improve import gains_per_step
from scoring.model import Framework, MissingPolicy
from scoring.rank import improvement
from scoring.rounding import quantize

STEPS_SHOWN = 5  # "How to improve" list
SIMULATOR_ITEMS = 10  # items offered in the what-if simulator

Values = dict[str, Decimal | None]


@dataclass(frozen=True)
class TrendPoint:
    label: str
    index: Decimal
    current: bool


@dataclass(frozen=True)
class Claim:
    """One member of the comparison axis (G100SC: a smart dimension, SPBE: a domain) scored
    from the region's own values and from the verified ones."""

    code: str
    name: str
    claimed: Decimal | None
    verified: Decimal | None
    national_mean: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.claimed is None or self.verified is None:
            return None
        return self.claimed - self.verified


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    current: Decimal | None
    next_level: int
    gain: Decimal
    rubric: str


@dataclass
class Scorecard:
    evaluation: Evaluation
    result: Result
    framework: Framework
    axis: Axis  # what the charts and the self-versus-verified table compare (`comparison_axis`)
    index: Decimal
    previous: TrendPoint | None
    improvement: Decimal | None
    ranks: list[Rank]
    trend: list[TrendPoint]
    claims: list[Claim]
    steps: list[Step]
    simulator_items: list[Step]
    sections: list[Section]
    follow_ups: list[FollowUpRow]
    entries: list[Standing]
    values: Values
    previous_values: Values | None
    progress: ProgressTable

    @property
    def has_findings(self) -> bool:
        """Whether any dimension carries a finding or a recommendation (sections exist for
        every dimension, written to or not)."""
        return any(section.filled for section in self.sections)


def scorecard(evaluation: Evaluation) -> Scorecard | None:
    """The scorecard of a finalised or published evaluation; None before finalisation."""
    result = result_of(evaluation)
    if result is None:
        return None
    snapshot = result.snapshot
    framework = to_scoring(snapshot.framework_version)
    rounding = framework.rounding
    index = quantize(snapshot.index, rounding)
    values = snapshot.input_values()
    earlier = (
        previous_values(evaluation) if framework.missing is MissingPolicy.CARRY_FORWARD else None
    )
    entries = cycle_entries(evaluation)
    history = _history(evaluation, snapshot)
    trend = [
        TrendPoint(_cycle_label(r.evaluation), quantize(r.index, rounding), r.pk == snapshot.pk)
        for r in history
    ]
    previous = trend[-2] if len(trend) > 1 else None
    gains = gains_per_step(framework, values, previous=earlier)
    useful = [g for g in gains if g.gain > 0]
    nodes = {
        n.code: n
        for n in FrameworkNode.objects.filter(
            version=snapshot.framework_version,
            code__in=[g.code for g in useful[:SIMULATOR_ITEMS]],
        )
    }
    steps = [
        Step(
            g.code,
            nodes[g.code].name,
            g.current,
            g.next_level,
            g.gain,
            nodes[g.code].rubric(g.next_level),
        )
        for g in useful[:SIMULATOR_ITEMS]
        if g.code in nodes
    ]
    report = AssessorReport.objects.filter(evaluation=evaluation).first()
    axis = comparison_axis(snapshot.framework_version)
    return Scorecard(
        evaluation=evaluation,
        result=result,
        framework=framework,
        axis=axis,
        index=index,
        previous=previous,
        improvement=improvement(index, previous.index, rounding) if previous else None,
        ranks=with_intervals(
            ranks_of(evaluation, index, entries), evaluation_intervals(evaluation)
        ),
        trend=trend,
        claims=_claims(evaluation, framework, axis, snapshot, entries, earlier),
        steps=steps[:STEPS_SHOWN],
        simulator_items=steps,
        sections=report_sections(evaluation, report, result),
        follow_ups=follow_up_rows(evaluation),
        entries=entries,
        values=values,
        previous_values=earlier,
        progress=progress_table(
            snapshot.framework_version, [(r.evaluation.cycle.year, r.inputs) for r in history]
        ),
    )


def _history(evaluation: Evaluation, snapshot: ResultSnapshot) -> list[ResultSnapshot]:
    """The region's published results of the program, and this one, in cycle order (one query).

    Other cycles count only once published: their figures may still change before that, and a
    public reader must not see them. The trend and the progress bands both read these.
    """
    rows = (
        (ResultSnapshot.objects.published() | ResultSnapshot.objects.filter(pk=snapshot.pk))
        .filter(
            evaluation__region_id=evaluation.region_id,
            evaluation__cycle__program=evaluation.cycle.program,
        )
        .select_related("evaluation__cycle")
    )
    here = _order(evaluation)
    return sorted(
        (r for r in rows if _order(r.evaluation) <= here), key=lambda r: _order(r.evaluation)
    )


def _claims(
    evaluation: Evaluation,
    framework: Framework,
    axis: Axis,
    snapshot: ResultSnapshot,
    entries: list[Standing],
    earlier: Values | None,
) -> list[Claim]:
    own: Values = dict(
        ItemValue.objects.filter(evaluation=evaluation).values_list("indicator__code", "self_value")
    )
    scored = score_region(framework, own, previous=earlier)
    claimed = scored.tags if axis.source == "tags" else scored.nodes
    verified = axis.value(snapshot.node_indices, snapshot.tag_indices)
    others = [e.tag_indices if axis.source == "tags" else e.node_indices for e in entries]
    claims = []
    for code, name in axis.names.items():
        present = [v for v in (decimal_of(row.get(code)) for row in others) if v is not None]
        mean = (
            quantize(sum(present, Decimal(0)) / len(present), framework.rounding)
            if present
            else None
        )
        claims.append(Claim(code, name, claimed.get(code), decimal_of(verified.get(code)), mean))
    return claims


def _order(evaluation: Evaluation) -> tuple[int, int]:
    return cycle_order(evaluation.cycle.year, evaluation.cycle.round)


def _cycle_label(evaluation: Evaluation) -> str:
    cycle = evaluation.cycle
    if cycle.round == "annual":
        return str(cycle.year)
    return f"{cycle.year} {cycle.get_round_display()}"
