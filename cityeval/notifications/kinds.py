"""The kinds of notification: an e-mail subject and a one-line in-app text per kind.

Texts are lazy and formatted with the stored parameters when read, so each reader sees them in
their own language. A parameter named in `DATES` holds an ISO date and is shown in the active
locale's format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Param = str | int | list[str]
DATES = frozenset({"due", "deadline", "starts", "ends"})
# Lists whose lines start with an ISO date and ": " (a visit's agenda): the date is shown likewise.
DATED_LINES = frozenset({"agenda"})


@dataclass(frozen=True)
class Kind:
    subject: Promise
    text: Promise


KINDS: dict[str, Kind] = {
    "submitted": Kind(
        _("[cityeval] Penilaian mandiri %(region)s diserahkan"),
        _("%(region)s menyerahkan penilaian mandiri (%(cycle)s)."),
    ),
    "clarification": Kind(
        _("[cityeval] Permintaan klarifikasi untuk %(region)s"),
        _("Asesor meminta klarifikasi butir %(region)s (%(cycle)s), paling lambat %(due)s."),
    ),
    "answered": Kind(
        _("[cityeval] %(region)s menjawab klarifikasi"),
        _("%(region)s menjawab klarifikasi (%(cycle)s)."),
    ),
    "finalised": Kind(
        _("[cityeval] Hasil evaluasi %(region)s telah difinalkan"),
        _("Hasil evaluasi %(region)s (%(cycle)s) telah difinalkan."),
    ),
    "published": Kind(
        _("[cityeval] Hasil evaluasi %(region)s dipublikasikan"),
        _("Hasil evaluasi %(region)s (%(cycle)s) dipublikasikan."),
    ),
    "reopened": Kind(
        _("[cityeval] Evaluasi %(region)s dibuka kembali"),
        _("Evaluasi %(region)s (%(cycle)s) dibuka kembali."),
    ),
    "assigned": Kind(
        _("[cityeval] Butir baru untuk %(opd)s"),
        _("%(count)s butir %(region)s (%(cycle)s) ditugaskan kepada %(opd)s."),
    ),
    "visit_invited": Kind(
        _("[cityeval] Undangan kunjungan evaluasi: %(title)s"),
        _("Undangan kunjungan evaluasi “%(title)s” di %(region)s, %(starts)s–%(ends)s."),
    ),
    "reminder": Kind(
        _("[cityeval] Pengingat batas waktu %(region)s"),
        _("%(count)s butir %(region)s (%(cycle)s) belum terisi; batas %(deadline)s."),
    ),
}


def shown_params(params: Mapping[str, Param]) -> dict[str, Param]:
    """The parameters as shown to a reader: dates in the active locale's format."""
    shown: dict[str, Param] = dict(params)
    for key in DATES & shown.keys():
        value = shown[key]
        if isinstance(value, str) and value:
            shown[key] = date_format(date.fromisoformat(value), "DATE_FORMAT")
        else:
            shown[key] = "—"
    for key in DATED_LINES & shown.keys():
        lines = shown[key]
        if isinstance(lines, list):
            shown[key] = [_dated_line(line) for line in lines]
    return shown


def _dated_line(line: str) -> str:
    day, separator, rest = line.partition(": ")
    try:
        shown = date_format(date.fromisoformat(day), "DATE_FORMAT")
    except ValueError:
        return line
    return f"{shown}{separator}{rest}"


def render_subject(kind: str, params: Mapping[str, Param]) -> str:
    return str(KINDS[kind].subject) % shown_params(params)


def render_text(kind: str, params: Mapping[str, Param]) -> str:
    """The notification's sentence in the active language (its kind alone if params do not fit)."""
    if kind not in KINDS:
        return kind
    try:
        return str(KINDS[kind].text) % shown_params(params)
    except (KeyError, TypeError, ValueError):
        return str(KINDS[kind].subject) % {"region": params.get("region", ""), "opd": ""}
