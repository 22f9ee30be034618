"""Automatic peer groups: by kind (kabupaten or kota) and by population band.

A kabupaten is compared with kabupaten, a small city with small cities. Admins may define any
other grouping by hand; this module only ever changes groups marked `automatic`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from cityeval.regions.models import PeerGroup, Region, RegionQuerySet


@dataclass(frozen=True)
class PopulationBand:
    code: str
    name: str
    name_en: str
    minimum: int  # inclusive
    maximum: int | None  # exclusive; None means no upper bound

    def members(self) -> RegionQuerySet:
        regions = Region.objects.with_population().filter(population__gte=self.minimum)
        return regions if self.maximum is None else regions.filter(population__lt=self.maximum)


# The urban size classes of Indonesian spatial planning (kecil, sedang, besar, metropolitan).
POPULATION_BANDS = (
    PopulationBand(
        "auto-pop-under-100k", "Penduduk < 100 ribu", "Population under 100,000", 0, 100_000
    ),
    PopulationBand(
        "auto-pop-100k-500k",
        "Penduduk 100-500 ribu",
        "Population 100,000-500,000",
        100_000,
        500_000,
    ),
    PopulationBand(
        "auto-pop-500k-1m",
        "Penduduk 500 ribu-1 juta",
        "Population 500,000-1 million",
        500_000,
        1_000_000,
    ),
    PopulationBand(
        "auto-pop-1m-plus", "Penduduk ≥ 1 juta", "Population 1 million or more", 1_000_000, None
    ),
)

_KIND_GROUPS = (
    ("auto-kabupaten", "Semua kabupaten", "All regencies", Region.Kind.KABUPATEN),
    ("auto-kota", "Semua kota", "All cities", Region.Kind.KOTA),
)


class PeerGroupConflict(ValueError):
    """An admin-defined group already uses the code of an automatic group."""


@dataclass(frozen=True)
class PeerGroupSummary:
    members: dict[str, int]  # group code -> number of regions
    removed: tuple[str, ...]  # automatic groups no longer produced (e.g. bands changed)


def rebuild_automatic_peer_groups(
    *, bands: Sequence[PopulationBand] = POPULATION_BANDS
) -> PeerGroupSummary:
    """(Re)build the kind groups and, for regions whose population is known, the band groups.

    Regions without a population are in no band rather than guessed into one.
    """
    wanted = [
        (code, name, name_en, Region.objects.filter(kind=kind))
        for code, name, name_en, kind in _KIND_GROUPS
    ] + [(band.code, band.name, band.name_en, band.members()) for band in bands]
    codes = [code for code, *_rest in wanted]
    with transaction.atomic():
        taken = PeerGroup.objects.filter(code__in=codes, automatic=False)
        if taken.exists():
            listed = ", ".join(taken.values_list("code", flat=True))
            raise PeerGroupConflict(f"hand-made peer group(s) use automatic code(s): {listed}")
        members: dict[str, int] = {}
        for code, name, name_en, regions in wanted:
            group, _created = PeerGroup.objects.update_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "automatic": True}
            )
            group.regions.set(regions)
            members[code] = group.regions.count()
        stale = PeerGroup.objects.filter(automatic=True).exclude(code__in=codes)
        removed = tuple(stale.values_list("code", flat=True))
        stale.delete()
    return PeerGroupSummary(members=members, removed=removed)
