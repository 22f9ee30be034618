"""Every decimal a person types refuses NaN, sNaN and ±Infinity with a form error, never a 500.

The simulator's own test is in tests/scorecards/test_views.py; here the shared field, the
forms that use it, the API's number type, and a scan that no form builds a plain DecimalField.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pydantic
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from cityeval.api.schemas import ItemValueIn
from cityeval.core.decimals import FiniteDecimalField, finite_decimal
from cityeval.evidence.forms import FieldVisitForm
from cityeval.reviews.forms import value_field

NOT_FINITE = ["NaN", "nan", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "-inf"]


def fields_under_test() -> dict[str, forms.Field]:
    number = SimpleNamespace(kind="number", levels={})
    percentage = SimpleNamespace(kind="percentage", levels={})
    visit = FieldVisitForm.base_fields
    return {
        "review value": value_field(number),  # type: ignore[arg-type]
        "review percentage": value_field(percentage),  # type: ignore[arg-type]
        "visit latitude": visit["latitude"],
        "visit longitude": visit["longitude"],
        "visit accuracy": visit["accuracy_m"],
        "plain field": FiniteDecimalField(),
    }


@pytest.mark.parametrize("name", sorted(fields_under_test()))
@pytest.mark.parametrize("raw", NOT_FINITE)
def test_a_decimal_field_answers_a_form_error(name: str, raw: str) -> None:
    field = fields_under_test()[name]
    with pytest.raises(ValidationError):
        field.clean(raw)


@pytest.mark.parametrize("raw", NOT_FINITE)
def test_the_parsing_helper_refuses_what_is_not_finite(raw: str) -> None:
    with pytest.raises(ValidationError):
        finite_decimal(raw)
    assert finite_decimal("3.5") == finite_decimal(" 3.50 ")
    assert finite_decimal("") is None


@pytest.mark.parametrize("raw", [*NOT_FINITE, "1e999999"])
def test_the_api_number_refuses_what_is_not_finite(raw: str) -> None:
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(ItemValueIn).validate_python(raw)


def test_no_form_builds_a_plain_decimal_field() -> None:
    """forms.DecimalField lets a NaN reach code that runs before validate(); use
    core.decimals.FiniteDecimalField (or a subclass) instead."""
    root = Path(settings.BASE_DIR) / "cityeval"
    offenders: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "decimals.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            plain = (
                isinstance(node, ast.Attribute)
                and node.attr == "DecimalField"
                and isinstance(node.value, ast.Name)
                and node.value.id == "forms"
            )
            if plain and isinstance(node, ast.Attribute):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
