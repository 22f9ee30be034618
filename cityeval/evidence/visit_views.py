"""Field visits and interviews of an evaluation: list, detail, record/edit form, photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.access import (
    photo_for,
    visit_for,
    visit_rights,
    visits_evaluation_for,
)
from cityeval.evidence.forms import FieldVisitForm
from cityeval.evidence.models import FieldVisit
from cityeval.evidence.storage import too_large_message
from cityeval.evidence.uploads import limit_uploads, max_bytes
from cityeval.evidence.views import file_response
from cityeval.evidence.visit_services import (
    VISIT_STATES,
    StaleVisitError,
    add_visit_photo,
    record_field_visit,
    remove_visit_photo,
    update_field_visit,
)
from cityeval.frameworks.tags import dimension_names


@login_required
@require_GET
def visit_list(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = visits_evaluation_for(request.user, pk)
    return render(
        request,
        "evidence/visit_list.html",
        {
            "evaluation": evaluation,
            "visits": FieldVisit.objects.of_evaluation(evaluation.pk).for_list(),
            "can_write": visit_rights(request.user, evaluation).write,
            "open": evaluation.status in VISIT_STATES,
        },
    )


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_for(request.user, pk)
    evaluation = visit.evaluation
    return render(
        request,
        "evidence/visit_detail.html",
        {
            "evaluation": evaluation,
            "visit": visit,
            "items": visit.items.select_related("indicator").order_by("indicator__sequence"),
            "photos": visit.photos.current().order_by("uploaded_at", "pk"),
            "can_write": visit_rights(request.user, evaluation).write,
            "open": evaluation.status in VISIT_STATES,
        },
    )


# Photos come with the form: the size limit is installed before the body is read (see views.py).
@csrf_exempt
@login_required
@require_form
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    too_large = limit_uploads(request).too_large if request.method == "POST" else []
    return _visit_form(request, pk, None, too_large)


@csrf_exempt
@login_required
@require_form
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    too_large = limit_uploads(request).too_large if request.method == "POST" else []
    visit = visit_for(request.user, pk, write=True)
    return _visit_form(request, visit.evaluation_id, visit, too_large)


@csrf_protect
def _visit_form(
    request: HttpRequest, pk: int, visit: FieldVisit | None, too_large: list[str]
) -> HttpResponse:
    evaluation = visit.evaluation if visit else visits_evaluation_for(request.user, pk, write=True)
    conflict: FieldVisit | None = None
    if request.method == "POST":
        form = FieldVisitForm(request.POST, request.FILES, evaluation=evaluation)
        if form.is_valid():
            try:
                if visit is None:
                    saved = record_field_visit(
                        evaluation=evaluation, user=actor_of(request), data=form.visit_data()
                    )
                else:
                    saved = update_field_visit(
                        visit=visit,
                        user=actor_of(request),
                        data=form.visit_data(),
                        expected_version=form.cleaned_data["version"] or 0,
                    )
            except StaleVisitError as error:
                # Keep what the person typed; the next save is against the version now shown.
                conflict = error.current
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = FieldVisitForm(data, evaluation=evaluation)
                form.is_valid()
                form.add_error(None, str(error))
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                _add_photos(request, saved, form.cleaned_data, too_large)
                messages.success(request, _("Catatan kunjungan disimpan."))
                return redirect(saved)
    else:
        initial = FieldVisitForm.initial_for(visit) if visit else {"date": timezone.localdate()}
        form = FieldVisitForm(initial=initial, evaluation=evaluation)
    return render(
        request,
        "evidence/visit_form.html",
        {
            "evaluation": evaluation,
            "visit": visit,
            "form": form,
            "conflict": conflict,
            "groups": _item_groups(evaluation, form),
            "open": evaluation.status in VISIT_STATES,
            "max_bytes": max_bytes(),
        },
    )


def _add_photos(
    request: HttpRequest, visit: FieldVisit, data: dict[str, Any], too_large: list[str]
) -> None:
    for name in too_large:
        messages.error(request, f"“{name}”: {too_large_message(max_bytes())}")
    for upload in data.get("photos") or []:
        try:
            add_visit_photo(
                visit=visit, user=actor_of(request), upload=upload, caption=data["photo_caption"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))


def _item_groups(evaluation: Evaluation, form: FieldVisitForm) -> list[dict[str, Any]]:
    """The evaluation's items grouped by smart dimension, for a checkbox list usable on a phone."""
    chosen = {str(value) for value in (form["items"].value() or [])}
    dimensions = dimension_names(evaluation.cycle.framework_version)
    groups: dict[str, dict[str, Any]] = {
        code: {"code": code, "name": name, "items": [], "chosen": 0}
        for code, name in dimensions.items()
    }
    other: dict[str, Any] = {"code": "", "name": _("Lainnya"), "items": [], "chosen": 0}
    items = ItemValue.objects.filter(evaluation=evaluation).select_related("indicator")
    for item in items.order_by("indicator__sequence"):
        group = next((groups[t] for t in item.indicator.tags if t in groups), other)
        checked = str(item.pk) in chosen
        group["items"].append((item, checked))
        group["chosen"] += int(checked)
    return [g for g in [*groups.values(), other] if g["items"]]


@csrf_exempt
@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    too_large = limit_uploads(request).too_large
    return _photo_add(request, pk, too_large)


@csrf_protect
def _photo_add(request: HttpRequest, pk: int, too_large: list[str]) -> HttpResponse:
    visit = visit_for(request.user, pk, write=True)
    uploads = request.FILES.getlist("photos")
    if not uploads and not too_large:
        messages.error(request, _("Pilih foto yang akan diunggah."))
    _add_photos(
        request,
        visit,
        {"photos": uploads, "photo_caption": request.POST.get("caption", "")},
        too_large,
    )
    return redirect(visit)


@login_required
@require_POST
def photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    photo = photo_for(request.user, pk, write=True)
    try:
        remove_visit_photo(photo=photo, user=actor_of(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Foto dihapus."))
    return redirect(photo.visit)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(photo_for(request.user, pk))
