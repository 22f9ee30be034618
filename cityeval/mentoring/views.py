"""Pages of the evaluation visit: list, plan, detail (minutes, actions, materials), attendance,
the berita acara PDF. Thin: access helper → form → one service → redirect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.access import actor_of
from cityeval.accounts.models import User
from cityeval.core.methods import require_form
from cityeval.evaluations.errors import WorkflowError
from cityeval.evidence.access import visit_rights
from cityeval.evidence.storage import too_large_message
from cityeval.evidence.uploads import limit_uploads, max_bytes
from cityeval.evidence.views import file_response
from cityeval.frameworks.tags import dimension_names
from cityeval.mentoring import services
from cityeval.mentoring.access import (
    material_for,
    rights_on,
    visible_visits,
    visit_for,
    visits_evaluation_for,
)
from cityeval.mentoring.forms import (
    ActionForm,
    AttachFieldVisitForm,
    MaterialForm,
    PointForm,
    VisitPlanForm,
    WalkinForm,
)
from cityeval.mentoring.models import Visit
from cityeval.mentoring.pdf import pdf_filename, render_berita_acara_pdf
from cityeval.mentoring.queries import attendance_by_day, attendance_by_opd, expected_people


@login_required
@require_GET
def visit_list(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = visits_evaluation_for(request.user, pk)
    return render(
        request,
        "mentoring/visit_list.html",
        {
            "evaluation": evaluation,
            "visits": visible_visits(request.user, evaluation),
            "can_write": visit_rights(request.user, evaluation).write,
        },
    )


# The size limit is installed before the body is read (materials may come with the plan), so
# before the CSRF check, as for the visit page's upload.
@csrf_exempt
@login_required
@require_form
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    too_large = limit_uploads(request).too_large if request.method == "POST" else []
    return _visit_new(request, pk, too_large)


@csrf_protect
def _visit_new(request: HttpRequest, pk: int, too_large: list[str]) -> HttpResponse:
    evaluation = visits_evaluation_for(request.user, pk, write=True)
    posted = request.method == "POST"
    form = VisitPlanForm(
        request.POST if posted else None, request.FILES if posted else None, evaluation=evaluation
    )
    for name in too_large:
        form.add_error("materials", f"“{name}”: {too_large_message(max_bytes())}")
    if posted and form.is_valid():
        try:
            visit = services.plan_visit(
                evaluation=evaluation,
                user=actor_of(request),
                plan=form.plan(),
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Kunjungan direncanakan; undangan dikirim."))
            return redirect(visit)
    return render(request, "mentoring/visit_form.html", {"evaluation": evaluation, "form": form})


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_for(request.user, pk)
    return render(request, "mentoring/visit_detail.html", _detail_context(request, visit))


def _detail_context(request: HttpRequest, visit: Visit, **forms: Any) -> dict[str, Any]:
    evaluation = visit.evaluation
    can_write = rights_on(request.user, visit).write
    names = dimension_names(evaluation.cycle.framework_version)
    points = list(visit.points.select_related("item__indicator"))
    for point in points:
        point.dimension_name = names.get(point.dimension, "")  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "visit": visit,
        "can_write": can_write,
        "agenda": visit.agenda.all(),
        "invited": visit.invitations.select_related("opd").order_by("opd__name"),
        "attendance": attendance_by_day(visit),
        "points": points,
        "actions": visit.actions.select_related("opd", "point"),
        "materials": visit.materials.filter(removed_at__isnull=True).order_by("uploaded_at"),
        "field_visits": [
            link.field_visit for link in visit.field_links.select_related("field_visit")
        ],
    }
    if can_write:
        context |= {
            "point_form": forms.get("point_form") or PointForm(visit=visit),
            "action_form": forms.get("action_form") or ActionForm(visit=visit),
            "material_form": MaterialForm(),
            "attach_form": forms.get("attach_form") or AttachFieldVisitForm(visit=visit),
        }
    return context


@login_required
@require_form
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The list to tick on a phone during the session, one day of the visit at a time (a day
    picker; today's list when the visit is under way), and a walk-in form."""
    visit = visit_for(request.user, pk, write=True)
    day = _day_of(visit, request.POST.get("day") or request.GET.get("day"))
    here = f"{request.path}?day={day.isoformat()}"
    walkin = WalkinForm(visit=visit)
    if request.method == "POST":
        try:
            if "person" in request.POST:
                person = get_object_or_404(User, pk=_int(request.POST["person"]))
                services.mark_present(
                    visit=visit,
                    user=actor_of(request),
                    person=person,
                    present=request.POST.get("present") == "1",
                    day=day,
                )
                return redirect(f"{here}#person-{person.pk}")
            walkin = WalkinForm(request.POST, visit=visit)
            if walkin.is_valid():
                added = services.add_walkin(
                    visit=visit, user=actor_of(request), walkin=walkin.data_(day)
                )
                messages.success(request, _("%(name)s dicatat hadir.") % {"name": added.name})
                return redirect(here)
        except WorkflowError as error:
            messages.error(request, str(error))
    present = attendance_by_opd(visit, day)
    return render(
        request,
        "mentoring/attendance.html",
        {
            "evaluation": visit.evaluation,
            "visit": visit,
            "day": day,
            "days": visit.days(),
            "expected": expected_people(visit, day),
            "walkins": [a for g in present for a in g.people if a.user_id is None],
            "walkin_form": walkin,
        },
    )


def _day_of(visit: Visit, asked: str | None) -> date:
    """The day of the visit asked for (404 for any other); else today during the visit, else
    its first day."""
    days = visit.days()
    if asked:
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            raise Http404 from None
        if day not in days:
            raise Http404
        return day
    today = timezone.localdate()
    return today if today in days else days[0]


def _record_on_visit(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[PointForm] | type[ActionForm] | type[AttachFieldVisitForm],
    slot: str,
    apply: Callable[[Visit, User, Any], object],
    done: str,
) -> HttpResponse:
    """One minutes action of the visit page: the form, its one service, a message, back to the
    visit; an invalid form or a refusal shows the page again with the typed form in its slot."""
    visit = visit_for(request.user, pk, write=True)
    form = form_class(request.POST, visit=visit)
    if form.is_valid():
        try:
            apply(visit, actor_of(request), form)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(visit)
    context = _detail_context(request, visit, **{slot: form})
    return render(request, "mentoring/visit_detail.html", context)


@login_required
@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_on_visit(
        request,
        pk,
        form_class=PointForm,
        slot="point_form",
        apply=lambda visit, user, form: services.add_point(
            visit=visit, user=user, data=form.data_()
        ),
        done=_("Pokok pembahasan dicatat."),
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_on_visit(
        request,
        pk,
        form_class=ActionForm,
        slot="action_form",
        apply=lambda visit, user, form: services.agree_action(
            visit=visit, user=user, data=form.data_()
        ),
        done=_("Tindak lanjut dicatat."),
    )


@login_required
@require_POST
def field_visit_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_on_visit(
        request,
        pk,
        form_class=AttachFieldVisitForm,
        slot="attach_form",
        apply=lambda visit, user, form: services.attach_field_visit(
            visit=visit, user=user, field_visit=form.cleaned_data["field_visit"]
        ),
        done=_("Peninjauan lapangan dilampirkan."),
    )


# The size limit is installed before the body is read, so before the CSRF check (evidence/views).
@csrf_exempt
@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    too_large = limit_uploads(request).too_large
    return _material_add(request, pk, too_large)


@csrf_protect
def _material_add(request: HttpRequest, pk: int, too_large: list[str]) -> HttpResponse:
    visit = visit_for(request.user, pk, write=True)
    for name in too_large:
        messages.error(request, f"“{name}”: {too_large_message(max_bytes())}")
    upload = request.FILES.get("upload")
    if upload is None:
        if not too_large:
            messages.error(request, _("Pilih berkas bahan yang akan diunggah."))
        return redirect(visit)
    try:
        services.add_material(visit=visit, user=actor_of(request), upload=upload)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bahan diunggah."))
    return redirect(visit)


@login_required
@require_GET
def material(request: HttpRequest, pk: int) -> HttpResponseBase:
    return file_response(material_for(request.user, pk))


@login_required
@require_GET
def berita_acara(request: HttpRequest, pk: int) -> HttpResponse:
    """The berita acara PDF in `?lang=` (id or en), else in the reader's language."""
    visit = visit_for(request.user, pk)
    languages = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
    if language not in languages:
        return HttpResponseBadRequest(
            _("Bahasa %(language)s tidak tersedia; pilih salah satu: %(choices)s.")
            % {"language": language, "choices": ", ".join(languages)}
        )
    response = HttpResponse(
        render_berita_acara_pdf(visit, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(visit)}"'
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0
