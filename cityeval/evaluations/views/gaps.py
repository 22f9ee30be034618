"""The groups and the "changed since review" set that the item list and the overview count by.

"Changed since review" is the reviews app's rule; reviews imports evaluations, so evaluations
may not import it back: the reviews app registers it when it is ready
(`completeness.register_changed_rule`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cityeval.evaluations import completeness
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.dimensions import item_dimensions, report_dimensions


@dataclass(frozen=True)
class Grouping:
    heading: str  # "Per smart dimension", or the tree's top level where there are no tags
    names: dict[str, str]  # group code -> name, in the framework's order
    group_of: dict[int, str]  # indicator id -> group code


def grouping(evaluation: Evaluation) -> Grouping:
    """Smart dimensions where the framework has a tag axis (G100SC), else its top-level nodes."""
    version = evaluation.cycle.framework_version
    return Grouping(
        heading=_("Per %(axis)s") % {"axis": comparison_axis(version).title.lower()},
        names=report_dimensions(version),
        group_of=item_dimensions(version),
    )


def changed_ids(items: Iterable[ItemValue]) -> set[int]:
    return completeness.changed_since_review(items)
