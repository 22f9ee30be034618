"""`/scorecard/<pk>/pdf/`: the scorecard as a PDF download, under the page's access rules.

A published result's PDF is the file its publication's job rendered (`stored.py`) when it is there
for the current published state; otherwise (a draft, a job not yet done) it is rendered here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _

from cityeval.core.methods import require_safe
from cityeval.evaluations.models import EvaluationStatus
from cityeval.scorecards.access import SignInRequired, UnderReview, scorecard_for, under_review
from cityeval.scorecards.pdf import NoResult, pdf_filename, render_scorecard_pdf
from cityeval.scorecards.stored import stored_pdf


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
    response: HttpResponseBase
    kept = stored_pdf(evaluation, language)
    if kept is not None:
        # Rendered by a job when the result was published: reading it costs no rendering.
        response = FileResponse(kept.open("rb"), content_type="application/pdf")
    else:
        try:
            pdf = render_scorecard_pdf(evaluation, language)
        except NoResult:
            raise Http404(_("Belum ada hasil final untuk evaluasi ini.")) from None
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(evaluation)}"'
    response["Content-Language"] = language
    # A draft is for the team only: no shared cache may keep it.
    published = evaluation.status == EvaluationStatus.PUBLISHED
    response["Cache-Control"] = "private, no-cache" if published else "private, no-store"
    return response
