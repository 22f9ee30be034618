"""The one date field of every form: a calendar in the browser, the locale's format understood.

A browser's `<input type="date">` shows its own calendar and sends ISO dates (2027-01-31); it
shows nothing when the page hands it a date in another format, so the widget always writes ISO.
Without the calendar (an old browser, a person typing into the plain field) the active locale's
formats are understood too (31-01-2027 in Indonesian, 01/31/2027 in English). A date that cannot
be read gets a message beside its field that shows how to write one; `not_before_today` refuses
a date already past (a deadline, a target) with a message of its own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _

ISO = "%Y-%m-%d"
# A date an evaluation can mean; anything outside is a slip of the keyboard (0202, 20267).
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


class CalendarDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO)


class CalendarDateField(forms.DateField):
    widget = CalendarDateInput

    def __init__(self, *, not_before_today: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", CalendarDateInput)
        super().__init__(**kwargs)
        self.not_before_today = not_before_today

    def to_python(self, value: Any) -> datetime.date | None:
        try:
            day = super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _(
                    "Tanggal %(value)s tidak dapat dibaca. Pilih dari kalender atau tulis seperti "
                    "%(example)s."
                )
                % {"value": str(value)[:40], "example": example()},
                code="invalid",
            ) from None
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Tahun %(year)d tidak masuk akal untuk tanggal ini.") % {"year": day.year},
                code="invalid",
            )
        return day

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.not_before_today and value is not None and value < timezone.localdate():
            raise forms.ValidationError(
                _("Tanggal %(date)s sudah lewat; pilih hari ini atau sesudahnya.")
                % {"date": formats.date_format(value, "SHORT_DATE_FORMAT")},
                code="past",
            )


def example() -> str:
    """A date written in the active locale's first input format."""
    return datetime.date(2027, 1, 31).strftime(formats.get_format("DATE_INPUT_FORMATS")[0])
