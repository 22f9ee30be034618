"""The smart city dimensions and their elements, read from the G100SC framework's tag axis.

They are data, not constants: a new framework version that renames or adds an element changes
what programs may be filed under without a code change. The latest imported G100SC version wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityeval.frameworks.models import FrameworkVersion, pick_language

FRAMEWORK_CODE = "G100SC"


@dataclass(frozen=True)
class SmartElement:
    code: str
    name_id: str
    name_en: str

    @property
    def name(self) -> str:
        return pick_language(self.name_id, self.name_en)


@dataclass(frozen=True)
class SmartDimension:
    code: str
    name_id: str
    name_en: str
    elements: tuple[SmartElement, ...]

    @property
    def name(self) -> str:
        return pick_language(self.name_id, self.name_en)


@dataclass(frozen=True)
class SmartAxis:
    dimensions: tuple[SmartDimension, ...]

    @property
    def codes(self) -> list[str]:
        return [dimension.code for dimension in self.dimensions]

    def dimension(self, code: str) -> SmartDimension | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def element(self, code: str) -> SmartElement | None:
        return next((e for d in self.dimensions for e in d.elements if e.code == code), None)

    def dimension_of(self, element_code: str) -> SmartDimension | None:
        return next(
            (d for d in self.dimensions if any(e.code == element_code for e in d.elements)), None
        )

    def problem(self, dimension: str, element: str) -> tuple[str, str] | None:
        """(field, message) when the pair is not a dimension and one of its elements."""
        if not self.dimensions:
            return "element", _(
                "Dimensi smart city dibaca dari kerangka G100SC, tetapi kerangka itu belum diimpor."
            )
        if self.dimension(dimension) is None:
            return "element", _(
                "Dimensi %(code)s tidak dikenal; pilih salah satu dari %(codes)s."
            ) % {
                "code": dimension or "—",
                "codes": ", ".join(self.codes),
            }
        owner = self.dimension_of(element)
        if owner is None:
            return "element", _("Elemen %(code)s tidak dikenal.") % {"code": element or "—"}
        if owner.code != dimension:
            return "element", _(
                "Elemen %(element)s termasuk dimensi %(owner)s, bukan %(dimension)s."
            ) % {
                "element": element,
                "owner": owner.code,
                "dimension": dimension,
            }
        return None


def smart_axis() -> SmartAxis:
    """The tag axis of the latest imported G100SC version; empty when none is imported."""
    # Only the axis is read: the whole document is large and this runs on every form.
    axis: Any = (
        FrameworkVersion.objects.of_code(FRAMEWORK_CODE)
        .values_list("document__tag_axis", flat=True)
        .last()
    )
    if not axis:
        return SmartAxis(dimensions=())
    return SmartAxis(
        dimensions=tuple(
            SmartDimension(
                code=tag["code"],
                name_id=tag["name"]["id"],
                name_en=tag["name"].get("en", ""),
                elements=tuple(
                    SmartElement(
                        code=child["code"],
                        name_id=child["name"]["id"],
                        name_en=child["name"].get("en", ""),
                    )
                    for child in tag.get("children", ())
                ),
            )
            for tag in axis["tags"]
        )
    )
