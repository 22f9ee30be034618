"""`{{ value|figure }}` / `{{ value|figure:places }}`: see cityeval/core/numbers.py."""

from __future__ import annotations

from typing import Any

from django import template

from cityeval.core import numbers

register = template.Library()


@register.filter(name="figure")
def figure(value: Any, places: Any = None) -> str:
    """A computed figure rounded to `places` (a number or a FrameworkVersion) and localised."""
    if places is not None and not isinstance(places, int | str):
        places = numbers.places_of(places)
    return numbers.figure(value, None if places in (None, "") else int(places))


@register.filter(name="entered")
def entered(value: Any) -> str:
    """A typed value (a level, a percentage) without padding zeros, localised."""
    return numbers.entered(value)
