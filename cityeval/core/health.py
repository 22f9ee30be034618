"""`/healthz`: is this application server able to serve? For load balancers and monitoring.

Answered by a middleware placed first, before host validation, the HTTPS redirect, sessions and
authentication: a balancer probes by IP over plain HTTP, and a probe must stay cheap (one
trivial query, one tiny file) and must not create sessions.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

PATHS = {"/healthz", "/healthz/"}

Check = Callable[[], None]


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 gave an unexpected answer")


def check_storage() -> None:
    """The evidence folder accepts a new file (a full or read-only disk fails uploads)."""
    folder = Path(settings.MEDIA_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-", suffix=".part") as probe:
        probe.write(b"ok")
        probe.flush()


CHECKS: dict[str, Check] = {"database": check_database, "storage": check_storage}


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            healthy = False
            log.error("health check %s failed: %s", name, error, exc_info=True)
            # The class only: the public answer must not reveal paths or hosts.
            results[name] = {"status": "error", "error": type(error).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return healthy, results


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        healthy, checks = run_checks()
        response = JsonResponse(
            {"status": "ok" if healthy else "error", "checks": checks},
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
