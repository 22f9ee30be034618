""" "How the index is computed" for one framework version, read from its validated document:
the tree and its exact weights, the scale and its level names, rounding, the treatment of
missing items, aggregation and the predicate bands. Nothing here is typed by hand, so a new
framework version explains itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cityeval.frameworks.fields import canonical_decimal, canonical_weight
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.schema import FrameworkDocument, GroupNode, LocalText, RootNode, walk

MISSING_TEXT: dict[str, Promise] = {
    "lowest": _("Butir tanpa nilai dihitung sebagai tingkat terendah skala."),
    "reweight": _("Bobot butir tanpa nilai dibagi ke butir lain yang bernilai dalam kelompoknya."),
    "carry_forward": _(
        "Butir tanpa nilai memakai nilai siklus sebelumnya; bila tidak ada, tingkat terendah."
    ),
}
AGGREGATION_TEXT: dict[str, Promise] = {
    "arithmetic": _("Rata-rata tertimbang aritmetika di setiap kelompok."),
    "geometric": _("Rata-rata tertimbang geometrik di setiap kelompok."),
}


def local(text: LocalText | None) -> str:
    if text is None:
        return ""
    return text.en if (get_language() or "id").startswith("en") else text.id


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    depth: int
    weight: str  # exact share of the parent, e.g. "8/11" or "0.25"
    global_weight: str  # exact share of the index
    indicators: int


@dataclass(frozen=True)
class LevelRow:
    level: int
    name: str


@dataclass(frozen=True)
class BandRow:
    code: str
    name: str
    minimum: str
    below: str  # the next band's minimum ("" for the top band)


@dataclass(frozen=True)
class IndexGuide:
    ref: str
    name: str
    groups: list[GroupRow]
    indicator_count: int
    levels: list[LevelRow]
    scale_minimum: int
    scale_maximum: int
    places: int
    round_each_level: bool
    missing: str
    aggregation: str
    bands: list[BandRow] = field(default_factory=list)
    tag_axis: str = ""


def _indicator_count(node: RootNode | GroupNode) -> int:
    return sum(1 for found, _parent in walk(node) if not isinstance(found, GroupNode | RootNode))


def _groups(document: FrameworkDocument) -> list[GroupRow]:
    rows: list[GroupRow] = []

    def visit(node: RootNode | GroupNode, depth: int, share: Fraction) -> None:
        for child in node.children:
            if not isinstance(child, GroupNode):
                continue
            weight = Fraction(child.weight)
            rows.append(
                GroupRow(
                    code=child.code,
                    name=local(child.name),
                    depth=depth,
                    weight=canonical_weight(weight),
                    global_weight=canonical_weight(share * weight),
                    indicators=_indicator_count(child),
                )
            )
            visit(child, depth + 1, share * weight)

    visit(document.tree, 1, Fraction(1))
    return rows


def index_guide(version: FrameworkVersion) -> IndexGuide:
    document = version.parsed()
    bands = document.predicates.bands if document.predicates else ()
    return IndexGuide(
        ref=version.ref,
        name=version.name,
        groups=_groups(document),
        indicator_count=len(document.indicators()),
        levels=[
            LevelRow(level, local(document.scale.labels.get(level)))
            for level in range(document.scale.minimum, document.scale.maximum + 1)
        ],
        scale_minimum=document.scale.minimum,
        scale_maximum=document.scale.maximum,
        places=document.rounding.places,
        round_each_level=document.rounding.round_each_level,
        missing=str(MISSING_TEXT[document.missing]),
        aggregation=str(AGGREGATION_TEXT[document.aggregation]),
        bands=[
            BandRow(
                code=band.code,
                name=local(band.label),
                minimum=canonical_decimal(band.minimum),
                below=canonical_decimal(bands[i + 1].minimum) if i + 1 < len(bands) else "",
            )
            for i, band in enumerate(bands)
        ],
        tag_axis=local(document.tag_axis.name) if document.tag_axis else "",
    )
