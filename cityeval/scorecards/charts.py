"""Vega-Lite specifications of the scorecard's charts, as plain dicts.

The specs carry their data inline and use no signals or expressions beyond formatting, so the
page renders them with vega-embed and a later PDF export can render the very same dicts to SVG
(vl-convert). Labels come in the active language from the caller.

The six smart dimensions are drawn as a horizontal bar chart on the framework's scale with the
national mean as a tick, not as a radar: a radar's area grows with the square of the values and
depends on the order of the axes, and a bar is read exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from cityeval.scorecards.data import Claim, TrendPoint
from scoring.model import Scale

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VERIFIED = "#1f6f8b"
CLAIMED = "#e0a526"
MEAN = "#333333"


def _base(height: int) -> Spec:
    # The schema URL is an identifier only: nothing is fetched from it.
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": height,
        "background": None,
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 220}},
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def dimensions_chart(claims: list[Claim], low: Decimal, high: Decimal) -> Spec:
    """The verified index of each smart dimension, with the national mean of the cycle."""
    index, mean, dimension = _("Indeks"), _("Rata-rata nasional"), _("Dimensi")
    rows = [
        {dimension: c.name, index: _number(c.verified), mean: _number(c.national_mean)}
        for c in claims
    ]
    order = [c.name for c in claims]
    y = {"field": dimension, "type": "nominal", "sort": order, "title": None}
    x_scale = {"domain": [float(low), float(high)]}
    return {
        **_base(34 * len(rows)),
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "bar", "color": VERIFIED, "cornerRadiusEnd": 3},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": index,
                        "type": "quantitative",
                        "scale": x_scale,
                        "title": index,
                    },
                    "tooltip": [{"field": dimension}, {"field": index, "format": ".2f"}],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontWeight": "bold"},
                "encoding": {
                    "y": y,
                    "x": {"field": index, "type": "quantitative", "title": index},
                    "text": {"field": index, "type": "quantitative", "format": ".2f"},
                },
            },
            {
                "mark": {"type": "tick", "color": MEAN, "thickness": 2, "size": 26},
                "encoding": {
                    "y": y,
                    "x": {"field": mean, "type": "quantitative", "title": index},
                    "tooltip": [{"field": dimension}, {"field": mean, "format": ".2f"}],
                },
            },
        ],
    }


def trend_chart(points: list[TrendPoint], low: Decimal, high: Decimal) -> Spec:
    """The index over the program's cycles, labelled with the published figures."""
    cycle, index = _("Siklus"), _("Indeks")
    rows = [{cycle: p.label, index: _number(p.index)} for p in points]
    x = {"field": cycle, "type": "ordinal", "sort": None, "axis": {"labelAngle": 0}}
    y = {"field": index, "type": "quantitative", "scale": {"domain": [float(low), float(high)]}}
    return {
        **_base(200),
        "data": {"values": rows},
        "encoding": {"x": x, "y": y},
        "layer": [
            {"mark": {"type": "line", "color": VERIFIED, "point": {"size": 60}}},
            {
                "mark": {"type": "text", "dy": -12, "fontWeight": "bold"},
                "encoding": {"text": {"field": index, "type": "quantitative", "format": ".2f"}},
            },
        ],
    }


def claims_chart(claims: list[Claim], low: Decimal, high: Decimal) -> Spec:
    """Self-assessed against verified index per smart dimension, side by side."""
    dimension, source, index = _("Dimensi"), _("Sumber"), _("Indeks")
    claimed, verified = _("Penilaian mandiri"), _("Terverifikasi")
    rows = []
    for c in claims:
        rows.append({dimension: c.name, source: claimed, index: _number(c.claimed)})
        rows.append({dimension: c.name, source: verified, index: _number(c.verified)})
    return {
        **_base(44 * len(claims)),
        "data": {"values": rows},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": dimension,
                "type": "nominal",
                "sort": [c.name for c in claims],
                "title": None,
            },
            "yOffset": {"field": source, "sort": [claimed, verified]},
            "x": {
                "field": index,
                "type": "quantitative",
                "scale": {"domain": [float(low), float(high)]},
            },
            "color": {
                "field": source,
                "type": "nominal",
                "scale": {"domain": [claimed, verified], "range": [CLAIMED, VERIFIED]},
                "legend": {"orient": "top", "title": None},
            },
            "tooltip": [
                {"field": dimension},
                {"field": source},
                {"field": index, "format": ".2f"},
            ],
        },
    }


def scorecard_charts(claims: list[Claim], trend: list[TrendPoint], scale: Scale) -> dict[str, Spec]:
    """The scorecard's charts by name, shared by the page and the PDF so both draw the same."""
    return {
        "dimensions": dimensions_chart(claims, Decimal(0), scale.maximum),
        "trend": trend_chart(trend, scale.minimum, scale.maximum),
        "claims": claims_chart(claims, Decimal(0), scale.maximum),
    }
