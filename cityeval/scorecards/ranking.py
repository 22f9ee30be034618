"""Ranks of a region among the current results of its cycle: nationally, in its province and
in each of its peer groups.

Ranks are competition ranks (1-2-2-4) on the PUBLISHED index, rounded to the framework's places,
so regions that publish the same figure share a rank. A published scorecard ranks among the
cycle's published results only, as the open-data exports do: its rank (which the public reads)
must neither reveal nor move with results that are not yet published. Before publication the
team sees the rank among every current result of the cycle. The whole cycle is read in one query and
the peer groups in two, whatever the number of regions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.regions.models import PeerGroup
from cityeval.results.intervals import Interval, Key, matching
from cityeval.results.models import RankInterval, ResultSnapshot
from cityeval.results.standings import Standing, published_standings, rank_standings
from scoring.rank import competition_ranks


@dataclass(frozen=True)
class Rank:
    scope: str  # "national", "province" or "peer"
    label: str
    rank: int | None
    of: int
    group: str = ""  # province or peer group code ("" nationally): the key of its interval
    interval: Interval | None = None  # Monte Carlo rank interval, when one describes this rank


def cycle_entries(evaluation: Evaluation) -> list[Standing]:
    """The standings the evaluation ranks among (one query): the cycle's official ones once it
    is published, every current result of the cycle before that."""
    cycle = evaluation.cycle
    if evaluation.status == EvaluationStatus.PUBLISHED:
        return published_standings(cycle)
    return rank_standings(ResultSnapshot.objects.for_cycle(cycle.pk), cycle.framework_version)


def ranks_of(evaluation: Evaluation, index: Decimal | None, entries: list[Standing]) -> list[Rank]:
    """The evaluation's ranks if its published index were `index` (the simulator passes others).

    The evaluation's own stored result is replaced by `index`; the others stay as stored.
    """
    scores: dict[int, Decimal | None] = {
        e.region_id: e.index for e in entries if e.evaluation_id != evaluation.pk
    }
    scores[evaluation.region_id] = index
    province_of = {e.region_id: e.province_id for e in entries}
    province_of[evaluation.region_id] = evaluation.region.province_id
    region = evaluation.region_id
    found = [_rank("national", _("Nasional"), region, scores)]
    in_province = {r: s for r, s in scores.items() if province_of.get(r) == province_of[region]}
    province = evaluation.region.province
    found.append(_rank("province", province.name, region, in_province, province.code))
    for group, members in peer_groups(evaluation).items():
        in_group = {r: s for r, s in scores.items() if r in members}
        found.append(_rank("peer", group.display_name, region, in_group, group.code))
    return found


def with_intervals(ranks: list[Rank], stored: dict[Key, RankInterval]) -> list[Rank]:
    """The ranks with their stored intervals beside them, where one describes the rank."""
    return [
        dataclasses.replace(
            rank, interval=matching(stored.get((rank.scope, rank.group)), rank.rank, rank.of)
        )
        for rank in ranks
    ]


def peer_groups(evaluation: Evaluation) -> dict[PeerGroup, set[int]]:
    """The region's peer groups with the ids of their member regions (two queries)."""
    groups = list(PeerGroup.objects.filter(regions=evaluation.region_id).order_by("code"))
    members: dict[int, set[int]] = {g.pk: {evaluation.region_id} for g in groups}
    through = PeerGroup.regions.through.objects.filter(peergroup_id__in=members)
    for group_id, region_id in through.values_list("peergroup_id", "region_id"):
        members[group_id].add(region_id)
    return {g: members[g.pk] for g in groups}


def _rank(
    scope: str, label: str, region: int, scores: dict[int, Decimal | None], group: str = ""
) -> Rank:
    ranked = competition_ranks(scores)
    count = sum(1 for s in scores.values() if s is not None)
    return Rank(scope, label, ranked.get(region), count, group)
