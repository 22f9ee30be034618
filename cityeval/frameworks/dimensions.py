"""The dimensions a report is organised by, and which dimension each item belongs to.

A framework with a tag axis (G100SC) is reported per smart dimension: its top-level tags. A
framework without one (SPBE) is reported per top-level node of its tree (the SPBE domains), so
that every framework gets a report with the same shape.
"""

from __future__ import annotations

from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.tags import dimension_names


def report_dimensions(version: FrameworkVersion) -> dict[str, str]:
    """Dimension code -> name (active language), in document order."""
    tagged = dimension_names(version)
    if tagged:
        return tagged
    return {node.code: node.name for node in _nodes(version) if node.depth == 1}


def item_dimensions(version: FrameworkVersion) -> dict[int, str]:
    """Indicator node id -> the code of the dimension it is reported under."""
    nodes = _nodes(version)
    tagged = dimension_names(version)
    found: dict[int, str] = {}
    if tagged:
        for node in nodes:
            code = next((tag for tag in node.tags if tag in tagged), None)
            if node.is_indicator and code is not None:
                found[node.pk] = code
        return found
    by_pk = {node.pk: node for node in nodes}
    for node in nodes:
        if not node.is_indicator:
            continue
        ancestor = node
        while ancestor.depth > 1 and ancestor.parent_id is not None:
            ancestor = by_pk[ancestor.parent_id]
        if ancestor.depth == 1:
            found[node.pk] = ancestor.code
    return found


def _nodes(version: FrameworkVersion) -> list[FrameworkNode]:
    return list(FrameworkNode.objects.filter(version=version).order_by("sequence"))
