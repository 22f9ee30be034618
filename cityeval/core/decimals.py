"""The one form field for decimal input: NaN, sNaN and ±Infinity are refused as not a number.

Django's DecimalField turns "NaN" or "sNaN" into a Decimal and refuses it only in `validate()`;
code that looks at the value earlier (rounding in `to_python`, a view parsing a number itself)
meets a NaN whose comparisons raise InvalidOperation, a 500. This field refuses it while
converting, so every later step sees a finite number or a form error. Every decimal a person
types goes through it (a test scans the forms for others).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class FiniteDecimalField(forms.DecimalField):
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number: Decimal | None = super().to_python(value)
        if number is not None and not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def finite_decimal(raw: Any) -> Decimal | None:
    """`raw` as a finite Decimal, None when blank; ValidationError when it is not a number."""
    number: Decimal | None = FiniteDecimalField(required=False).clean(raw)
    return number
