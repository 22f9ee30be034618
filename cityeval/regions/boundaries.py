"""Checking an operator's boundary file (GeoJSON or TopoJSON) before anything is stored.

The map of issue 13 §6: a program admin uploads the file (`dashboard.maps.upload_boundaries`),
it is stored prepared (`BoundaryFile`), and the dashboards draw `dashboard.charts.choropleth_chart`
from it. A file passes when it is a GeoJSON FeatureCollection or a TopoJSON Topology
whose features carry a Kemendagri regency/city code (property `kode`, `code` or
`kode_kemendagri`, written `64.02` or `6402`) and at least one code is a known region; the
check lists the codes matched, the codes in the file that are no region, and the regions the
file lacks. Vega-Lite reads both formats itself (`format: {type: "topojson"}`), so a TopoJSON
file can be kept as it is.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# A national regency file simplified for a web map (geoBoundaries ADM2 simplified: ~4 MB).
MAX_BYTES = 8 * 1024 * 1024
# GeoJSON positions are kept to 3 decimals of a degree (~110 m at the equator, far below a pixel
# of a national or provincial map), and a point equal to the one before it is dropped: a file
# exported at full precision shrinks to a fraction without a visible change.
PLACES = 3
CODE_PROPERTIES = ("kode", "code", "kode_kemendagri")
_CODE = re.compile(r"^(\d{2})\.?(\d{2})$")


class BoundaryError(ValueError):
    """The file cannot be used; the message names what is wrong and is shown to the admin."""


@dataclass(frozen=True)
class BoundaryCheck:
    kind: str  # "geojson" or "topojson"
    features: int
    matched: list[str]
    unknown: list[str]  # codes in the file that are no region
    missing: list[str]  # regions without a boundary in the file


def check_boundaries(content: bytes, *, known_codes: Iterable[str]) -> BoundaryCheck:
    """The file's codes against the region list; BoundaryError if it cannot be used."""
    check_size(len(content))
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryError(_("Berkas bukan JSON yang sah: %(error)s") % {"error": error}) from None
    kind, features = _features(document)
    codes = [_code_of(properties, number) for number, properties in enumerate(features, 1)]
    known = set(known_codes)
    found = set(codes)
    matched = sorted(found & known)
    if not matched:
        raise BoundaryError(
            _("Tidak ada kode di berkas yang cocok dengan kode Kemendagri kabupaten/kota.")
        )
    return BoundaryCheck(
        kind=kind,
        features=len(codes),
        matched=matched,
        unknown=sorted(found - known),
        missing=sorted(known - found),
    )


def check_size(size: int) -> None:
    """BoundaryError past the limit: an upload is refused on its size before it is read."""
    if size > MAX_BYTES:
        raise BoundaryError(
            _("Berkas batas wilayah terlalu besar: paling besar %(limit)s.")
            % {"limit": filesizeformat(MAX_BYTES)}
        )


def _features(document: Any) -> tuple[str, list[Mapping[str, Any]]]:
    """The properties of every feature, and which format the document is."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return "geojson", [_properties(feature) for feature in document["features"]]
    if kind == "Topology" and isinstance(document.get("objects"), dict):
        if not isinstance(document.get("arcs"), list):
            raise BoundaryError(_("TopoJSON tanpa daftar arcs."))
        found = []
        for layer in document["objects"].values():
            geometries = layer.get("geometries") if isinstance(layer, dict) else None
            found += [_properties(g) for g in geometries or []]
        return "topojson", found
    raise BoundaryError(
        _("Berkas harus GeoJSON FeatureCollection atau TopoJSON Topology; ini bukan keduanya.")
    )


def _properties(feature: Any) -> Mapping[str, Any]:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return properties if isinstance(properties, dict) else {}


def _code_of(properties: Mapping[str, Any], number: int) -> str:
    lowered = {str(key).lower(): value for key, value in properties.items()}
    raw = next((lowered[name] for name in CODE_PROPERTIES if name in lowered), None)
    match = _CODE.match(str(raw).strip()) if raw is not None else None
    if match is None:
        raise BoundaryError(
            _(
                "Fitur ke-%(number)d tidak membawa kode Kemendagri kabupaten/kota (properti "
                "%(names)s, misalnya 64.02); yang ada: %(value)s."
            )
            % {"number": number, "names": ", ".join(CODE_PROPERTIES), "value": raw}
        )
    return f"{match.group(1)}.{match.group(2)}"


def with_codes(content: bytes) -> dict[str, Any]:
    """The checked document with every feature's code written as `kode_kemendagri: NN.NN`, the
    one property the map's Vega-Lite spec looks results up by (call after `check_boundaries`)."""
    document: dict[str, Any] = json.loads(content)
    _kind, features = _features(document)
    for number, properties in enumerate(features, 1):
        if isinstance(properties, dict):
            properties["kode_kemendagri"] = _code_of(properties, number)
    if document.get("type") == "FeatureCollection":
        for number, feature in enumerate(document["features"], 1):
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if not isinstance(geometry, dict):
                continue
            try:
                _simplify(geometry)
            except (TypeError, ValueError):
                raise BoundaryError(
                    _("Geometri fitur ke-%(number)d bukan daftar koordinat yang sah.")
                    % {"number": number}
                ) from None
            _rewind(geometry)
    return document


def _simplify(geometry: dict[str, Any]) -> None:
    """Positions rounded to `PLACES`, repeated positions dropped; a ring that would fall below
    four positions keeps them all (rounded)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons: list[Any] = []
    if kind == "Polygon" and isinstance(coordinates, list):
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    for polygon in polygons:
        for position, ring in enumerate(polygon):
            rounded = [[round(float(x), PLACES), round(float(y), PLACES)] for x, y, *_ in ring]
            kept = [p for n, p in enumerate(rounded) if n == 0 or p != rounded[n - 1]]
            polygon[position] = kept if len(kept) >= 4 else rounded


def _rewind(geometry: dict[str, Any]) -> None:
    """Outer rings clockwise, holes anticlockwise: the order Vega's (d3's) spherical drawing
    expects. GeoJSON (RFC 7946) asks for the opposite, and d3 draws such a ring as the whole
    globe minus the region."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons: list[Any] = []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    for polygon in polygons:
        for position, ring in enumerate(polygon):
            clockwise = _signed_area(ring) < 0
            if clockwise != (position == 0):
                ring.reverse()


def _signed_area(ring: list[list[float]]) -> float:
    """Twice the planar signed area (lon, lat): positive for an anticlockwise ring."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
