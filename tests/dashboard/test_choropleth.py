"""The map's Vega-Lite spec, drawn by vl-convert as a PDF would, on synthetic boundary files."""

from __future__ import annotations

import re

import pytest

from cityeval.dashboard.charts import MAP_EMPTY, choropleth_chart
from cityeval.regions.boundaries import with_codes
from cityeval.scorecards.pdf import chart_svg
from tests.regions.test_boundaries import geojson, topojson

VALUES = [
    {"code": "64.02", "region": "Kab. Kutai Kartanegara", "index": 3.1},
    {"code": "33.74", "region": "Kota Semarang", "index": 2.4},
]


def fills(svg: str) -> list[str]:
    """The fill of every shape drawn (the projected paths, not the legend's)."""
    return re.findall(r'<path transform="[^"]*" d="[^"]*" fill="([^"]+)"', svg)


def test_a_shape_is_drawn_as_itself_not_as_the_globe_around_it() -> None:
    # GeoJSON's own ring order (anticlockwise) is what d3 draws as "everything but the shape".
    svg = chart_svg(choropleth_chart(with_codes(geojson("64.02")), VALUES), 400, "id", 300)
    shape = re.search(r'<path transform="[^"]*" d="([^"]*)"', svg)
    assert shape is not None
    assert shape.group(1).count("M") == 1


@pytest.mark.parametrize(
    "content", [geojson("64.02", "3374", "35.78"), topojson("64.02", "33.74", "35.78")]
)
def test_every_feature_is_drawn_and_those_with_a_result_coloured(content: bytes) -> None:
    svg = chart_svg(choropleth_chart(with_codes(content), VALUES), 400, "id", 300)
    drawn = fills(svg)
    assert drawn.count(MAP_EMPTY) == 3  # the base layer: every feature, with a result or not
    coloured = [fill for fill in drawn if fill != MAP_EMPTY]
    assert len(coloured) == 2  # 35.78 has no result shown: it stays grey
    assert len(set(coloured)) == 2  # different indices, different shades


def test_a_filter_that_shows_no_region_draws_grey_shapes_only() -> None:
    svg = chart_svg(choropleth_chart(with_codes(geojson("64.02", "33.74")), []), 400, "id", 300)
    assert fills(svg) == [MAP_EMPTY, MAP_EMPTY]
