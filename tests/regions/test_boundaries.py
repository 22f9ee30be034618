"""The boundary file check, on small synthetic GeoJSON and TopoJSON files the tests build."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cityeval.regions import boundaries
from cityeval.regions.boundaries import BoundaryError, check_boundaries

KNOWN = ["64.02", "33.74", "35.78"]


def square(x: float, y: float) -> list[list[list[float]]]:
    return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]


def geojson(*codes: Any, key: str = "kode") -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {key: code, "nama": f"Daerah {n}"},
            "geometry": {"type": "Polygon", "coordinates": square(n, 0)},
        }
        for n, code in enumerate(codes)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def topojson(*codes: str) -> bytes:
    geometries = [
        {"type": "Polygon", "arcs": [[n]], "properties": {"KODE": code}}
        for n, code in enumerate(codes)
    ]
    # No "transform": positions are absolute; each ring clockwise, as TopoJSON tools write them.
    arcs = [[[n, 0], [n, 1], [n + 1, 1], [n + 1, 0], [n, 0]] for n, _ in enumerate(codes)]
    return json.dumps(
        {
            "type": "Topology",
            "objects": {"kabkota": {"type": "GeometryCollection", "geometries": geometries}},
            "arcs": arcs,
        }
    ).encode()


def test_a_geojson_file_lists_matched_unknown_and_missing_codes() -> None:
    check = check_boundaries(geojson("64.02", "3374", "99.99"), known_codes=KNOWN)
    assert (check.kind, check.features) == ("geojson", 3)
    assert check.matched == ["33.74", "64.02"]
    assert check.unknown == ["99.99"]
    assert check.missing == ["35.78"]


def test_a_topojson_file_is_read_from_its_objects() -> None:
    check = check_boundaries(topojson("64.02", "35.78"), known_codes=KNOWN)
    assert (check.kind, check.matched, check.missing) == ("topojson", ["35.78", "64.02"], ["33.74"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "bukan JSON"),
        (b"\xff\xfe", "bukan JSON"),
        (b'{"type": "Feature"}', "GeoJSON FeatureCollection atau TopoJSON"),
        (b"[]", "GeoJSON FeatureCollection atau TopoJSON"),
        (b'{"type": "Topology", "objects": {}}', "arcs"),
        (geojson("64.02", None), "Fitur ke-2"),
        (geojson("64.02", key="name"), "Fitur ke-1"),
        (geojson("640"), "Fitur ke-1"),
        (geojson("99.99", "11.11"), "Tidak ada kode"),
    ],
)
def test_a_bad_file_is_refused_with_what_is_wrong(content: bytes, message: str) -> None:
    with pytest.raises(BoundaryError, match=message):
        check_boundaries(content, known_codes=KNOWN)


def test_an_oversized_file_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    content = geojson("64.02")
    monkeypatch.setattr(boundaries, "MAX_BYTES", len(content) - 1)
    with pytest.raises(BoundaryError, match="terlalu besar"):
        check_boundaries(content, known_codes=KNOWN)
