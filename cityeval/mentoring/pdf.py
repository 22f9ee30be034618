"""The *berita acara* of a visit: HTML in the reader's language → the scorecard's PDF pipeline.

Same printer as the scorecard (`scorecards.printing`: static files only, PDF/A-3a, tagged).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from cityeval.frameworks.tags import dimension_names
from cityeval.mentoring.models import Visit
from cityeval.mentoring.queries import attendance_by_day
from cityeval.scorecards.printing import html_to_pdf

TEMPLATE = "mentoring/berita_acara_pdf.html"


def berita_acara_html(visit: Visit, language: str, generated: datetime | None = None) -> str:
    with translation.override(language):
        return render_to_string(TEMPLATE, _context(visit, language, generated or timezone.now()))


def render_berita_acara_pdf(
    visit: Visit, language: str, generated: datetime | None = None
) -> bytes:
    return html_to_pdf(berita_acara_html(visit, language, generated))


def pdf_filename(visit: Visit) -> str:
    """`berita-acara-6402-kutai-kartanegara-2020-02-25.pdf`."""
    region = visit.evaluation.region
    parts = ["berita-acara", region.code.replace(".", ""), slugify(region.name)]
    return "-".join([*parts, visit.starts_on.isoformat()]) + ".pdf"


def _context(visit: Visit, language: str, generated: datetime) -> dict[str, Any]:
    evaluation = visit.evaluation
    names = dimension_names(evaluation.cycle.framework_version)
    points = list(visit.points.select_related("item__indicator"))
    for point in points:
        point.dimension_name = names.get(point.dimension, "")  # type: ignore[attr-defined]
    return {
        "language": language,
        "generated": generated,
        "visit": visit,
        "evaluation": evaluation,
        "agenda": list(visit.agenda.all()),
        "invited": [
            inv.opd for inv in visit.invitations.select_related("opd").order_by("opd__name")
        ],
        "attendance": attendance_by_day(visit),
        "points": points,
        "actions": list(visit.actions.select_related("opd")),
        "field_visits": [
            link.field_visit for link in visit.field_links.select_related("field_visit")
        ],
        "signers": [visit.planned_by],
    }
