"""Masterplan pages. Each view: access helper (404 across tenants), form, one service, redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cityeval.accounts.access import actor_of, region_for_managing, region_for_reading, scope_of
from cityeval.core.methods import require_form, require_safe
from cityeval.jobs.models import Job, JobStatus
from cityeval.masterplans import services
from cityeval.masterplans.forms import ImportForm, MasterplanForm, ProgramForm, YearStatusForm
from cityeval.masterplans.models import Masterplan, Program, ProgramYear
from cityeval.masterplans.overview import chosen_year, overview
from cityeval.masterplans.queued import KIND as IMPORT_KIND
from cityeval.masterplans.queued import queue_import
from cityeval.masterplans.template import template_workbook
from cityeval.masterplans.upload import UploadRefused
from cityeval.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def region_page(request: HttpRequest, region_id: int) -> HttpResponse:
    region = region_for_reading(request.user, region_id)
    masterplan = Masterplan.objects.current_of(region.pk)
    scope = scope_of(request.user)
    context: dict[str, object] = {
        "region": region,
        "masterplan": masterplan,
        "can_edit": scope.admin or region.pk in scope.coordinator_regions,
        "overview": None,
    }
    if masterplan is not None:
        year = chosen_year(masterplan, request.GET.get("tahun"))
        context["overview"] = overview(masterplan=masterplan, year=year)
    return render(request, "masterplans/region.html", context)


@login_required
@require_form
def masterplan_edit(request: HttpRequest, region_id: int, new: bool = False) -> HttpResponse:
    """Edit the current masterplan; with `new`, write a revision that replaces it."""
    region = region_for_managing(request.user, region_id)
    current = Masterplan.objects.current_of(region.pk)
    editing = current if current is not None and not new else None
    form = MasterplanForm(_post(request), instance=editing or Masterplan(region=region))
    if request.method == "POST" and form.is_valid():
        try:
            if editing is not None:
                services.update_masterplan(
                    masterplan=editing, user=actor_of(request), data=form.data_for_service()
                )
            else:
                services.create_masterplan(
                    region=region, user=actor_of(request), data=form.data_for_service()
                )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Masterplan disimpan."))
            return _to_region(region)
    context = {
        "region": region,
        "form": form,
        "editing": editing,
        "replacing": current if new else None,
    }
    return render(request, "masterplans/masterplan_form.html", context)


@login_required
@require_form
def program_create(request: HttpRequest, region_id: int) -> HttpResponse:
    region = region_for_managing(request.user, region_id)
    masterplan = Masterplan.objects.current_of(region.pk)
    if masterplan is None:
        messages.info(request, _("Buat masterplan terlebih dahulu."))
        return redirect("masterplans:masterplan_edit", region_id=region.pk)
    form = ProgramForm(_post(request), masterplan=masterplan)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                masterplan=masterplan, user=actor_of(request), data=form.data_for_service()
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Program %(code)s ditambahkan.") % {"code": program.code})
            return _to_region(region)
    context = {"region": region, "masterplan": masterplan, "form": form, "program": None}
    return render(request, "masterplans/program_form.html", context)


@login_required
@require_form
def program_edit(request: HttpRequest, region_id: int, program_id: int) -> HttpResponse:
    region = region_for_managing(request.user, region_id)
    program = _program(region, program_id)
    form = ProgramForm(_post(request), instance=program, masterplan=program.masterplan)
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(
                program=program,
                user=actor_of(request),
                data=form.data_for_service(),
                expected_version=form.cleaned_data["seen_version"] or 0,
            )
        except services.StaleProgramEdit as conflict:
            # Show the person's input again, now checked against the latest version, so a
            # second save is a deliberate choice made after seeing what changed.
            messages.error(request, str(conflict))
            latest = conflict.current
            data = request.POST.copy()
            data["seen_version"] = str(latest.version)
            # A separate instance: validating the form writes the input into its instance,
            # and `latest` must keep showing what is stored.
            form = ProgramForm(
                data, instance=_program(region, program_id), masterplan=latest.masterplan
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Program %(code)s disimpan.") % {"code": program.code})
            return _to_region(region)
    context = {
        "region": region,
        "masterplan": program.masterplan,
        "form": form,
        "program": program,
        "latest": latest,
    }
    return render(request, "masterplans/program_form.html", context)


@login_required
@require_form
def year_edit(request: HttpRequest, region_id: int, program_id: int, year: int) -> HttpResponse:
    region = region_for_managing(request.user, region_id)
    program = _program(region, program_id)
    if year not in program.masterplan.years:
        raise Http404
    existing = ProgramYear.objects.filter(program=program, year=year).first()
    form = YearStatusForm(_post(request), instance=existing, program=program, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_year_status(
                program=program,
                user=actor_of(request),
                year=year,
                status=form.status,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(
                request,
                _("Status %(code)s tahun %(year)s disimpan.")
                % {"code": program.code, "year": year},
            )
            return _to_region(region, year=year)
    context = {"region": region, "program": program, "year": year, "form": form}
    return render(request, "masterplans/year_form.html", context)


@login_required
@require_safe
def template_download(request: HttpRequest, region_id: int) -> HttpResponse:
    region = region_for_reading(request.user, region_id)
    masterplan = Masterplan.objects.current_of(region.pk)
    if masterplan is None:
        raise Http404
    response = HttpResponse(template_workbook(masterplan=masterplan), content_type=XLSX)
    filename = f"program-masterplan-{region.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_form
def import_programs(request: HttpRequest, region_id: int) -> HttpResponse:
    region = region_for_managing(request.user, region_id)
    masterplan = Masterplan.objects.current_of(region.pk)
    if masterplan is None:
        messages.info(request, _("Buat masterplan terlebih dahulu."))
        return redirect("masterplans:masterplan_edit", region_id=region.pk)
    form = ImportForm(_post(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = queue_import(
                masterplan=masterplan,
                user=actor_of(request),
                content=upload.read(),
                filename=upload.name or "",
            )
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("masterplans:import_job", region_id=region.pk, job_id=job.pk)
    context = {"region": region, "masterplan": masterplan, "form": form}
    return render(request, "masterplans/import.html", context)


@login_required
@require_GET
def import_job(request: HttpRequest, region_id: int, job_id: int) -> HttpResponse:
    """The state of a queued import: waiting, running, then its counts or its problems."""
    region = region_for_managing(request.user, region_id)
    job = get_object_or_404(Job, pk=job_id, kind=IMPORT_KIND)
    if job.params.get("region") != region.pk:
        raise Http404
    result = job.result if job.status == JobStatus.DONE else {}
    context = {
        "region": region,
        "job": job,
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
        "result": result,
        "problems": result.get("problems", []),
    }
    return render(request, "masterplans/import_job.html", context)


def _post(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _program(region: Region, program_id: int) -> Program:
    # Only programs of the region's current masterplan are edited; others answer 404.
    return get_object_or_404(
        Program.objects.select_related("masterplan__region", "owner", "updated_by"),
        pk=program_id,
        masterplan__region=region,
        masterplan__is_current=True,
    )


def _to_region(region: Region, year: int | None = None) -> HttpResponseRedirect:
    url = reverse("masterplans:region", kwargs={"region_id": region.pk})
    return HttpResponseRedirect(f"{url}?tahun={year}" if year else url)


def _attach(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)
