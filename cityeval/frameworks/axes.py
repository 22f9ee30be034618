"""The axes a framework's results are shown by, written once for every page, PDF and table.

A framework with a tag axis (G100SC) compares regions per smart dimension (its top-level tags)
and shows the first level of its tree (the evaluation dimensions) beside it. A framework without
one (SPBE) is shown by the levels of its own tree: every group level above the indicators (SPBE:
4 domains, then 8 aspects), and compared per top-level node (`report_dimensions`). Titles come
from the framework: the tag axis names itself in the file; a tree level takes the program's word
for it (`LEVEL_TITLES`), or a neutral "level n" for a program without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityeval.frameworks.models import FrameworkNode, FrameworkVersion, NodeKind, pick_language
from cityeval.frameworks.tags import dimension_names

# The program's own words for the levels of its tree below the root (depth 1, 2, ...). The
# framework file has no field for them yet; adding one is a format change and a new version.
LEVEL_TITLES = {
    "G100SC": (gettext_lazy("Dimensi evaluasi"),),
    "SPBE": (gettext_lazy("Domain"), gettext_lazy("Aspek")),
}
# The title of a region's scorecard in each program; another program says "scorecard <code>".
SCORECARD_TITLES = {
    "G100SC": gettext_lazy("Kartu skor smart city"),
    "SPBE": gettext_lazy("Kartu skor SPBE"),
}


def scorecard_title(version: FrameworkVersion) -> str:
    title = SCORECARD_TITLES.get(version.code)
    if title is not None:
        return str(title)
    return _("Kartu skor %(program)s") % {"program": version.code}


@dataclass(frozen=True)
class Axis:
    """One way of grouping results: a tag axis or one level of the tree."""

    key: str  # "tags" or "level-<depth>": stable, for test ids and query strings
    source: Literal["tags", "nodes"]  # which snapshot field holds its indices
    title: str
    names: dict[str, str]  # code -> name, in document order

    @property
    def heading(self) -> str:
        """The column heading over the axis's members in a table: a tree level says its own word
        (SPBE: "Domain"), the tag axis the plain "Dimensi" its pages have always shown."""
        return self.title if self.source == "nodes" else _("Dimensi")

    def value(self, node_indices: dict[str, str], tag_indices: dict[str, str]) -> dict[str, str]:
        """The indices of this axis's members out of a snapshot's two index fields."""
        found = tag_indices if self.source == "tags" else node_indices
        return {code: found[code] for code in self.names if code in found}


@dataclass(frozen=True)
class AxisFigure:
    code: str
    name: str
    value: Decimal | None


@dataclass(frozen=True)
class AxisFigures:
    axis: Axis
    figures: list[AxisFigure]


def uses_masterplan(version: FrameworkVersion) -> bool:
    """Whether items of this framework are computed from a region's masterplan (G100SC)."""
    return FrameworkNode.objects.filter(version=version, data_source="programs").exists()


def has_tags(version: FrameworkVersion) -> bool:
    return bool(dimension_names(version))


def tag_axis_title(version: FrameworkVersion) -> str:
    axis = version.document.get("tag_axis") or {}
    names = axis.get("name") or {}
    return pick_language(str(names.get("id", "")), str(names.get("en", ""))) or _("Dimensi")


def level_title(version: FrameworkVersion, depth: int) -> str:
    titles = LEVEL_TITLES.get(version.code, ())
    if 0 < depth <= len(titles):
        return str(titles[depth - 1])
    return _("Tingkat %(depth)s") % {"depth": depth}


def tree_levels(version: FrameworkVersion) -> list[Axis]:
    """Every group level of the tree above the indicators, from the top (one query)."""
    levels: dict[int, dict[str, str]] = {}
    nodes = FrameworkNode.objects.filter(version=version, depth__gte=1, kind=NodeKind.GROUP)
    for node in nodes.order_by("sequence"):
        levels.setdefault(node.depth, {})[node.code] = node.name
    return [
        Axis(f"level-{depth}", "nodes", level_title(version, depth), names)
        for depth, names in sorted(levels.items())
    ]


def comparison_axis(version: FrameworkVersion) -> Axis:
    """The axis regions are compared and reported by: the tags, else the tree's first level."""
    tags = dimension_names(version)
    if tags:
        return Axis("tags", "tags", tag_axis_title(version), tags)
    levels = tree_levels(version)
    if levels:
        return levels[0]
    return Axis("level-1", "nodes", level_title(version, 1), {})


def result_axes(version: FrameworkVersion) -> list[Axis]:
    """Every axis a result is shown by, in reading order.

    With tags: the tree's first level, then the tag axis. Without: every level of the tree.
    """
    levels = tree_levels(version)
    if has_tags(version):
        return [*levels[:1], comparison_axis(version)]
    return levels or [comparison_axis(version)]  # the comparison axis is always among them


def item_members(version: FrameworkVersion, axis: Axis) -> dict[str, str]:
    """Indicator code -> the member of `axis` it counts under (one query).

    Under a tag axis, the first of the item's tags that is a member; under a tree level, the
    item's ancestor at that level.
    """
    nodes = list(FrameworkNode.objects.filter(version=version).order_by("sequence"))
    code_of = {node.pk: node.code for node in nodes}
    return {code_of[pk]: member for pk, member in _members(nodes, axis).items()}


@dataclass(frozen=True)
class ItemFilter:
    """What an item list can be narrowed to: the comparison axis where there are tags (G100SC:
    smart dimensions), else every level of the tree (SPBE: domains and aspects)."""

    axes: list[Axis]
    members: dict[str, dict[int, str]]  # axis key -> indicator id -> member code

    def axis_of(self, code: str) -> Axis | None:
        return next((axis for axis in self.axes if code in axis.names), None)

    def group_of(self, code: str) -> dict[int, str]:
        """Indicator id -> member code on the axis `code` belongs to ({} for an unknown code)."""
        axis = self.axis_of(code)
        return self.members[axis.key] if axis is not None else {}


def item_filter(version: FrameworkVersion) -> ItemFilter:
    axes = [comparison_axis(version)] if has_tags(version) else result_axes(version)
    nodes = list(FrameworkNode.objects.filter(version=version).order_by("sequence"))
    return ItemFilter(axes, {axis.key: _members(nodes, axis) for axis in axes})


def _members(nodes: list[FrameworkNode], axis: Axis) -> dict[int, str]:
    """Indicator id -> the member of `axis` it counts under."""
    by_pk = {node.pk: node for node in nodes}
    found: dict[int, str] = {}
    for node in nodes:
        if not node.is_indicator:
            continue
        if axis.source == "tags":
            member = next((tag for tag in node.tags if tag in axis.names), None)
        else:
            ancestor: FrameworkNode | None = node
            while ancestor is not None and ancestor.code not in axis.names:
                ancestor = by_pk.get(ancestor.parent_id) if ancestor.parent_id else None
            member = ancestor.code if ancestor is not None else None
        if member is not None:
            found[node.pk] = member
    return found


def scale_labels(version: FrameworkVersion) -> dict[int, str]:
    """The program's name of each level of its scale (SPBE: 1 Rintisan ... 5 Optimum), if any."""
    labels = (version.document.get("scale") or {}).get("labels") or {}
    return {
        int(level): pick_language(str(names.get("id", "")), str(names.get("en", "")))
        for level, names in labels.items()
    }


def item_place(indicator: FrameworkNode, version: FrameworkVersion) -> list[tuple[str, str]]:
    """(level title, name) of each group above an indicator, from the top (SPBE: its domain
    and its aspect). `version` is the indicator's, which the page already holds (the cycle's):
    loading it again would fetch its whole document for its code. One small query per level,
    for one item page."""
    if indicator.version_id != version.pk:
        raise ValueError("item_place: the version is not the indicator's")
    path: list[FrameworkNode] = []
    parent_id = indicator.parent_id
    while parent_id is not None:
        node = FrameworkNode.objects.only("parent_id", "depth", "name_id", "name_en").get(
            pk=parent_id
        )
        if node.depth < 1:
            break
        path.append(node)
        parent_id = node.parent_id
    return [(level_title(version, n.depth), n.name) for n in reversed(path)]


def figures(
    axes: list[Axis], node_indices: dict[str, str], tag_indices: dict[str, str]
) -> list[AxisFigures]:
    """Each axis with the value of each member (None where the snapshot has none)."""
    found = []
    for axis in axes:
        values = axis.value(node_indices, tag_indices)
        found.append(
            AxisFigures(
                axis,
                [
                    AxisFigure(code, name, _decimal(values.get(code)))
                    for code, name in axis.names.items()
                ],
            )
        )
    return found


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
