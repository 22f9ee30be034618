"""A clear 503 page when the database cannot be reached, instead of a bare 500.

When PostgreSQL restarts, the network to it drops, or SQLite stays locked past its timeout, the
request fails with OperationalError (or InterfaceError on a connection already closed). The
service's `transaction.atomic` has rolled back by then, so the honest message is "nothing of
your change was saved; try again", with status 503 and Retry-After so that proxies and scripts
know the failure is temporary.

Two entry points share one response:
- `DatabaseUnavailableMiddleware.process_exception` catches the error raised by a view;
- `server_error` (the project's `handler500`) catches it when it is raised elsewhere, e.g. by
  the session middleware saving the session after the view. Any other error keeps the plain
  500 page.

The pages never touch the database: they are rendered without the request, so no context
processor (navigation, messages, the signed-in user) runs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_TEMPLATE = "errors/database_unavailable.html"
SERVER_ERROR_TEMPLATE = "500.html"
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    log.error(
        "database unavailable during %s %s: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        error,
    )
    body = loader.get_template(DATABASE_TEMPLATE).render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's handler500: 503 when the cause was the database, else the 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return database_unavailable(request, error)
    return HttpResponseServerError(loader.get_template(SERVER_ERROR_TEMPLATE).render({}))
