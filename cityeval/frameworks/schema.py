"""The framework document: what a framework file may contain (docs/framework-format.md).

This module holds the tree (groups and indicators) and the document; the parts around the tree
are in `parts.py`. Rules that need the rest of the document (known tags, the scale's levels,
reference codes) read it from the validation context (`fields.CheckContext`), so pydantic
reports them together with structural problems. Rules over whole subtrees (sibling weights
summing to one, codes unique across the document) are in `rules.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cityeval.frameworks.fields import (
    Code,
    FrameworkCode,
    Number,
    Text,
    Version,
    Weight,
    context_of,
)
from cityeval.frameworks.parts import (
    Band,
    LocalText,
    Predicates,
    Provenance,
    Reference,
    Rounding,
    Scale,
    Sources,
    StrictModel,
    TagAxis,
    TagSpec,
    join,
    refuse_repeats,
)

__all__ = [
    "INDICATOR_KINDS",
    "NODE_KINDS",
    "Band",
    "FrameworkDocument",
    "GroupNode",
    "Indicator",
    "LocalText",
    "MaturityIndicator",
    "PercentageIndicator",
    "Predicates",
    "Provenance",
    "QuantitativeIndicator",
    "Reference",
    "RootNode",
    "Rounding",
    "Scale",
    "Sources",
    "TagAxis",
    "TagSpec",
    "all_field_names",
    "walk",
]

INDICATOR_KINDS = ("maturity", "percentage", "quantitative")
NODE_KINDS = ("group", *INDICATOR_KINDS)


class Level(StrictModel):
    rubric: LocalText  # what the region must show to reach this level
    evidence: LocalText  # the documents (data dukung) that prove it


class _Indicator(StrictModel):
    code: Code
    name: LocalText
    question: LocalText | None = None
    guidance: LocalText | None = None
    weight: Weight
    tags: tuple[Code, ...] = ()
    provenance: Provenance | None = None

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        context = context_of(info.context)
        refuse_repeats("cityeval.duplicate_tag", list(tags))
        if tags and context.tags is not None and not context.has_tag_axis:
            raise PydanticCustomError("cityeval.tags_without_axis", "no tag axis")
        if context.tags is None:
            return tags
        unknown = [tag for tag in tags if tag not in context.tags]
        if unknown:
            raise PydanticCustomError(
                "cityeval.unknown_tag", "unknown tag", {"tags": join(unknown)}
            )
        for tag in tags:
            parent = context.tags[tag]
            if parent is not None and parent not in tags:
                # Explicit beats implied: the engine sees exactly the tags written here.
                raise PydanticCustomError(
                    "cityeval.tag_parent_missing", "parent missing", {"tag": tag, "parent": parent}
                )
        return tags


class MaturityIndicator(_Indicator):
    kind: Literal["maturity"]
    levels: dict[int, Level]

    @field_validator("levels")
    @classmethod
    def _every_level(cls, levels: dict[int, Level], info: ValidationInfo) -> dict[int, Level]:
        scale = context_of(info.context).scale
        if scale is None:
            return levels
        low, high = scale
        outside = sorted(level for level in levels if not low <= level <= high)
        if outside:
            raise PydanticCustomError(
                "cityeval.levels_outside",
                "levels outside the scale",
                {"levels": join(outside), "minimum": low, "maximum": high},
            )
        missing = [level for level in range(low, high + 1) if level not in levels]
        if missing:
            raise PydanticCustomError(
                "cityeval.levels_missing",
                "levels missing",
                {"missing": join(missing), "minimum": low, "maximum": high},
            )
        return dict(sorted(levels.items()))


class PercentageIndicator(_Indicator):
    kind: Literal["percentage"]
    # `programs`: computed from the region's masterplan program registry (share running).
    source: Literal["entered", "programs"] = "entered"
    dimension: Code | None = None  # the smart dimension whose programs are counted

    @model_validator(mode="after")
    def _programs_need_a_dimension(self, info: ValidationInfo) -> PercentageIndicator:
        if self.source == "programs" and self.dimension is None:
            raise PydanticCustomError(
                "cityeval.dimension_missing", "dimension missing", {"field": "dimension"}
            )
        if self.source != "programs" and self.dimension is not None:
            raise PydanticCustomError(
                "cityeval.dimension_without_programs", "dimension unused", {"field": "dimension"}
            )
        tags = context_of(info.context).tags
        if self.dimension is not None and tags is not None:
            if tags.get(self.dimension, "") is not None:
                raise PydanticCustomError(
                    "cityeval.dimension_unknown",
                    "unknown dimension",
                    {"dimension": self.dimension, "field": "dimension"},
                )
            if self.dimension not in self.tags:
                raise PydanticCustomError(
                    "cityeval.dimension_not_tagged",
                    "untagged",
                    {"dimension": self.dimension, "field": "tags"},
                )
        return self


# The bounds each normalisation needs; the others must stay empty so mistakes show.
BOUNDS_NEEDED: dict[str, tuple[str, ...]] = {
    "goalposts": ("lower", "upper"),
    "distance_to_target": ("lower", "target"),
    "min_max": (),
    "z_score": (),
    "rank": (),
}


class QuantitativeIndicator(_Indicator):
    kind: Literal["quantitative"]
    unit: Text
    direction: Literal["higher", "lower"]
    normalisation: Literal["goalposts", "min_max", "z_score", "rank", "distance_to_target"]
    lower: Number | None = None
    upper: Number | None = None
    target: Number | None = None

    @model_validator(mode="after")
    def _bounds_fit_the_normalisation(self) -> QuantitativeIndicator:
        needed = BOUNDS_NEEDED[self.normalisation]
        given = {name: getattr(self, name) for name in ("lower", "upper", "target")}
        missing = [name for name in needed if given[name] is None]
        unused = [name for name, value in given.items() if value is not None and name not in needed]
        context = {"normalisation": self.normalisation, "field": "normalisation"}
        if missing:
            raise PydanticCustomError(
                "cityeval.bounds_missing", "bounds missing", {**context, "fields": join(missing)}
            )
        if unused:
            raise PydanticCustomError(
                "cityeval.bounds_unused", "bounds unused", {**context, "fields": join(unused)}
            )
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise PydanticCustomError(
                "cityeval.bounds_order", "lower must be below upper", {"field": "lower"}
            )
        if self.lower is not None and self.target is not None:
            improves = (
                self.target > self.lower
                if self.direction == "higher"
                else (self.target < self.lower)
            )
            if not improves:
                raise PydanticCustomError(
                    "cityeval.target_direction",
                    "target direction",
                    {"direction": self.direction, "field": "target"},
                )
        return self


def _kind_of(value: Any) -> str | None:
    """Which model a tree entry is: `kind` when written, a group when it has children."""
    if isinstance(value, dict):
        if "kind" in value:
            return str(value["kind"])
        return "group" if "children" in value else None
    return getattr(value, "kind", None)


class GroupNode(StrictModel):
    kind: Literal["group"] = "group"
    code: Code
    name: LocalText
    description: LocalText | None = None
    weight: Weight
    provenance: Provenance | None = None
    children: Annotated[tuple[TreeEntry, ...], Field(min_length=1)]


TreeEntry = Annotated[
    Annotated[GroupNode, Tag("group")]
    | Annotated[MaturityIndicator, Tag("maturity")]
    | Annotated[PercentageIndicator, Tag("percentage")]
    | Annotated[QuantitativeIndicator, Tag("quantitative")],
    Discriminator(_kind_of),
]
Indicator = MaturityIndicator | PercentageIndicator | QuantitativeIndicator
GroupNode.model_rebuild()


class RootNode(StrictModel):
    """The top of the tree; its index is the framework's index, so it carries no weight."""

    code: Code
    name: LocalText
    description: LocalText | None = None
    provenance: Provenance | None = None
    children: Annotated[tuple[TreeEntry, ...], Field(min_length=1)]


class FrameworkDocument(StrictModel):
    format: Literal[1]
    code: FrameworkCode
    version: Version
    name: LocalText
    description: LocalText | None = None
    sources: Sources
    scale: Scale
    rounding: Rounding
    missing: Literal["lowest", "reweight", "carry_forward"]
    aggregation: Literal["arithmetic", "geometric"]
    predicates: Predicates | None = None
    tag_axis: TagAxis | None = None
    tree: RootNode

    @property
    def ref(self) -> str:
        return f"{self.code}@{self.version}"

    def indicators(self) -> list[Indicator]:
        return [node for node, _ in walk(self.tree) if not isinstance(node, GroupNode | RootNode)]


def walk(
    node: RootNode | GroupNode | Indicator, parent: RootNode | GroupNode | None = None
) -> list[tuple[RootNode | GroupNode | Indicator, RootNode | GroupNode | None]]:
    """Every node with its parent, in document order (pre-order)."""
    found: list[tuple[RootNode | GroupNode | Indicator, RootNode | GroupNode | None]] = [
        (node, parent)
    ]
    if isinstance(node, RootNode | GroupNode):
        for child in node.children:
            found.extend(walk(child, node))
    return found


def all_field_names() -> set[str]:
    """Every key the format knows; used to suggest the right spelling of an unknown key."""
    models: list[type[BaseModel]] = [
        LocalText, Reference, Sources, Provenance, Scale, Rounding, Band, Predicates, TagSpec,
        TagAxis, Level, MaturityIndicator, PercentageIndicator, QuantitativeIndicator, GroupNode,
        RootNode, FrameworkDocument,
    ]  # fmt: skip
    return {name for model in models for name in model.model_fields}
