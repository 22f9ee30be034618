"""The parts of a framework document around its tree: texts, sources, scale, bands and tags.

Every model forbids unknown keys so that a typo such as `wieght` is an error, not a silently
ignored line. See `schema.py` for the tree and the document itself.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cityeval.frameworks.fields import Code, Number, Text, canonical_decimal, context_of


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(StrictModel):
    """A text in Indonesian (`id`) and English (`en`)."""

    id: Text
    en: Text


class Reference(StrictModel):
    code: Code
    title: Text
    url: Text | None = None
    note: Text | None = None


class Sources(StrictModel):
    # Where the figures come from and what the project wrote itself (shown to users).
    notes: LocalText
    references: tuple[Reference, ...] = ()

    @field_validator("references")
    @classmethod
    def _unique_codes(cls, references: tuple[Reference, ...]) -> tuple[Reference, ...]:
        refuse_repeats("cityeval.duplicate_reference", [r.code for r in references])
        return references


class Provenance(StrictModel):
    """Whether a node's figures are confirmed by public sources, and which ones."""

    verified: bool
    refs: tuple[Code, ...] = ()
    note: Text | None = None

    @field_validator("refs")
    @classmethod
    def _known_references(cls, refs: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = context_of(info.context).references
        unknown = [ref for ref in refs if known is not None and ref not in known]
        if unknown:
            raise PydanticCustomError(
                "cityeval.unknown_reference", "unknown reference", {"refs": ", ".join(unknown)}
            )
        return refs


class Scale(StrictModel):
    minimum: int
    maximum: int
    # Optional names of the levels, e.g. SPBE's 1 "Rintisan" .. 5 "Optimum".
    labels: dict[int, LocalText] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.minimum >= self.maximum:
            raise PydanticCustomError("cityeval.scale_order", "minimum must be below maximum")
        outside = [level for level in self.labels if not self.minimum <= level <= self.maximum]
        if outside:
            raise PydanticCustomError(
                "cityeval.labels_outside", "labels outside", {"levels": join(sorted(outside))}
            )
        return self


class Rounding(StrictModel):
    places: Annotated[int, Field(ge=0, le=6)]
    # Half-up is the only mode: official figures must match the ministry's spreadsheets.
    mode: Literal["half_up"] = "half_up"
    round_each_level: bool = False


class Band(StrictModel):
    code: Code
    label: LocalText
    minimum: Number  # inclusive; a band ends where the next one begins


class Predicates(StrictModel):
    provenance: Provenance | None = None
    bands: Annotated[tuple[Band, ...], Field(min_length=1)]

    @field_validator("bands")
    @classmethod
    def _ascending(cls, bands: tuple[Band, ...], info: ValidationInfo) -> tuple[Band, ...]:
        refuse_repeats("cityeval.duplicate_band", [band.code for band in bands])
        problems = [
            f"{later.code} ({canonical_decimal(later.minimum)}) ≤ "
            f"{earlier.code} ({canonical_decimal(earlier.minimum)})"
            for earlier, later in itertools.pairwise(bands)
            if later.minimum <= earlier.minimum
        ]
        if problems:
            raise PydanticCustomError(
                "cityeval.bands_order", "bands not ascending", {"detail": "; ".join(problems)}
            )
        scale = context_of(info.context).scale
        if scale is not None:
            if bands[0].minimum != scale[0]:
                raise PydanticCustomError(
                    "cityeval.bands_start",
                    "lowest band must start at the scale minimum",
                    {"minimum": scale[0], "first": canonical_decimal(bands[0].minimum)},
                )
            if bands[-1].minimum > scale[1]:
                raise PydanticCustomError(
                    "cityeval.bands_above_scale",
                    "band above the scale",
                    {"code": bands[-1].code, "maximum": scale[1]},
                )
        return bands


class TagSpec(StrictModel):
    code: Code
    name: LocalText
    children: tuple[TagSpec, ...] = ()


class TagAxis(StrictModel):
    name: LocalText
    tags: Annotated[tuple[TagSpec, ...], Field(min_length=1)]


def join(values: list[Any]) -> str:
    return ", ".join(str(value) for value in values)


def refuse_repeats(error_type: str, codes: list[str]) -> None:
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise PydanticCustomError(error_type, "repeated code", {"codes": join(repeated)})
