"""Open data: the public results page and each cycle's exports (Excel, CSV, JSON).

Every view goes through `results.public_pages`: what an anonymous visitor gets is rendered once
per publication state and served from the shared cache. The files of `files.FILES` go one step
further: on a cache miss an anonymous reader gets the bytes a job kept at publication
(`stored.py`), and only while no job has kept them yet is the file rendered (once per state).

No view requires a login: what a person gets is decided by `access.exportable_evaluations`
(published results for everybody, more for people whose role lets them read more), and
`evaluations.visibility` which results and verified values of those rows they see.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from cityeval.evaluations.models import Cycle
from cityeval.exports import harvest
from cityeval.exports.access import cycle_for_export
from cityeval.exports.files import BY_NAME, OpenDataFile, export_for
from cityeval.exports.public import public_results
from cityeval.exports.stored import stored_file
from cityeval.results.public_pages import cacheable, public_page
from cityeval.results.publication import publication


@require_GET
def index(request: HttpRequest) -> HttpResponseBase:
    catalog_url = request.build_absolute_uri(reverse("exports:catalog"))
    return public_page(
        request,
        "data",
        lambda: render(
            request,
            "exports/index.html",
            {"cycles": public_results(), "catalog_url": catalog_url},
        ),
    )


@require_GET
def workbook(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return open_data_file(request, cycle_id, "results.xlsx")


@require_GET
def regions_table(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return open_data_file(request, cycle_id, "regions.csv")


@require_GET
def items_table(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return open_data_file(request, cycle_id, "items.csv")


@require_GET
def results_json(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return open_data_file(request, cycle_id, "results.json")


def open_data_file(request: HttpRequest, cycle_id: int, name: str) -> HttpResponseBase:
    """One file of `files.FILES`, through `public_pages` like every public page: a cache hit costs
    no query. On a miss an anonymous reader gets the bytes a job kept for the current publication
    state (`stored.py`), and only while no job has kept them is the file rendered; a signed-in
    person's file is rendered for them."""
    file = BY_NAME[name]
    return public_page(request, "data-file", lambda: _kept_or_rendered(request, cycle_id, file))


def _kept_or_rendered(request: HttpRequest, cycle_id: int, file: OpenDataFile) -> HttpResponse:
    if not cacheable(request):
        return _render(request, cycle_id, file)
    kept = stored_file(cycle_id, file, translation.get_language() or "")
    try:
        content = kept.read_bytes() if kept is not None else None
    except FileNotFoundError:
        content = None  # removed by a newer state's job meanwhile: rendered instead
    if content is None:
        return _render(request, cycle_id, file)
    response = HttpResponse(content, content_type=file.content_type)
    if file.attachment:
        cycle = Cycle.objects.only("program", "year", "round").get(pk=cycle_id)
        response["Content-Disposition"] = f'attachment; filename="{file.filename(cycle)}"'
    return response


def _render(request: HttpRequest, cycle_id: int, file: OpenDataFile) -> HttpResponse:
    user = request.user
    cycle = cycle_for_export(user, cycle_id)
    # An anonymous reader's file states the publication's time, as the kept file does.
    at = None if user.is_authenticated else publication().at
    export = export_for(user, cycle, items=file.items, generated_at=at)
    response = HttpResponse(file.write(export), content_type=file.content_type)
    if file.attachment:
        response["Content-Disposition"] = f'attachment; filename="{file.filename(cycle)}"'
    # What a person may download depends on who they are: never cache it in shared caches.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


def _public_json(content: dict[str, object], content_type: str) -> HttpResponse:
    # Describes published results only, the same for every reader: a shared cache may keep it.
    response = JsonResponse(
        content, content_type=content_type, json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def datapackage(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The cycle's Frictionless Data Package, beside the CSV files it describes."""
    cycle = harvest.public_cycle(cycle_id)
    return _public_json(harvest.datapackage(cycle), "application/json")


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP catalogue (JSON-LD) of the published datasets, for CKAN's harvester."""
    return _public_json(harvest.catalogue(request.build_absolute_uri), "application/ld+json")
