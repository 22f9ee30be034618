"""Ranks and improvement over official (already rounded) figures.

Ranks use standard competition ranking (1-2-2-4): tied regions share the best rank of their block
and the next rank skips. They are meant for the rounded official index, so regions that publish
the same figure share a rank; a region without an index (None) is unranked (None).

`rank_array` does the same for the float path (`scoring.vector`), over whole arrays at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from scoring.model import Rounding
from scoring.rounding import CONTEXT, quantize

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)


def competition_ranks(scores: Mapping[K, Decimal | None]) -> dict[K, int | None]:
    """Rank 1 for the highest score; ties share a rank and the next rank skips (1, 2, 2, 4)."""
    ranked = sorted((s for s in scores.values() if s is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, score in enumerate(ranked, start=1):
        first.setdefault(score, position)
    return {key: None if s is None else first[s] for key, s in scores.items()}


def group_ranks(scores: Mapping[K, Decimal | None], groups: Mapping[K, G]) -> dict[K, int | None]:
    """Competition rank within each region's group (province, peer group...).

    Regions absent from `groups` are unranked: they belong to no group to be ranked in.
    """
    members: defaultdict[G, dict[K, Decimal | None]] = defaultdict(dict)
    for key, score in scores.items():
        if key in groups:
            members[groups[key]][key] = score
    ranks: dict[K, int | None] = dict.fromkeys(scores)
    for group_scores in members.values():
        ranks.update(competition_ranks(group_scores))
    return ranks


def improvement(
    current: Decimal | None, previous: Decimal | None, rounding: Rounding
) -> Decimal | None:
    """Change of the published index since the previous cycle, rounded like the index.

    Both figures are the published (rounded) ones so that a reader can redo the subtraction from
    the two results letters and get the same number.
    """
    if current is None or previous is None:
        return None
    return quantize(CONTEXT.subtract(current, previous), rounding)


def rank_array(
    index: npt.ArrayLike, places: int, groups: npt.ArrayLike | None = None
) -> npt.NDArray[np.int64]:
    """Competition ranks of float indices rounded half-up to `places`, optionally within groups.

    `groups` holds one sortable label per region (a province code...). 0 marks an unranked
    region (NaN index). Float rounding can differ from the official Decimal rounding only for an
    index within ~1e-8 of a rounding boundary; official ranks come from `competition_ranks`.
    """
    values = np.asarray(index, dtype=np.float64).reshape(-1)
    n = values.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    valid = ~np.isnan(values)
    # +1e-6 (in units of the last place) absorbs representation error: 1.005 is stored as
    # 1.00499999..., and must round up like the Decimal it stands for.
    scaled = np.where(valid, values, 0.0) * 10.0**places
    keys = np.floor(scaled + 0.5 + 1e-6).astype(np.int64)
    if groups is None:
        group_ids = np.zeros(n, dtype=np.int64)
    else:
        group_ids = np.unique(np.asarray(groups), return_inverse=True)[1].reshape(n)
    group_ids = np.where(valid, group_ids, n + 1)  # unranked regions out of every real group
    order = np.lexsort((-keys, group_ids))
    g, k = group_ids[order], keys[order]
    positions = np.arange(n)
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_block = new_group | np.r_[True, k[1:] != k[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    block_start = np.maximum.accumulate(np.where(new_block, positions, 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = block_start - group_start + 1
    ranks[~valid] = 0
    return ranks
