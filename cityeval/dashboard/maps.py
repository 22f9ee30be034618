"""The map on the dashboards, from the operator's own boundary file (issue 13 §6).

A program admin uploads a GeoJSON or TopoJSON file whose features carry Kemendagri codes; it is
checked (`regions.boundaries`) and stored prepared (`regions.BoundaryFile`), or refused with the
reason and nothing stored. The dashboards then draw the index of the regions they show on it
(`charts.choropleth_spec`); without a file there is no map panel. An admin may remove the current
file (`remove_boundaries`): the upload before it, if any, is drawn again.

A real regency file is 2–4 MB of geometry, the same for every page, filter and reader: the pages
never carry it. Their map spec loads it by URL (`views.geometry`, named by the file's id and
checksum, so its content never changes): served once per browser with a long max-age and an ETag,
gzipped once per file and kept in the cache (`geometry_body`). Each page reads only the file's id,
checksum and how Vega reads its features (`map_source`, kept in the cache per file). Paper
(vl-convert) reads no URL and gets the geometry inline (`charts.choropleth_chart`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cityeval.accounts.access import Actor, require_admin
from cityeval.audit.log import audited
from cityeval.dashboard.charts import boundary_format, choropleth_spec
from cityeval.regions.boundaries import check_boundaries, with_codes
from cityeval.regions.models import BoundaryFile, Region


def upload_boundaries(*, content: bytes, name: str, user: Actor) -> BoundaryFile:
    """Check the file and store it as the map's current one; `BoundaryError` (nothing stored)
    when it cannot be used."""
    require_admin(user)
    check = check_boundaries(content, known_codes=Region.objects.values_list("code", flat=True))
    document = with_codes(content)
    with transaction.atomic():
        stored = BoundaryFile.objects.create(
            document=document,
            kind=check.kind,
            original_name=name[:255],
            size=len(content),
            checksum=hashlib.sha256(content).hexdigest(),
            features=check.features,
            matched=check.matched,
            unknown=check.unknown,
            missing=check.missing,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
        audited(
            actor=user,
            action="regions.boundaries.uploaded",
            target=stored,
            after={
                "name": stored.original_name,
                "checksum": stored.checksum,
                "matched": len(check.matched),
                "unknown": check.unknown,
                "missing": len(check.missing),
            },
        )
    return stored


def remove_boundaries(*, boundary: BoundaryFile, user: Actor) -> None:
    """Delete a stored boundary file (audited with what it was); the upload before it, if any,
    becomes the map's file, and without one the dashboards show no map."""
    require_admin(user)
    with transaction.atomic():
        locked = BoundaryFile.objects.select_for_update().get(pk=boundary.pk)
        audited(
            actor=user,
            action="regions.boundaries.removed",
            target=locked,
            before={
                "name": locked.original_name,
                "checksum": locked.checksum,
                "uploaded_at": locked.uploaded_at.isoformat(),
                "matched": len(locked.matched),
            },
        )
        locked.delete()


@dataclass(frozen=True)
class MapSource:
    """What a page needs of the current boundary file: not its geometry."""

    pk: int
    checksum: str
    format: dict[str, Any]  # `charts.boundary_format`

    @property
    def url(self) -> str:
        return reverse("dashboard:geometry", args=[self.pk, self.checksum])


def map_source() -> MapSource | None:
    """The current boundary file's id, checksum and format (one small query; the format is read
    from the geometry once per file and kept in the cache), or None without a file."""
    current = BoundaryFile.objects.order_by("-pk").values_list("pk", "checksum").first()
    if current is None:
        return None
    pk, checksum = current
    key = f"boundaries:format:{pk}:{checksum}"
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        document = BoundaryFile.objects.values_list("document", flat=True).get(pk=pk)
        found = boundary_format(document)
        cache.set(key, found, None)  # a stored file never changes: kept until evicted
    return MapSource(pk, checksum, found)


def geometry_body(pk: int, checksum: str) -> bytes:
    """A stored file's prepared geometry as gzipped JSON, read and compressed once per file
    (cache). The caller has checked that the file exists."""
    key = f"boundaries:geometry:{pk}:{checksum}"
    body: bytes | None = cache.get(key)
    if body is None:
        document = BoundaryFile.objects.values_list("document", flat=True).get(pk=pk)
        raw = json.dumps(document, separators=(",", ":")).encode()
        body = gzip.compress(raw, compresslevel=6, mtime=0)
        cache.set(key, body, None)
    return body


def map_chart(values: Iterable[tuple[str, str, Any]]) -> dict[str, Any] | None:
    """The choropleth of `values` (region code, region name, index or None) on the current
    boundary file, its geometry by URL; None without a file. `values` are the rows the board
    shows, so the map follows its filters and the visibility rules that chose them."""
    source = map_source()
    if source is None:
        return None
    shown = [
        {"code": code, "region": region, "index": float(index)}
        for code, region, index in values
        if index is not None
    ]
    return choropleth_spec({"url": source.url, "format": source.format}, shown)
