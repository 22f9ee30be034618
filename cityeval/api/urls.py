"""Mounted at /api/v1/: the ninja API, and a JSON 404 for any other path under it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from cityeval.api.errors import ApiError, error_response
from cityeval.api.main import api


def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response(ApiError(404, "not_found", _("Alamat API ini tidak ada.")))


urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.urls),
    path("<path:rest>", unknown),
]
