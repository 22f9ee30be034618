"""Reference data: framework versions with their trees, regions, cycles."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router

from cityeval.accounts.access import scope_of
from cityeval.api import present
from cityeval.api.auth import read_auth
from cityeval.api.errors import documented
from cityeval.api.paging import page
from cityeval.api.schemas import (
    MAX_ID,
    CycleFilter,
    CyclePage,
    FrameworkDetailOut,
    FrameworkPage,
    Paging,
    RegionFilter,
    RegionPage,
)
from cityeval.evaluations.access import visible_evaluations
from cityeval.evaluations.models import Cycle
from cityeval.frameworks.models import FrameworkVersion
from cityeval.regions.models import Region
from cityeval.results.models import ResultSnapshot

router = Router(auth=read_auth, tags=["referensi"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/frameworks", summary="Daftar versi kerangka", response={200: FrameworkPage, **documented(422)}
)
def list_frameworks(request: HttpRequest, paging: Query[Paging]) -> dict[str, object]:
    """Versi kerangka (instrumen) yang sudah diimpor."""
    versions = FrameworkVersion.objects.order_by("code", "version", "pk")
    return page(versions, paging, present.framework_version)


@router.get(
    "/frameworks/{version_id}",
    summary="Satu versi kerangka dengan pohonnya",
    response={200: FrameworkDetailOut, **documented(404, 422)},
)
def get_framework(request: HttpRequest, version_id: Id) -> dict[str, object]:
    """Satu versi kerangka: skala dan nama tingkat, predikat, dan semua simpulnya (urutan
    dokumen; `parent` menunjuk induk; bobot persis seperti dokumen)."""
    version = FrameworkVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return present.framework_detail(version)


@router.get(
    "/regions", summary="Daftar kabupaten/kota", response={200: RegionPage, **documented(422)}
)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> dict[str, object]:
    """Kabupaten/kota (data rujukan Kemendagri), disaring per provinsi, jenis atau angkatan."""
    regions = Region.objects.select_related("province", "cohort").order_by("code", "pk")
    if filters.province:
        regions = regions.in_province(filters.province)
    if filters.kind:
        regions = regions.filter(kind=filters.kind)
    if filters.cohort is not None:
        regions = regions.in_cohort(filters.cohort)
    return page(regions, filters, present.region)


@router.get("/cycles", summary="Daftar siklus", response={200: CyclePage, **documented(422)})
def list_cycles(request: HttpRequest, filters: Query[CycleFilter]) -> dict[str, object]:
    """Siklus yang pemanggil ikuti (evaluasi yang terlihat olehnya) atau yang hasilnya terbit."""
    cycles = Cycle.objects.select_related("framework_version").order_by(
        "-year", "round", "program", "pk"
    )
    if not scope_of(request.user).reads_everything:
        mine = visible_evaluations(request.user).filter(cycle_id=OuterRef("pk"))
        published = ResultSnapshot.objects.published().filter(evaluation__cycle_id=OuterRef("pk"))
        cycles = cycles.filter(Q(Exists(mine)) | Q(Exists(published)))
    if filters.year is not None:
        cycles = cycles.filter(year=filters.year)
    if filters.program:
        cycles = cycles.filter(program=filters.program)
    return page(cycles, filters, present.cycle)
