"""A region's scorecard as a printable A4 PDF (WeasyPrint), with the page's charts as SVG.

The PDF shows what the page shows (`data.scorecard`), in the requested language, and draws the
very same Vega-Lite specifications (`charts.scorecard_charts`) to SVG with vl-convert, so the
paper and the screen cannot disagree. Nothing is fetched from the network, which government
intranets often do not have: vl-convert gets inline data and may load no URL at all, and
WeasyPrint (`printing.py`) gets a URL fetcher that serves our own static files and refuses
everything else.
Fonts are the machine's (DejaVu, Liberation) through fontconfig; none is downloaded.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

import vl_convert
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from cityeval.evaluations.models import Evaluation, EvaluationStatus, Round
from cityeval.exports.builder import RESULTS_LICENCE, RESULTS_LICENCE_URL
from cityeval.frameworks.axes import scorecard_title
from cityeval.scorecards import charts
from cityeval.scorecards.data import Scorecard, scorecard
from cityeval.scorecards.printing import html_to_pdf

TEMPLATE = "scorecards/scorecard_pdf.html"
# Plot size of each chart in CSS pixels (1/96 in): the A4 text column is 174 mm, about 657 px,
# and the axis labels sit outside the plot. Only the size differs from the page's spec; the
# trend is lower than on screen so that the first page holds the headline and both charts.
CHART_WIDTHS = {"dimensions": 420, "trend": 560, "claims": 200}
CHART_HEIGHTS = {"trend": 150}
# The document's font, also given to vl-convert so that it measures labels as they are printed.
CHART_FONT = "Liberation Sans"
# Indonesian number format for the charts, as the page's scorecard.js gives vega-embed (2,13).
ID_NUMBER_FORMAT: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["Rp", ""],
}


class NoResult(Exception):
    """The evaluation has no final result yet, so there is no scorecard to print."""


def chart_svg(spec: charts.Spec, width: int, language: str, height: int | None = None) -> str:
    """One Vega-Lite spec drawn to SVG at a fixed plot size, loading nothing from any URL."""
    fixed = copy.deepcopy(spec)
    fixed["width"] = width  # the page's "container" width means nothing outside a browser
    if height is not None:
        fixed["height"] = height
    svg = vl_convert.vegalite_to_svg(
        fixed,
        config={"font": CHART_FONT},
        allowed_base_urls=[],
        format_locale=ID_NUMBER_FORMAT if language == "id" else "en-US",
    )
    return lean_svg(svg)


# What the browser uses and paper does not: ARIA and role attributes (WeasyPrint writes no
# tagged PDF from them), class and pointer-events attributes (no CSS targets them), and the
# empty or hidden frame paths Vega draws for interaction. Dropping them takes about a sixth off
# WeasyPrint's time, since every SVG node is parsed and styled with the HTML. Values in
# vl-convert's output are double-quoted with quotes escaped, so the patterns cannot overrun.
_UNPRINTED_ATTRIBUTES = re.compile(r'\s(?:aria-[a-z]+|role|class|pointer-events)="[^"]*"')
_UNPRINTED_PATHS = re.compile(r'<path d="M0,0h0v0h0Z"/>|<path [^>]*display="none"/>')


def lean_svg(svg: str) -> str:
    """vl-convert's SVG without what only a browser reads; everything drawn stays."""
    return _UNPRINTED_PATHS.sub("", _UNPRINTED_ATTRIBUTES.sub("", svg))


def chart_svgs(card: Scorecard, language: str) -> dict[str, SafeString]:
    """The scorecard's charts as inline SVG markup, by name (vl-convert's own output)."""
    specs = charts.scorecard_charts(card.claims, card.trend, card.framework.scale)
    return {
        name: mark_safe(  # noqa: S308 (vl-convert's SVG; our labels are escaped inside it)
            chart_svg(spec, CHART_WIDTHS[name], language, CHART_HEIGHTS.get(name))
        )
        for name, spec in specs.items()
    }


def scorecard_html(evaluation: Evaluation, language: str, generated: datetime | None = None) -> str:
    """The print document of a finalised or published evaluation, charts included, in `language`.

    Raises `NoResult` before finalisation. Everything that reads translated text (rank labels,
    chart titles, the template) runs inside the language override.
    """
    with translation.override(language):
        card = scorecard(evaluation)
        if card is None:
            raise NoResult(evaluation.pk)
        return render_to_string(TEMPLATE, _context(card, language, generated or timezone.now()))


def render_scorecard_pdf(
    evaluation: Evaluation, language: str, generated: datetime | None = None
) -> bytes:
    """The scorecard as PDF bytes (`NoResult` before finalisation)."""
    return html_to_pdf(scorecard_html(evaluation, language, generated))


def pdf_filename(evaluation: Evaluation) -> str:
    """`rapor-6402-kutai-kartanegara-2019.pdf`: the round joins the year when not annual, and a
    result not yet published ends in `-draf`."""
    region, cycle = evaluation.region, evaluation.cycle
    parts = ["rapor", region.code.replace(".", ""), slugify(region.name), str(cycle.year)]
    if cycle.round != Round.ANNUAL:
        parts.append(cycle.round.replace("_", "-"))  # tahap-1: the same in every language
    if evaluation.status != EvaluationStatus.PUBLISHED:
        parts.append("draf")
    return "-".join(parts) + ".pdf"


def _context(card: Scorecard, language: str, generated: datetime) -> dict[str, Any]:
    evaluation = card.evaluation
    return {
        "card": card,
        "evaluation": evaluation,
        "title": scorecard_title(card.result.snapshot.framework_version),
        "draft": evaluation.status != EvaluationStatus.PUBLISHED,
        "charts": chart_svgs(card, language),
        "generated": generated,
        "licence": RESULTS_LICENCE,
        "licence_url": RESULTS_LICENCE_URL,
        "language": language,
        "page_number": page_number_content(translation.gettext("Halaman %(page)s dari %(pages)s")),
    }


def page_number_content(sentence: str) -> SafeString:
    """A translated "Page %(page)s of %(pages)s" as a CSS `content` value with page counters.

    Only CSS can print page numbers in a margin box; one whole sentence keeps the translator's
    word order, and its text parts become quoted CSS strings.
    """
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", sentence):
        if piece in counters:
            parts.append(counters[piece])
        elif piece:
            parts.append(f'"{_css_string(piece)}"')
    return mark_safe(" ".join(parts))  # noqa: S308


def _css_string(text: str) -> str:
    """`text` for the inside of a double-quoted CSS string in a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return escaped.replace("<", "\\3c ")  # never close the <style> element
