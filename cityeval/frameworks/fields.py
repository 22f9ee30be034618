"""Value types of a framework document: codes, exact numbers, weights and the check context.

Numbers are `Decimal` from the YAML text onwards (the loader never builds a binary float), so a
weight written as 0.1 is exactly one tenth. Weights may also be written as a ratio such as
`12/16.5` when the source publishes shares of a whole (SPBE does). A weight is an exact rational
(`Fraction`): `12/16.5` is 8/11, never 28 digits of it, so sibling weights sum to exactly 1 and
an index that lies on a tie is rounded as a tie. The stored document writes a weight as its
decimal when that terminates (`0.25`) and as the reduced ratio otherwise (`8/11`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, StringConstraints
from pydantic_core import PydanticCustomError

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
FRAMEWORK_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{0,19}$"
VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$"


def canonical_decimal(value: Decimal) -> str:
    """One spelling per value (0.10 and 0.1 are the same weight), so equal content hashes equal."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _decimal_from(value: object) -> Decimal | None:
    if isinstance(value, bool):  # YAML `yes`/`no` are booleans; they are not numbers here
        return None
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def read_number(value: object) -> Decimal | None:
    """A finite decimal from a YAML value, or None when it is not a number."""
    return _decimal_from(value)


def read_weight(value: object) -> Fraction | None:
    """A weight from a YAML value, exactly: a number or a ratio `a/b`; None when unreadable."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str) and "/" in value:
        numerator, _, denominator = value.partition("/")
        top, bottom = _decimal_from(numerator), _decimal_from(denominator)
        if top is None or bottom is None or bottom == 0:
            return None
        return Fraction(top) / Fraction(bottom)
    number = _decimal_from(value)
    return None if number is None else Fraction(number)


def canonical_weight(weight: Fraction) -> str:
    """The decimal when it terminates (`0.25`), else the reduced ratio (`8/11`): one spelling per
    value, read back exactly by `read_weight`."""
    rest, powers = weight.denominator, {2: 0, 5: 0}
    for factor in powers:
        while rest % factor == 0:
            rest //= factor
            powers[factor] += 1
    if rest != 1:
        return f"{weight.numerator}/{weight.denominator}"
    places = max(powers.values())  # 10^places is a multiple of the denominator
    units = weight.numerator * 10**places // weight.denominator
    return canonical_decimal(Decimal(units).scaleb(-places))


def _parse_number(value: object) -> Decimal:
    number = read_number(value)
    if number is None:
        raise PydanticCustomError("cityeval.number_invalid", "not a number", {"value": value})
    return number


def _parse_weight(value: object) -> Fraction:
    weight = read_weight(value)
    if weight is None:
        raise PydanticCustomError("cityeval.weight_invalid", "unreadable weight", {"value": value})
    return weight


def _check_weight_range(weight: Fraction) -> Fraction:
    if not 0 < weight <= 1:
        raise PydanticCustomError("cityeval.weight_range", "weight out of range", {"value": weight})
    return weight


def _version_text(value: object) -> object:
    # `version: 2022` is an integer in YAML; a version is a label, so accept it as text.
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


_serialize_decimal = PlainSerializer(canonical_decimal, return_type=str)

Number = Annotated[Decimal, BeforeValidator(_parse_number), _serialize_decimal]
Weight = Annotated[
    Fraction,
    BeforeValidator(_parse_weight),
    AfterValidator(_check_weight_range),
    PlainSerializer(canonical_weight, return_type=str),
]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
FrameworkCode = Annotated[str, StringConstraints(pattern=FRAMEWORK_CODE_PATTERN)]
Version = Annotated[str, BeforeValidator(_version_text), StringConstraints(pattern=VERSION_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


@dataclass(frozen=True)
class CheckContext:
    """What rules about one node need to know about the rest of the document.

    It is read leniently from the raw data before validation, so a node can be checked even when
    another part of the file is broken. None means "unknown here": the rule is skipped rather
    than reporting a problem that is only an echo of an error elsewhere.
    """

    scale: tuple[int, int] | None = None
    # Tag code -> parent tag code (None for a top-level tag such as a smart dimension).
    tags: dict[str, str | None] | None = None
    references: frozenset[str] | None = None
    has_tag_axis: bool = False


def context_of(info_context: object) -> CheckContext:
    return info_context if isinstance(info_context, CheckContext) else CheckContext()


def _mapping(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _collect_tags(items: object, parent: str | None, into: dict[str, str | None]) -> None:
    if not isinstance(items, list):
        return
    for item in items:
        code = _mapping(item).get("code")
        if isinstance(code, str):
            into.setdefault(code, parent)
            _collect_tags(_mapping(item).get("children"), code, into)


def build_context(data: object) -> CheckContext:
    document = _mapping(data)
    scale_raw = _mapping(document.get("scale"))
    low, high = scale_raw.get("minimum"), scale_raw.get("maximum")
    scale = None
    if type(low) is int and type(high) is int and low < high:
        scale = (low, high)
    axis = document.get("tag_axis")
    tags: dict[str, str | None] | None = None
    if axis is None:
        tags = {}
    elif isinstance(_mapping(axis).get("tags"), list):
        tags = {}
        _collect_tags(_mapping(axis).get("tags"), None, tags)
    references = _mapping(document.get("sources")).get("references", [])
    reference_codes = None
    if isinstance(references, list):
        reference_codes = frozenset(
            code for item in references if isinstance(code := _mapping(item).get("code"), str)
        )
    return CheckContext(
        scale=scale, tags=tags, references=reference_codes, has_tag_axis=axis is not None
    )
