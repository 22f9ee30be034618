"""What a value of each indicator kind may be. Shared by forms, services, imports and the API."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cityeval.frameworks.models import FrameworkNode


def check_value(indicator: FrameworkNode, value: Decimal | None) -> str:
    """An empty string when `value` is acceptable for the indicator, else the problem."""
    if value is None:
        return ""
    if not value.is_finite():
        return _("Nilai harus berupa angka.")
    if indicator.kind == "maturity":
        levels = sorted(int(level) for level in indicator.levels)
        if value != value.to_integral_value() or int(value) not in levels:
            return _("Tingkat harus salah satu dari %(levels)s.") % {
                "levels": ", ".join(str(level) for level in levels)
            }
    elif indicator.kind == "percentage" and not Decimal(0) <= value <= Decimal(100):
        return _("Persentase harus antara 0 dan 100.")
    return ""
