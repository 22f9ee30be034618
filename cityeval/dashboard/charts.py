"""The distribution of indices as 0.25-wide bins, and its Vega-Lite bar chart.

The bins are counted here (not by Vega's `bin` transform) so that the table beside the chart,
the chart and a later PDF (vl-convert) show the same counts from the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cityeval.dashboard.consistency import DimensionLine
from cityeval.evaluations.models import Cycle

BIN_WIDTH = Decimal("0.25")
BAR = "#1f6f8b"


@dataclass(frozen=True)
class Bin:
    start: Decimal
    end: Decimal
    count: int


def bins(cycle: Cycle, indices: list[Decimal | None]) -> list[Bin]:
    """Counts of published indices in [start, end) bins over the framework's scale.

    The top of the scale (5.00) falls in the last bin rather than in a bin of its own.
    """
    scale: dict[str, Any] = cycle.framework_version.document.get("scale") or {}
    low = Decimal(str(scale.get("minimum", 0)))
    high = Decimal(str(scale.get("maximum", 5)))
    count = max(int((high - low) / BIN_WIDTH), 1)
    counts = [0] * count
    for index in indices:
        if index is None:
            continue
        position = int((index - low) / BIN_WIDTH)
        counts[min(max(position, 0), count - 1)] += 1
    return [Bin(low + BIN_WIDTH * n, low + BIN_WIDTH * (n + 1), counts[n]) for n in range(count)]


def distribution_chart(found: list[Bin]) -> dict[str, Any]:
    index, regions = _("Indeks"), _("Daerah")
    rows = [{"start": float(b.start), "end": float(b.end), regions: b.count} for b in found]
    halves = [float(b.start) for b in found if b.start % Decimal("0.5") == 0]
    if found:
        halves.append(float(found[-1].end))
    return {
        # The schema URL is an identifier only: nothing is fetched from it.
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 180,
        "background": None,
        "config": {"view": {"stroke": None}},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": BAR, "binSpacing": 1},
        "encoding": {
            "x": {
                "field": "start",
                "bin": {"binned": True, "step": 0.25},
                "title": index,
                # Labels at every half point: quarter labels (1,25) crowd a phone's width.
                "axis": {"values": halves, "format": ".1f"},
            },
            "x2": {"field": "end"},
            "y": {
                "field": regions,
                "type": "quantitative",
                "title": regions,
                "axis": {"tickMinStep": 1},
            },
            "tooltip": [
                {"field": "start", "title": index, "format": ".2f"},
                {"field": regions, "type": "quantitative"},
            ],
        },
    }


OVER, UNDER = "#a35a00", "#0b5cab"  # the scorecard's colours for claiming more / less


def consistency_chart(dimensions: list[DimensionLine]) -> dict[str, Any]:
    """Mean gap (self minus verified, in levels) per smart dimension: bars either side of 0."""
    dimension, gap = _("Dimensi"), _("Selisih rata-rata")
    rows = [
        {dimension: d.name, gap: float(d.tally.mean_gap)}
        for d in dimensions
        if d.tally.mean_gap is not None
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": {"step": 22},
        "background": None,
        "config": {"view": {"stroke": None}},
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": dimension, "type": "nominal", "sort": None, "title": None},
            "x": {"field": gap, "type": "quantitative", "title": gap},
            "color": {
                "condition": {"test": f"datum['{gap}'] >= 0", "value": OVER},
                "value": UNDER,
            },
            "tooltip": [
                {"field": dimension, "type": "nominal"},
                {"field": gap, "type": "quantitative", "format": ".2f"},
            ],
        },
    }


MAP_EMPTY = "#e3e6ea"


def boundary_format(boundaries: dict[str, Any]) -> dict[str, Any]:
    """How Vega reads the features of a prepared boundary file (`regions.boundaries.with_codes`)."""
    if boundaries.get("type") == "Topology":
        return {"type": "topojson", "feature": next(iter(boundaries["objects"]))}
    return {"type": "json", "property": "features"}


def choropleth_chart(boundaries: dict[str, Any], values: list[dict[str, Any]]) -> dict[str, Any]:
    """The index of each region on the operator's boundary file, the geometry inline (paper:
    vl-convert reads no URL). See `choropleth_spec`."""
    return choropleth_spec({"values": boundaries, "format": boundary_format(boundaries)}, values)


def choropleth_spec(data: dict[str, Any], values: list[dict[str, Any]]) -> dict[str, Any]:
    """The index of each region on the operator's boundary file: a grey shape for every feature,
    coloured where a result is shown. `data`: the geometry, inline (`values`) or by `url` (the
    pages: `dashboard.maps.map_chart`), with its `boundary_format`. `values`: one mapping per
    region shown (code, region, index as a float), already filtered like the rest of the board,
    so that the page (vega-embed) and paper (vl-convert) draw the same spec."""
    index, region = _("Indeks"), _("Daerah")
    lookup = {
        "lookup": "properties.kode_kemendagri",
        "from": {"data": {"values": values}, "key": "code", "fields": ["index", "region"]},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # Both follow the page's box (css: .dash-map), which keeps a national map's wide shape
        # on a phone; paper gives both (`scorecards.pdf.chart_svg`).
        "width": "container",
        "height": "container",
        "background": None,
        "config": {"view": {"stroke": None}},
        "data": data,
        "projection": {"type": "mercator"},
        "layer": [
            {
                "mark": {
                    "type": "geoshape",
                    "fill": MAP_EMPTY,
                    "stroke": "white",
                    "strokeWidth": 0.5,
                }
            },
            {
                "transform": [lookup, {"filter": "isValid(datum.index)"}],
                "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": "index",
                        "type": "quantitative",
                        "title": index,
                        "scale": {"scheme": "blues"},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "tooltip": [
                        {"field": "region", "title": region},
                        {"field": "index", "type": "quantitative", "title": index, "format": ".2f"},
                    ],
                },
            },
        ],
    }
