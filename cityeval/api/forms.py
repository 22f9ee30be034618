"""The form that creates a personal access token."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityeval.api.models import TokenScope
from cityeval.core.dates import CalendarDateField


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Misalnya nama aplikasi atau skrip yang memakainya."),
    )
    scope = forms.ChoiceField(
        label=_("Cakupan"), choices=TokenScope.choices, initial=TokenScope.READ
    )
    expires_on = CalendarDateField(
        label=_("Berlaku sampai"),
        required=False,
        help_text=_("Kosongkan bila token berlaku sampai dicabut. Berakhir pada akhir hari itu."),
    )

    def clean_expires_on(self) -> date | None:
        expires_on: date | None = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError(_("Tanggal berlaku tidak boleh di masa lalu."))
        return expires_on

    def expires_at(self) -> datetime | None:
        """The end of the chosen day in the program's time zone."""
        expires_on: date | None = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return datetime.combine(expires_on, time.max, tzinfo=ZoneInfo(settings.TIME_ZONE))
