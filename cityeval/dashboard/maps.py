"""The map on the dashboards, from the operator's own boundary file (issue 13 §6).

A program admin uploads a GeoJSON or TopoJSON file whose features carry Kemendagri codes; it is
checked (`regions.boundaries`) and stored prepared (`regions.BoundaryFile`), or refused with the
reason and nothing stored. The dashboards then draw the index of the regions they show on it
(`charts.choropleth_chart`); without a file there is no map panel.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityeval.accounts.access import Actor, require_admin
from cityeval.audit.log import audited
from cityeval.dashboard.charts import choropleth_chart
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


def map_chart(values: Iterable[tuple[str, str, Any]]) -> dict[str, Any] | None:
    """The choropleth of `values` (region code, region name, index or None) on the current
    boundary file; None without a file. `values` are the rows the board shows, so the map
    follows its filters and the visibility rules that chose them."""
    boundaries = BoundaryFile.objects.current()
    if boundaries is None:
        return None
    shown = [
        {"code": code, "region": region, "index": float(index)}
        for code, region, index in values
        if index is not None
    ]
    return choropleth_chart(boundaries.document, shown)
