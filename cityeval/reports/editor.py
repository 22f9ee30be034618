"""The report editor page, rendered by every view of the editor (fresh or with a bound form)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityeval.evaluations.access import Can, capabilities
from cityeval.evaluations.models import Evaluation
from cityeval.frameworks.axes import comparison_axis
from cityeval.frameworks.dimensions import report_dimensions
from cityeval.reports.access import edit_lock_reason
from cityeval.reports.drafts import kept_report
from cityeval.reports.editing import finding_texts
from cityeval.reports.followups import follow_up_rows, previous_published
from cityeval.reports.forms import RecommendationForm, ReportForm
from cityeval.reports.models import AssessorReport, Recommendation
from cityeval.reports.pages import item_choices, recommendations_of


@dataclass(frozen=True)
class Bound:
    """A submitted recommendation form to show again (with its errors) instead of a fresh one."""

    form: RecommendationForm
    recommendation: int | None = None  # None: the add form of `dimension`
    dimension: str = ""


@dataclass(frozen=True)
class EditorSection:
    code: str
    name: str
    rows: list[tuple[Recommendation, RecommendationForm]]
    add_form: RecommendationForm
    strengths: object
    weaknesses: object


def render_editor(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    report_form: ReportForm | None = None,
    bound: Bound | None = None,
    conflict: AssessorReport | None = None,
) -> HttpResponse:
    saved = AssessorReport.objects.filter(evaluation=evaluation).first()
    dimensions = report_dimensions(evaluation.cycle.framework_version)
    if report_form is None and (kept := kept_report(request, evaluation, saved)):
        # A recommendation action could not save what was typed here: show it again, unsaved.
        report_form, conflict = kept
    if report_form is None:
        report_form = ReportForm(
            initial=ReportForm.initial_for(
                saved.version if saved else 0,
                saved.summary if saved else "",
                finding_texts(saved) if saved else {},
            ),
            dimensions=dimensions,
        )
    choices, _items = item_choices(evaluation)
    recommendations = recommendations_of(evaluation)
    sections = []
    by_code = report_form.sections_by_code()
    for code, name in dimensions.items():
        rows = []
        for recommendation in recommendations:
            if recommendation.dimension != code:
                continue
            if bound is not None and bound.recommendation == recommendation.pk:
                form = bound.form
            else:
                form = RecommendationForm(
                    initial=RecommendationForm.initial_for(recommendation),
                    item_choices=choices.get(code, []),
                    region_id=evaluation.region_id,
                    auto_id=f"r{recommendation.pk}_%s",
                )
            rows.append((recommendation, form))
        if bound is not None and bound.recommendation is None and bound.dimension == code:
            add_form = bound.form
        else:
            add_form = RecommendationForm(
                initial={"dimension": code},
                item_choices=choices.get(code, []),
                region_id=evaluation.region_id,
                auto_id=f"add_{code}_%s",
            )
        strengths, weaknesses = by_code[code]
        sections.append(EditorSection(code, name, rows, add_form, strengths, weaknesses))
    lock_reason = edit_lock_reason(evaluation)
    return render(
        request,
        "reports/edit.html",
        {
            "evaluation": evaluation,
            "report": saved,
            "form": report_form,
            "conflict": conflict,
            "sections": sections,
            "lock_reason": lock_reason,
            "editable": not lock_reason and Can.REVIEW in capabilities(request.user, evaluation),
            "previous": previous_published(evaluation),
            "follow_ups": follow_up_rows(evaluation),
            "axis": comparison_axis(evaluation.cycle.framework_version),
        },
    )
