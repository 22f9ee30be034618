"""Workflows over regions: loading the national list, cohorts, automatic peer groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cityeval.regions.models import Cohort, Province, Region, RegionSource
from cityeval.regions.peers import PeerGroupSummary, rebuild_automatic_peer_groups
from cityeval.regions.sourcefiles import (
    PROVINCES_FILE,
    REGIONS_FILE,
    ProvinceRow,
    RegionDataError,
    RegionRow,
    SourceInfo,
    read_provinces,
    read_regions,
    read_source_info,
)

__all__ = [
    "CohortError",
    "LoadSummary",
    "PeerGroupSummary",
    "RegionDataError",
    "assign_cohort",
    "load_regions",
    "rebuild_automatic_peer_groups",
]

# What the source decides about a region; cohort and population are ours and never overwritten.
_SOURCE_FIELDS = ("name", "full_name", "kind", "province_id")


class CohortError(ValueError):
    """A cohort assignment was refused; nothing has been written."""


@dataclass(frozen=True)
class LoadSummary:
    attribution: str
    provinces_created: int
    provinces_updated: int
    provinces_unchanged: int
    regions_created: int
    regions_updated: int
    regions_unchanged: int
    # In the database but no longer in the source (e.g. after a split). They are kept, not
    # deleted: evaluations and OPDs refer to them, and a person must decide what happens.
    missing_from_source: tuple[str, ...]

    @property
    def created(self) -> int:
        return self.provinces_created + self.regions_created

    @property
    def updated(self) -> int:
        return self.provinces_updated + self.regions_updated


def load_regions(*, source_dir: Path) -> LoadSummary:
    """Create or update provinces and regions from the CSV files in `source_dir`.

    All files are checked before the first write; the writes share one transaction, so a
    failure leaves the database as it was. Population and cohort are not in the source and are
    never touched.
    """
    provinces_file, regions_file = source_dir / PROVINCES_FILE, source_dir / REGIONS_FILE
    provinces = read_provinces(provinces_file)
    regions = read_regions(regions_file, {row.code for row in provinces})
    source = read_source_info(source_dir, [provinces_file, regions_file])
    with transaction.atomic():
        province_counts = _upsert_provinces(provinces)
        region_counts = _upsert_regions(regions)
        source_codes = {row.code for row in regions}
        missing = tuple(
            Region.objects.exclude(code__in=source_codes).values_list("code", flat=True)
        )
        attribution = _record_source(source).attribution
    return LoadSummary(attribution, *province_counts, *region_counts, missing)


def _upsert_provinces(rows: list[ProvinceRow]) -> tuple[int, int, int]:
    existing = {province.code: province for province in Province.objects.all()}
    new, changed = [], []
    for row in rows:
        province = existing.get(row.code)
        if province is None:
            new.append(Province(code=row.code, name=row.name))
        elif province.name != row.name:
            province.name = row.name
            changed.append(province)
    Province.objects.bulk_create(new)
    Province.objects.bulk_update(changed, ["name"])
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def _upsert_regions(rows: list[RegionRow]) -> tuple[int, int, int]:
    province_ids = dict(Province.objects.values_list("code", "id"))
    existing = {region.code: region for region in Region.objects.all()}
    new, changed = [], []
    for row in rows:
        wanted = Region(
            code=row.code,
            name=row.name,
            full_name=row.full_name,
            kind=row.kind,
            province_id=province_ids[row.province_code],
        )
        region = existing.get(row.code)
        if region is None:
            new.append(wanted)
        elif _differs(region, wanted):
            for field in _SOURCE_FIELDS:
                setattr(region, field, getattr(wanted, field))
            changed.append(region)
    Region.objects.bulk_create(new)
    Region.objects.bulk_update(changed, ["name", "full_name", "kind", "province"])
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def _differs(region: Region, wanted: Region) -> bool:
    return any(getattr(region, field) != getattr(wanted, field) for field in _SOURCE_FIELDS)


def _record_source(info: SourceInfo) -> RegionSource:
    values = {
        "version": info.version,
        "author": info.author,
        "licence": info.licence,
        "url": info.url,
        "checksum": info.checksum,
    }
    source = RegionSource.objects.filter(name=info.name).first()
    if source is None:
        return RegionSource.objects.create(name=info.name, loaded_at=timezone.now(), **values)
    # Unchanged files leave the row alone, so a re-run really changes nothing.
    if any(getattr(source, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(source, field, value)
        source.loaded_at = timezone.now()
        source.save()
    return source


def assign_cohort(
    *, year: int, region_codes: Iterable[str], name: str = "", reassign: bool = False
) -> Cohort:
    """Put regions in the cohort of `year`, creating the cohort if needed.

    `name` is used only when the cohort is created. A region already in another cohort is
    refused unless `reassign` is set: joining the program happens once, so moving a region is a
    correction someone must mean.
    """
    codes = sorted(set(region_codes))
    with transaction.atomic():
        regions = list(Region.objects.filter(code__in=codes).select_related("cohort"))
        unknown = sorted(set(codes) - {region.code for region in regions})
        if unknown:
            raise CohortError(f"unknown region code(s): {', '.join(unknown)}")
        cohort = Cohort.objects.filter(year=year).first()
        if cohort is None:
            cohort = Cohort(year=year, name=name or f"Angkatan {year}")
            cohort.full_clean()
            cohort.save()
        elsewhere = [r for r in regions if r.cohort is not None and r.cohort.year != year]
        if elsewhere and not reassign:
            listed = ", ".join(f"{r.code} ({r.cohort})" for r in elsewhere)
            raise CohortError(f"already in another cohort: {listed}")
        Region.objects.filter(code__in=codes).update(cohort=cohort)
    return cohort
