"""From a framework document to the scoring engine's input (`scoring.model.Framework`).

The engine never sees YAML, pydantic or the database; this is the one place that translates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from cityeval.frameworks.schema import (
    FrameworkDocument,
    GroupNode,
    Indicator,
    MaturityIndicator,
    QuantitativeIndicator,
    TagSpec,
)
from scoring import model as engine

if TYPE_CHECKING:
    from cityeval.frameworks.models import FrameworkVersion


# Imported versions never change (`FrameworkVersion` refuses a second save), so the conversion, a
# pydantic validation of the whole document that costs tens of milliseconds, is done once per
# version and process instead of on every scorecard, simulation and finalisation. The key holds
# the content hash as well as the id: an id reused by another database (tests roll back) with
# other content misses the cache. The engine's framework is frozen dataclasses, safe to share.
_CONVERTED: dict[tuple[int, str], engine.Framework] = {}
CACHED_VERSIONS = 32


def to_scoring(version: FrameworkVersion) -> engine.Framework:
    """The engine's framework for an imported version, built from its stored document."""
    if version.pk is None:
        return document_to_scoring(version.parsed())
    key = (version.pk, version.content_sha256)
    found = _CONVERTED.get(key)
    if found is None:
        found = document_to_scoring(version.parsed())
        if len(_CONVERTED) >= CACHED_VERSIONS:
            _CONVERTED.clear()
        _CONVERTED[key] = found
    return found


def document_to_scoring(document: FrameworkDocument) -> engine.Framework:
    root = engine.Node(
        code=document.tree.code,
        weight=Decimal(1),
        children=tuple(_entry(child) for child in document.tree.children),
    )
    predicates = document.predicates.bands if document.predicates else ()
    tag_specs = document.tag_axis.tags if document.tag_axis else ()
    return engine.Framework(
        code=document.code,
        version=document.version,
        root=root,
        scale=engine.Scale(Decimal(document.scale.minimum), Decimal(document.scale.maximum)),
        rounding=engine.Rounding(
            places=document.rounding.places, round_each_level=document.rounding.round_each_level
        ),
        missing=engine.MissingPolicy(document.missing),
        aggregation=engine.Aggregation(document.aggregation),
        predicates=tuple(engine.PredicateBand(band.code, band.minimum) for band in predicates),
        tags=tuple(_tags(tag_specs, None)),
    )


def _entry(node: GroupNode | Indicator) -> engine.Node | engine.Indicator:
    if isinstance(node, GroupNode):
        return engine.Node(
            code=node.code,
            weight=node.weight,
            children=tuple(_entry(child) for child in node.children),
        )
    return _indicator(node)


def _indicator(node: Indicator) -> engine.Indicator:
    if isinstance(node, QuantitativeIndicator):
        return engine.Indicator(
            code=node.code,
            weight=node.weight,
            kind=engine.IndicatorKind.QUANTITATIVE,
            tags=tuple(node.tags),
            direction=engine.Direction(node.direction),
            normalisation=engine.Normalisation(node.normalisation),
            lower=node.lower,
            upper=node.upper,
            target=node.target,
        )
    # A percentage computed from the program registry is still a percentage to the engine:
    # the evaluation side computes the share and hands it over as the item's value.
    kind = (
        engine.IndicatorKind.MATURITY
        if isinstance(node, MaturityIndicator)
        else engine.IndicatorKind.PERCENTAGE
    )
    return engine.Indicator(code=node.code, weight=node.weight, kind=kind, tags=tuple(node.tags))


def _tags(specs: tuple[TagSpec, ...], parent: str | None) -> list[engine.Tag]:
    found: list[engine.Tag] = []
    for spec in specs:
        found.append(engine.Tag(code=spec.code, parent=parent))
        found.extend(_tags(spec.children, spec.code))
    return found
