"""The one date field reads a typed date day first in both languages and ISO from the calendar."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from cityeval.core.dates import CalendarDateField, example


class OneDate(forms.Form):
    day = CalendarDateField()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "typed", ["03/04/2027", "03-04-2027", "2027-04-03", "3 Apr 2027"], ids=lambda t: t
)
def test_a_typed_date_reads_day_first_in_both_languages(language: str, typed: str) -> None:
    with translation.override(language):
        form = OneDate({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2027, 4, 3)


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_unreadable_date_shows_how_to_write_one_day_first(language: str) -> None:
    with translation.override(language):
        form = OneDate({"day": "31/13/2027"})
        assert not form.is_valid()
        assert example().startswith("31")
        assert example() in form.errors["day"][0]
