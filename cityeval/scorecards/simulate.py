"""The what-if simulator: the index and ranks the region would have with some items at other
levels.

The region's official inputs are scored again by the Decimal engine with the chosen items
changed, exactly as finalisation scores them, and the projected published index is ranked
against the stored results of the cycle's other regions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cityeval.scorecards.data import Scorecard
from cityeval.scorecards.ranking import Rank, ranks_of
from scoring.engine import score_region
from scoring.model import IndicatorKind
from scoring.tree import plan_for


class SimulationError(ValueError):
    """A choice the simulator cannot score; the message is shown to the reader as is."""


@dataclass(frozen=True)
class Projection:
    index: Decimal | None
    predicate: str  # the band's name in the active language
    change: Decimal | None  # projected minus published index
    ranks: list[Rank]
    changed: dict[str, Decimal]


def project(card: Scorecard, targets: Mapping[str, Decimal]) -> Projection:
    """Score the official inputs with `targets` (item code -> level) replacing their values."""
    framework = card.framework
    items = {item.code: item for item in plan_for(framework).items}
    for code, level in targets.items():
        item = items.get(code)
        if item is None or item.kind is not IndicatorKind.MATURITY:
            raise SimulationError(_("Butir %(code)s tidak dapat disimulasikan.") % {"code": code})
        if not framework.scale.minimum <= level <= framework.scale.maximum or level % 1:
            raise SimulationError(
                _("Tingkat untuk butir %(code)s harus bilangan bulat %(low)s–%(high)s.")
                % {"code": code, "low": framework.scale.minimum, "high": framework.scale.maximum}
            )
    values = {**card.values, **targets}
    score = score_region(framework, values, previous=card.previous_values)
    change = None if score.index is None else score.index - card.index
    return Projection(
        index=score.index,
        predicate=(card.result.snapshot.framework_version.predicate_label(score.predicate)),
        change=change,
        ranks=ranks_of(card.evaluation, score.index, card.entries),
        changed=dict(targets),
    )
