"""The editor's recommendation actions: add, change, delete, reorder, propose from the rubric."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cityeval.accounts.access import actor_of
from cityeval.evaluations.access import Can, evaluation_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation
from cityeval.reports.drafts import save_carried_report
from cityeval.reports.editing import (
    StaleRecommendationError,
    add_recommendation,
    delete_recommendation,
    move_recommendation,
    propose_recommendations,
    update_recommendation,
)
from cityeval.reports.editor import Bound, render_editor
from cityeval.reports.forms import RecommendationForm
from cityeval.reports.models import Priority, Recommendation
from cityeval.reports.pages import item_choices


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    save_carried_report(request, evaluation)
    dimension = request.POST.get("dimension", "")
    choices, items = item_choices(evaluation)
    form = RecommendationForm(
        request.POST,
        item_choices=choices.get(dimension, []),
        region_id=evaluation.region_id,
        auto_id=f"add_{dimension}_%s",
    )
    if form.is_valid():
        try:
            add_recommendation(
                evaluation=evaluation,
                user=actor_of(request),
                dimension=dimension,
                text=form.cleaned_data["text"],
                priority=Priority(form.cleaned_data["priority"]),
                item=items.get(form.cleaned_data["item"] or 0),
                responsible_opd=form.cleaned_data["responsible_opd"],
                target_date=form.cleaned_data["target_date"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rekomendasi ditambahkan."))
            return _back(evaluation, dimension)
    return render_editor(request, evaluation, bound=Bound(form, None, dimension))


@login_required
@require_POST
def change(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    save_carried_report(request, evaluation)
    recommendation = _recommendation(evaluation, rec_pk)
    choices, items = item_choices(evaluation)
    dimension_choices = choices.get(recommendation.dimension, [])
    auto_id = f"r{recommendation.pk}_%s"
    form = RecommendationForm(
        request.POST,
        item_choices=dimension_choices,
        region_id=evaluation.region_id,
        auto_id=auto_id,
    )
    if form.is_valid():
        try:
            update_recommendation(
                recommendation=recommendation,
                user=actor_of(request),
                text=form.cleaned_data["text"],
                priority=Priority(form.cleaned_data["priority"]),
                item=items.get(form.cleaned_data["item"] or 0),
                expected_version=form.cleaned_data["version"] or 0,
                responsible_opd=form.cleaned_data["responsible_opd"],
                target_date=form.cleaned_data["target_date"],
            )
        except StaleRecommendationError as error:
            # Keep the person's text; the next save is against the version they have now seen.
            data = request.POST.copy()
            data["version"] = str(error.current.version)
            form = RecommendationForm(
                data,
                item_choices=dimension_choices,
                region_id=evaluation.region_id,
                auto_id=auto_id,
            )
            form.is_valid()
            form.add_error(None, str(error))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rekomendasi disimpan."))
            return _back(evaluation, recommendation.dimension)
    return render_editor(request, evaluation, bound=Bound(form, recommendation.pk))


@login_required
@require_POST
def delete(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    save_carried_report(request, evaluation)
    recommendation = _recommendation(evaluation, rec_pk)
    version = request.POST.get("version", "")
    try:
        delete_recommendation(
            recommendation=recommendation,
            user=actor_of(request),
            expected_version=int(version) if version.isdigit() else -1,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rekomendasi dihapus."))
    return _back(evaluation, recommendation.dimension)


@login_required
@require_POST
def move(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    save_carried_report(request, evaluation)
    recommendation = _recommendation(evaluation, rec_pk)
    try:
        move_recommendation(
            recommendation=recommendation,
            user=actor_of(request),
            up=request.POST.get("direction") != "down",
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    return _back(evaluation, recommendation.dimension)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request.user, pk, Can.REVIEW)
    save_carried_report(request, evaluation)
    try:
        created = propose_recommendations(evaluation=evaluation, user=actor_of(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)d rekomendasi diusulkan dari rubrik. Periksa, sunting, atau hapus.",
                    "%(count)d rekomendasi diusulkan dari rubrik. Periksa, sunting, atau hapus.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(
                request,
                _("Tidak ada usulan baru: setiap butir yang dapat naik sudah direkomendasikan."),
            )
    return redirect("reports:edit", pk=evaluation.pk)


def _recommendation(evaluation: Evaluation, rec_pk: int) -> Recommendation:
    recommendation = Recommendation.objects.filter(pk=rec_pk, evaluation=evaluation).first()
    if recommendation is None:
        raise Http404
    return recommendation


def _back(evaluation: Evaluation, dimension: str) -> HttpResponse:
    return redirect(reverse("reports:edit", args=[evaluation.pk]) + f"#dim-{dimension}")
