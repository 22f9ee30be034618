"""Rules over whole subtrees, checked on the raw data so they run even when a node is broken.

Pydantic validates one node at a time; "the weights of these siblings sum to one" and "this
code is not used anywhere else" look across nodes, and they should still be reported when some
unrelated part of the file fails validation.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from cityeval.frameworks.fields import canonical_weight, read_weight
from cityeval.frameworks.yamlio import Location, Problem


def check_document(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return []
    problems: list[Problem] = []
    tree = data.get("tree")
    if isinstance(tree, dict):
        _check_weights(tree, ("tree",), problems)
    problems.extend(_check_unique_codes(data))
    return problems


def _check_weights(node: dict[Any, Any], loc: Location, problems: list[Problem]) -> None:
    children = node.get("children")
    if not isinstance(children, list):
        return
    weights: list[Fraction | None] = [
        read_weight(child.get("weight")) if isinstance(child, dict) else None for child in children
    ]
    # An unreadable weight is reported by validation; a sum without it would only mislead.
    if children and all(weight is not None for weight in weights):
        # Weights are exact rationals, so siblings must sum to exactly 1: three weights of 1/3 do,
        # three of 0.3333333333 do not (write 1/3).
        total = sum((weight for weight in weights if weight is not None), Fraction(0))
        if total != 1:
            code = node.get("code")
            problems.append(
                Problem(
                    (*loc, "children"),
                    "cityeval.weights_sum",
                    {"node": code if isinstance(code, str) else "?", "total": _show(total)},
                )
            )
    for index, child in enumerate(children):
        if isinstance(child, dict):
            _check_weights(child, (*loc, "children", index), problems)


def _show(total: Fraction) -> str:
    # A sum of ratios may not terminate (35/36): show it with twelve places beside it as well.
    text = canonical_weight(total)
    if "/" not in text:
        return text
    approx = Decimal(total.numerator) / Decimal(total.denominator)
    return f"{text} (≈ {approx.quantize(Decimal('1e-12'), rounding=ROUND_HALF_UP)})"


def _check_unique_codes(data: dict[Any, Any]) -> list[Problem]:
    """Tree nodes and tags share one namespace: results are reported by code for both."""
    found: list[tuple[str, Location]] = []
    tree = data.get("tree")
    if isinstance(tree, dict):
        _collect(tree, ("tree",), "children", found)
    axis = data.get("tag_axis")
    if isinstance(axis, dict) and isinstance(axis.get("tags"), list):
        for index, tag in enumerate(axis["tags"]):
            if isinstance(tag, dict):
                _collect(tag, ("tag_axis", "tags", index), "children", found)
    first_seen: dict[str, Location] = {}
    problems: list[Problem] = []
    for code, loc in found:
        if code in first_seen:
            problems.append(
                Problem(
                    (*loc, "code"),
                    "cityeval.duplicate_code",
                    {"code": code, "other": first_seen[code]},
                )
            )
        else:
            first_seen[code] = loc
    return problems


def _collect(
    node: dict[Any, Any], loc: Location, children_key: str, found: list[tuple[str, Location]]
) -> None:
    code = node.get("code")
    if isinstance(code, str):
        found.append((code, loc))
    children = node.get(children_key)
    if isinstance(children, list):
        for index, child in enumerate(children):
            if isinstance(child, dict):
                _collect(child, (*loc, children_key, index), children_key, found)
