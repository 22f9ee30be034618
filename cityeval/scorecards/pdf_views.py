"""`/scorecard/<pk>/pdf/`: the scorecard as a PDF download, under the page's access rules.

A published result's PDF is the file its publication's job rendered (`stored.py`) when it is there
for the current published state; otherwise (a draft, a job not yet done, a later publication's
marker) it is rendered here, and for an anonymous reader once per state (`results.public_pages`).
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _

from cityeval.core.methods import require_safe
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.results.public_pages import public_page
from cityeval.scorecards.access import SignInRequired, UnderReview, scorecard_for, under_review
from cityeval.scorecards.pdf import NoResult, pdf_filename, render_scorecard_pdf
from cityeval.scorecards.stored import stored_pdf

R = TypeVar("R", bound=HttpResponseBase)


@require_safe
def scorecard_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF in `?lang=` (id or en), else in the reader's language (cookie or profile)."""
    try:
        evaluation = scorecard_for(request.user, pk)
    except SignInRequired:
        return redirect_to_login(request.get_full_path())
    except UnderReview as reopened:
        return under_review(request, reopened.evaluation)
    languages = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
    if language not in languages:
        return HttpResponseBadRequest(
            _("Bahasa %(language)s tidak tersedia; pilih salah satu: %(choices)s.")
            % {"language": language, "choices": ", ".join(languages)}
        )
    kept = stored_pdf(evaluation, language)
    if kept is not None:
        # Rendered by a job when the result was published: reading it costs no rendering.
        response = FileResponse(kept.open("rb"), content_type="application/pdf")
        return _headed(response, evaluation, language)

    def render() -> HttpResponse:
        return _headed(_rendered(evaluation, language), evaluation, language)

    if evaluation.status == EvaluationStatus.PUBLISHED:
        # No kept file for this state (its job has not run, or a later publication moved the
        # marker): an anonymous reader's PDF is rendered once per state, like the public pages.
        return public_page(request, "scorecard-pdf", render)
    return render()


def _rendered(evaluation: Evaluation, language: str) -> HttpResponse:
    try:
        pdf = render_scorecard_pdf(evaluation, language)
    except NoResult:
        raise Http404(_("Belum ada hasil final untuk evaluasi ini.")) from None
    return HttpResponse(pdf, content_type="application/pdf")


def _headed(response: R, evaluation: Evaluation, language: str) -> R:
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(evaluation)}"'
    response["Content-Language"] = language
    # A draft is for the team only: no shared cache may keep it.
    published = evaluation.status == EvaluationStatus.PUBLISHED
    response["Cache-Control"] = "private, no-cache" if published else "private, no-store"
    return response
