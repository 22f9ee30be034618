"""Open data: the public results page and each cycle's exports (Excel, CSV, JSON).

Every view goes through `results.public_pages`: what an anonymous visitor gets is rendered once
per publication state and served from the shared cache. The files of `files.FILES` go one step
further: an anonymous reader gets the file a job kept at publication (`stored.py`), and only
while no job has kept it yet is it rendered (once per state, into the cache).

No view requires a login: what a person gets is decided by `access.exportable_evaluations`
(published results for everybody, more for people whose role lets them read more), and
`evaluations.visibility` which results and verified values of those rows they see.
"""

from __future__ import annotations

import hashlib

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from cityeval.evaluations.models import Cycle
from cityeval.exports import harvest
from cityeval.exports.access import cycle_for_export
from cityeval.exports.files import BY_NAME, OpenDataFile, export_for
from cityeval.exports.public import public_results
from cityeval.exports.stored import stored_file
from cityeval.results.public_pages import ACCEPTS_GZIP, cacheable, public_headers, public_page
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
    """One file of `files.FILES`: an anonymous reader gets the file a job kept for the current
    publication state (`stored.py`), else what everybody gets, rendered once per state
    (`public_pages`); a signed-in person's file is rendered for them."""
    file = BY_NAME[name]
    if cacheable(request):
        kept = stored_response(request, cycle_id, file)
        if kept is not None:
            return kept
    return public_page(request, "data-file", lambda: _render(request, cycle_id, file))


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


def stored_response(
    request: HttpRequest, cycle_id: int, file: OpenDataFile
) -> HttpResponseBase | None:
    """The kept file streamed with the headers of the rendered one (ETag, Last-Modified: 304)."""
    kept = stored_file(cycle_id, file, translation.get_language() or "")
    if kept is None:
        return None
    tag = f"{kept.state.marker}:{cycle_id}:{translation.get_language()}:{file.name}"
    etag = quote_etag(hashlib.sha256(tag.encode()).hexdigest()[:32])
    at = kept.state.at
    last_modified = int(at.timestamp()) if at else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return public_headers(not_modified, etag, last_modified)
    gzipped = (
        kept.gzipped() if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else None
    )
    try:
        handle = open(gzipped or kept.path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        return None  # removed by a newer state's job meanwhile: rendered instead
    response = FileResponse(handle, content_type=file.content_type)
    del response["Content-Disposition"]  # FileResponse names the file on disk
    if file.attachment:
        cycle = Cycle.objects.only("program", "year", "round").get(pk=cycle_id)
        response["Content-Disposition"] = f'attachment; filename="{file.filename(cycle)}"'
    if gzipped is not None:
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"
    patch_vary_headers(response, ("Accept-Encoding",))
    return public_headers(response, etag, last_modified)


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
