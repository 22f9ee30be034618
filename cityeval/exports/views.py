"""Open data: the public results page and each cycle's exports (Excel, CSV, JSON).

Every view goes through `results.public_pages`: what an anonymous visitor gets is rendered once
per publication state and served from the shared cache.

No view requires a login: what a person gets is decided by `access.exportable_evaluations`
(published results for everybody, more for people whose role lets them read more), and
`evaluations.visibility` which results and verified values of those rows they see.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cityeval.evaluations.visibility import results_visible
from cityeval.exports import formats, harvest
from cityeval.exports.access import cycle_for_export, exportable_evaluations, exportable_items
from cityeval.exports.builder import CycleExport, build_export
from cityeval.exports.harvest import XLSX
from cityeval.exports.public import public_results
from cityeval.results.public_pages import public_page


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


def _export(request: HttpRequest, cycle_id: int, *, items: bool) -> CycleExport:
    user = request.user
    cycle = cycle_for_export(user, cycle_id)
    return build_export(
        cycle,
        exportable_evaluations(user, cycle),
        results=results_visible(user),
        items=exportable_items(user, cycle) if items else None,
    )


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # What a person may download depends on who they are: never cache it in shared caches.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


@require_GET
def workbook(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return public_page(request, "data-file", lambda: _workbook(request, cycle_id))


def _workbook(request: HttpRequest, cycle_id: int) -> HttpResponse:
    export = _export(request, cycle_id, items=True)
    return _download(formats.to_xlsx(export), XLSX, f"{export.slug}-results.xlsx")


@require_GET
def regions_table(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return public_page(request, "data-file", lambda: _regions_table(request, cycle_id))


def _regions_table(request: HttpRequest, cycle_id: int) -> HttpResponse:
    export = _export(request, cycle_id, items=False)
    return _download(
        formats.regions_csv(export), "text/csv; charset=utf-8", f"{export.slug}-regions.csv"
    )


@require_GET
def items_table(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return public_page(request, "data-file", lambda: _items_table(request, cycle_id))


def _items_table(request: HttpRequest, cycle_id: int) -> HttpResponse:
    export = _export(request, cycle_id, items=True)
    return _download(
        formats.items_csv(export), "text/csv; charset=utf-8", f"{export.slug}-items.csv"
    )


@require_GET
def results_json(request: HttpRequest, cycle_id: int) -> HttpResponseBase:
    return public_page(request, "data-file", lambda: _results_json(request, cycle_id))


def _results_json(request: HttpRequest, cycle_id: int) -> HttpResponse:
    export = _export(request, cycle_id, items=False)
    response = JsonResponse(
        formats.to_json(export), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
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
