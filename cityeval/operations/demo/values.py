"""Plausible item values for the demonstration: regions improve over the years, unevenly.

Each region has a latent capability; each year it grows by a random step (some regions stall or
slip back); each item has a difficulty. A value is the capability minus the difficulty plus noise,
mapped onto the item's kind. Regions tend to over-claim a little in their self-assessment, which
the verified value corrects.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from cityeval.frameworks.models import FrameworkNode

# Earlier cohorts started their masterplans earlier and are further along.
COHORT_HEAD_START = {2017: 0.5, 2018: 0.0, 2019: -0.4}


@dataclass(frozen=True)
class ItemPair:
    self_value: Decimal
    verified_value: Decimal


class RegionTrajectory:
    """A region's latent capability per year, drawn once from the region's own random stream."""

    def __init__(self, rng: random.Random, cohort_year: int, years: list[int]) -> None:
        level = rng.gauss(0.0, 0.7) + COHORT_HEAD_START.get(cohort_year, 0.0)
        self.capability: dict[int, float] = {}
        for year in years:
            self.capability[year] = level
            # Uneven progress: most regions improve, some stall, a few slip back.
            level += rng.gauss(0.3, 0.35)

    def at(self, year: int) -> float:
        return self.capability[year]


def item_difficulty(rng: random.Random) -> float:
    return rng.gauss(0.0, 0.6)


def draw_item(
    rng: random.Random, node: FrameworkNode, capability: float, difficulty: float
) -> ItemPair:
    strength = capability - difficulty + rng.gauss(0.0, 0.5)
    if node.kind == "maturity":
        verified = min(5, max(1, round(2.6 + strength * 1.2)))
        claimed = min(5, verified + (1 if rng.random() < 0.25 else 0))
        return ItemPair(Decimal(claimed), Decimal(verified))
    if node.kind == "percentage":
        share = 100 / (1 + math.exp(-1.5 * strength))
        verified_pct = Decimal(str(round(share, 1)))
        claimed_pct = min(Decimal(100), verified_pct + Decimal(str(round(rng.uniform(0, 8), 1))))
        return ItemPair(claimed_pct, verified_pct)
    lower = float(node.lower if node.lower is not None else 0)
    upper = float(node.upper if node.upper is not None else node.target or 100)
    fraction = 1 / (1 + math.exp(-1.5 * strength))
    if node.direction == "lower":
        fraction = 1 - fraction
    measured = Decimal(str(round(lower + fraction * (upper - lower), 2)))
    return ItemPair(measured, measured)
