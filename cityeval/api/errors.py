"""One JSON shape for every error the API answers:

    {"error": {"code": "stale_version", "message": "…", "details": {…}}}

`code` is stable and meant for programs; `message` is for people (Indonesian, or the token
owner's chosen language); `details` carries what a client needs to recover (the fields that
failed validation, the item's current version after a stale write).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cityeval.api.numbers import decimal_text
from cityeval.evaluations.errors import StaleEditError, TransitionError, WorkflowError

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """An error answered as it is: status, stable code, message, details, extra headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


def error_response(error: ApiError) -> HttpResponse:
    body = {"error": {"code": error.code, "message": error.message, "details": error.details}}
    response = JsonResponse(body, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def documented(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses an operation may give, for its OpenAPI entry."""
    return {status: ErrorOut for status in sorted({401, 429, *statuses})}


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def too_large() -> ApiError:
    """The body is over DATA_UPLOAD_MAX_MEMORY_SIZE (or has too many fields or files); Django
    refuses it before a byte is stored."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ApiError(
        413,
        "payload_too_large",
        _("Isi permintaan terlalu besar: paling banyak %(limit)s bita.") % {"limit": limit},
        {"max_bytes": limit},
    )


def as_api_error(exc: Exception) -> ApiError:
    """Translate what services, access helpers and ninja raise into the API's error."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, ValidationError):
        return ApiError(
            422,
            "validation_error",
            _("Permintaan tidak valid: periksa kolom yang disebut di details."),
            {"errors": [_plain_error(error) for error in exc.errors]},
        )
    if isinstance(exc, AuthenticationError):
        return unauthorized(
            _("Sertakan token API yang berlaku: header “Authorization: Bearer <token>”.")
        )
    if isinstance(exc, HttpError):
        status = exc.status_code
        # ninja's 400 is the body that is not JSON; its text is English and says no more.
        message = _("Isi permintaan bukan JSON yang dapat dibaca.") if status == 400 else str(exc)
        return ApiError(status, CODES_BY_STATUS.get(status, "error"), message)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return too_large()
    if isinstance(exc, SuspiciousOperation):
        # Django answers these 400 on pages; the API says the same in its own shape.
        return ApiError(400, "bad_request", _("Permintaan ditolak karena tidak wajar."))
    if isinstance(exc, Http404):
        return ApiError(404, "not_found", _("Tidak ditemukan, atau di luar cakupan akses Anda."))
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "forbidden", _("Peran Anda tidak mengizinkan tindakan ini."))
    if isinstance(exc, StaleEditError):
        current = exc.current
        return ApiError(
            409,
            "stale_version",
            str(exc),
            {
                "current_version": current.version,
                "current": {
                    "self_value": decimal_text(current.self_value),
                    "narrative": current.narrative,
                    "review_status": current.review_status,
                    "verified_value": decimal_text(current.verified_value),
                },
            },
        )
    if isinstance(exc, WorkflowError | TransitionError):
        return ApiError(409, "workflow_refused", str(exc))
    logger.exception("API request failed", exc_info=exc)
    return ApiError(500, "server_error", _("Terjadi kesalahan pada server; sudah dicatat."))


def _plain_error(error: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's error without the pieces that are not JSON (ctx may hold exceptions)."""
    return {
        "loc": [str(part) for part in error.get("loc", ())],
        "msg": str(error.get("msg", "")),
        "type": str(error.get("type", "")),
    }


def install(api: NinjaAPI) -> None:
    """Route every exception ninja sees through `as_api_error`."""

    def handle(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        # ninja's handler type allows a class; it always passes the raised instance.
        error = exc if isinstance(exc, Exception) else exc()
        return error_response(as_api_error(error))

    for kind in (
        Exception,
        Http404,
        HttpError,
        ValidationError,
        PermissionDenied,
        SuspiciousOperation,
        ApiError,
    ):
        api.add_exception_handler(kind, handle)
