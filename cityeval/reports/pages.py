"""What the report, editor and result pages show, read from the database in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.axes import AxisFigures, figures, result_axes
from cityeval.frameworks.dimensions import item_dimensions, report_dimensions
from cityeval.frameworks.models import FrameworkNode
from cityeval.frameworks.tags import dimension_names
from cityeval.reports.models import AssessorReport, FindingKind, Recommendation
from cityeval.results.models import ResultSnapshot


@dataclass
class Section:
    code: str
    name: str
    index: Decimal | None = None
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        """Whether the assessors wrote anything under this dimension."""
        return bool(self.strengths or self.weaknesses or self.recommendations)


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    value: Decimal | None  # a Decimal, so that templates print it in the reader's locale


@dataclass(frozen=True)
class Result:
    snapshot: ResultSnapshot
    predicate: str
    evaluation_dimensions: list[Figure]
    smart_dimensions: list[Figure]
    # Every axis the result is shown by (`frameworks.axes.result_axes`): G100SC the evaluation
    # dimensions and the smart dimensions, SPBE its domains and its aspects.
    axes: list[AxisFigures]


def current_snapshot(evaluation: Evaluation) -> ResultSnapshot | None:
    return (
        ResultSnapshot.objects.current()
        .filter(evaluation=evaluation)
        .select_related("created_by")
        .first()
    )


def result_of(evaluation: Evaluation) -> Result | None:
    """The current official result in names a reader understands; None before finalisation."""
    snapshot = current_snapshot(evaluation)
    if snapshot is None:
        return None
    version = snapshot.framework_version
    top = FrameworkNode.objects.filter(version=version, depth=1).order_by("sequence")
    tagged = dimension_names(version)
    return Result(
        snapshot=snapshot,
        predicate=version.predicate_label(snapshot.predicate),
        evaluation_dimensions=[
            Figure(node.code, node.name, snapshot.node_index(node.code)) for node in top
        ],
        smart_dimensions=[
            Figure(code, name, snapshot.tag_index(code)) for code, name in tagged.items()
        ],
        axes=figures(result_axes(version), snapshot.node_indices, snapshot.tag_indices),
    )


def report_sections(
    evaluation: Evaluation, report: AssessorReport | None, result: Result | None = None
) -> list[Section]:
    """Per dimension: its index (when final), findings and recommendations, in document order."""
    dimensions = report_dimensions(evaluation.cycle.framework_version)
    sections = {code: Section(code, name) for code, name in dimensions.items()}
    if result is not None:
        figures = result.smart_dimensions or result.evaluation_dimensions
        for figure in figures:
            if figure.code in sections:
                sections[figure.code].index = figure.value
    if report is not None:
        for finding in report.findings.order_by("order", "pk"):
            section = sections.get(finding.dimension)
            if section is None:
                continue
            target = (
                section.strengths if finding.kind == FindingKind.STRENGTH else section.weaknesses
            )
            target.append(finding.text)
    for recommendation in recommendations_of(evaluation):
        if recommendation.dimension in sections:
            sections[recommendation.dimension].recommendations.append(recommendation)
    return list(sections.values())


def recommendations_of(evaluation: Evaluation) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(evaluation=evaluation)
        .select_related("item__indicator", "updated_by", "responsible_opd")
        .order_by("dimension", "order", "pk")
    )


def item_choices(
    evaluation: Evaluation,
) -> tuple[dict[str, list[tuple[int, str]]], dict[int, ItemValue]]:
    """Per dimension the (id, label) of its items, and every item by id."""
    by_node = item_dimensions(evaluation.cycle.framework_version)
    items = list(
        ItemValue.objects.filter(evaluation=evaluation)
        .select_related("indicator")
        .order_by("indicator__sequence")
    )
    choices: dict[str, list[tuple[int, str]]] = {}
    for item in items:
        dimension = by_node.get(item.indicator_id)
        if dimension is not None:
            name = item.indicator.name
            label = f"{item.indicator.code} — {name[:70]}{'…' if len(name) > 70 else ''}"
            choices.setdefault(dimension, []).append((item.pk, label))
    return choices, {item.pk: item for item in items}
