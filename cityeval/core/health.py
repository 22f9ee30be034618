"""`/healthz`: is this application server able to serve? For load balancers and monitoring.

Answered by a middleware placed first, before host validation, the HTTPS redirect, sessions and
authentication: a balancer probes by IP over plain HTTP, and a probe must stay cheap and must not
create sessions. Anyone gets the cheap check (one `SELECT 1`, nothing written). The detailed
check (a file written to the evidence folder, unapplied migrations, the audit chain's head) costs
more and tells more, so it answers only an operator who sends `Authorization: Bearer
<HEALTHZ_TOKEN>` (docs/operations.md).
"""

from __future__ import annotations

import hmac
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
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


def check_migrations() -> None:
    """Every migration this code ships is applied (a forgotten `migrate` after an upgrade)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} unapplied migrations")


def check_audit_chain() -> None:
    """Every chain's head row agrees with its last entry (one indexed look-up per chain)."""
    from django.db.models import OuterRef, Subquery

    from cityeval.audit.models import AuditChainHead, AuditEntry

    last = AuditEntry.objects.filter(chain=OuterRef("chain")).order_by("-position")
    heads = AuditChainHead.objects.annotate(
        last_position=Subquery(last.values("position")[:1]),
        last_entry_hash=Subquery(last.values("entry_hash")[:1]),
    ).values_list("length", "last_hash", "last_position", "last_entry_hash")
    for length, last_hash, last_position, last_entry_hash in heads:
        if (length, last_hash) != (last_position or 0, last_entry_hash or ""):
            raise RuntimeError("an audit chain's head does not match its last entry")


PUBLIC: dict[str, Check] = {"database": check_database}
DETAILED: dict[str, Check] = {
    "database": check_database,
    "storage": check_storage,
    "migrations": check_migrations,
    "audit_chain": check_audit_chain,
}


def run_checks(checks: dict[str, Check]) -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    healthy = True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            healthy = False
            log.error("health check %s failed: %s", name, error, exc_info=True)
            # The class only: even the operator's answer must not reveal paths or hosts.
            results[name] = {"status": "error", "error": type(error).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return healthy, results


def operator_asks(request: HttpRequest) -> bool | None:
    """True for the operator's token, None for no token at all, False for a wrong one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    expected = str(getattr(settings, "HEALTHZ_TOKEN", "") or "")
    scheme, _space, token = header.partition(" ")
    return bool(
        expected
        and scheme.lower() == "bearer"
        and hmac.compare_digest(token.strip().encode(), expected.encode())
    )


def _json(body: dict[str, Any], status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        operator = operator_asks(request)
        if operator is False:
            response = _json({"status": "error", "error": "unauthorized"}, 401)
            response["WWW-Authenticate"] = "Bearer"
            return response
        healthy, checks = run_checks(DETAILED if operator else PUBLIC)
        return _json(
            {"status": "ok" if healthy else "error", "checks": checks},
            200 if healthy else 503,
        )
