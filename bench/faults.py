"""Fault scenarios, with the figures to quote: what the person got, how fast, what was left.

    DATABASE_URL=postgres://… python bench/faults.py [--port 8107]

Scenarios:
1. database refuses connections (nothing listens on its port): the app under gunicorn;
2. database host hangs (a TCP listener that never answers): the app under gunicorn, so the
   figure is the connect timeout (DATABASE_CONNECT_TIMEOUT, default 5 s);
3. database connection dropped in the middle of a save, after the item row was updated and
   before its audit entry: on PostgreSQL the server process of the connection is really ended
   (pg_terminate_backend); on SQLite an OperationalError is injected at that query instead;
4. disk full while an evidence file is written (ENOSPC after the first 100 bytes) and
5. media folder not writable (EACCES on open): simulated at the `open` call of the evidence
   storage, because root ignores file permissions;
6. the process killed (SIGKILL) in the middle of a masterplan import (child process, its own
   SQLite file unless --import-database-url is given).

Scenarios 3–5 run in this process with Django's test client against the demonstration data
(built when the database is empty), as the demo contributor of Kutai Kartanegara.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import setup_django, start_server, stop_server  # noqa: E402


@dataclass(frozen=True)
class Figure:
    scenario: str
    answer: str  # what the person got
    seconds: float  # from the request (or the start of the process) to the error
    before: str
    after: str
    left_over: str
    timing: str = "time to error"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def silent_listener() -> tuple[socket.socket, int]:
    """A TCP port that accepts connections and never says a word (a hung database host)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _address = server.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return server, int(server.getsockname()[1])


def unreachable_database(label: str, url: str, env: dict[str, str], port: int) -> Figure:
    log = Path(tempfile.gettempdir()) / f"cityeval-faults-{port}.log"
    server = start_server({**env, "DATABASE_URL": url}, port, 1, log)
    try:
        started = time.perf_counter()
        response = requests.get(f"http://127.0.0.1:{port}/dashboard/public/", timeout=120)
        seconds = time.perf_counter() - started
    finally:
        stop_server(server)
    said = "Layanan basis data sedang tidak tersedia" in response.text
    return Figure(
        label,
        f"HTTP {response.status_code}, Retry-After {response.headers.get('Retry-After', '–')}"
        + (", 503 page in Indonesian" if said else ", NOT our page"),
        seconds,
        "–",
        "–",
        "–",
    )


def contributor_item() -> tuple[Any, Any]:
    from cityeval.accounts.models import User
    from cityeval.evaluations.access import items_for
    from cityeval.evaluations.models import Evaluation, EvaluationStatus

    user = User.objects.get(username="kontributor.kukar")
    evaluation = Evaluation.objects.get(
        region__code="64.02", cycle__year=2020, status=EvaluationStatus.SELF_ASSESSMENT
    )
    item = next(
        i
        for i in items_for(user, evaluation)
        if i.indicator.kind == "maturity" and i.indicator.data_source != "programs"
    )
    return user, item


def item_state(item: Any) -> tuple[str, int]:
    from cityeval.audit.models import AuditEntry
    from cityeval.evaluations.models import ItemValue

    row = ItemValue.objects.get(pk=item.pk)
    entries = AuditEntry.objects.for_target(row).filter(action="item.self_assessment").count()
    return f"version {row.version}, value {row.self_value}, {entries} audit entries", entries


def dropped_mid_save() -> Figure:
    from django.db import OperationalError, connection
    from django.test import Client

    user, item = contributor_item()
    before, _entries = item_state(item)
    client = Client()
    client.force_login(user)
    page = f"/evaluations/{item.evaluation_id}/items/{item.pk}/"
    form = {"value": "4", "narrative": f"fault {secrets.token_hex(4)}", "version": item.version}
    killer = None
    if connection.vendor == "postgresql":
        killer = connection.get_new_connection(connection.get_connection_params())
        killer.autocommit = True
        how = "pg_terminate_backend before the audit INSERT"
    else:
        how = "OperationalError injected at the audit INSERT (SQLite)"

    def cut(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if 'INSERT INTO "audit_auditentry"' in sql:
            if killer is None:
                raise OperationalError("disk I/O error (injected)")
            with killer.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(%s)",
                    [context["connection"].connection.info.backend_pid],
                )
        return execute(sql, params, many, context)

    started = time.perf_counter()
    try:
        with connection.execute_wrapper(cut):
            response = client.post(page, form)
    finally:
        seconds = time.perf_counter() - started
        if killer is not None:
            killer.close()
        connection.close()
    after, _entries = item_state(item)
    said = "Perubahan Anda belum disimpan" in response.content.decode()
    return Figure(
        f"connection dropped mid-save ({how})",
        f"HTTP {response.status_code}" + (", 'belum disimpan' page" if said else ", NOT our page"),
        seconds,
        before,
        after,
        "none" if before == after else "ITEM CHANGED",
    )


def upload_fault(label: str, fault: Callable[..., Any]) -> Figure:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings

    from cityeval.evidence import storage
    from cityeval.evidence.models import Evidence
    from cityeval.evidence.samples import tiny_pdf

    user, item = contributor_item()
    client = Client()
    client.force_login(user)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        rows_before = Evidence.objects.filter(item_id=item.pk).count()
        storage.open = fault  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = client.post(
                f"/evidence/items/{item.pk}/files/",
                {
                    "uploads": SimpleUploadedFile(
                        "perbup.pdf", tiny_pdf([f"Baris {n}" for n in range(200)])
                    ),
                    "description": "Perbup masterplan",
                },
                follow=True,
            )
        finally:
            seconds = time.perf_counter() - started
            del storage.open  # type: ignore[attr-defined]
        rows_after = Evidence.objects.filter(item_id=item.pk).count()
        files = [p for p in Path(media).rglob("*") if p.is_file()]
        assert Path(settings.MEDIA_ROOT) == Path(media)
    page = response.content.decode()
    shown = "Berkas tidak dapat disimpan di server" in page
    kept = 'value="Perbup masterplan"' in page
    return Figure(
        label,
        f"HTTP {response.status_code}"
        + (", clear message" if shown else ", NO message")
        + (", description kept" if kept else ", description LOST"),
        seconds,
        f"{rows_before} evidence rows",
        f"{rows_after} evidence rows",
        f"{len(files)} files under media",
    )


def killed_import(database_url: str | None, rows: int) -> Figure:
    from tests.faults.killable_import import counts, kill_during_import, run_child

    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'import.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url, "CITYEVAL_DATA_DIR": folder}
        workbook = Path(folder) / "programs.xlsx"
        run_child("prepare", str(workbook), str(rows), env=env)
        before = counts(env)
        killed = kill_during_import(workbook, env)
        after = counts(env)
        started = time.perf_counter()
        run_child("import", str(workbook), env=env)
        complete = time.perf_counter() - started
        final = counts(env)
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite file"
    return Figure(
        f"SIGKILL during a {rows}-row import ({engine}); a full re-import took {complete:.1f} s",
        f"killed with {killed.rows_written_inside} yearly statuses written, exit "
        f"{killed.returncode}; re-import: {final['programs']} programs",
        killed.seconds_until_inside,
        f"{before['programs']} programs, {before['program_years']} statuses",
        f"{after['programs']} programs, {after['program_years']} statuses, "
        f"{after['import_audit_entries']} audit",
        "none" if after == before else "HALF-IMPORTED",
        timing="time to kill",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--import-rows", type=int, default=300)
    parser.add_argument(
        "--import-database-url",
        help="an EMPTY throw-away database for the killed import (default: a temporary SQLite)",
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "CITYEVAL_DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback: no redirect to HTTPS
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    figures = [
        unreachable_database(
            "database refuses connections (gunicorn, nothing on the port)",
            f"postgres://postgres@127.0.0.1:{free_port()}/cityeval",
            env,
            args.port,
        )
    ]
    listener, silent_port = silent_listener()
    try:
        figures.append(
            unreachable_database(
                "database host hangs (gunicorn, silent TCP listener)",
                f"postgres://postgres@127.0.0.1:{silent_port}/cityeval",
                env,
                args.port,
            )
        )
    finally:
        listener.close()

    setup_django(env)
    import loadset
    from django.db import connection

    from tests.faults.test_upload_disk_faults import disk_full, unwritable

    print(f"database for scenarios 3–5: {loadset.database_label()}")
    loadset.ensure_demo()
    figures.append(dropped_mid_save())
    figures.append(upload_fault("disk full mid-file on evidence upload (ENOSPC)", disk_full))
    figures.append(upload_fault("media folder not writable (EACCES)", unwritable))
    connection.close()
    figures.append(killed_import(args.import_database_url, args.import_rows))

    failed = False
    for number, figure in enumerate(figures, start=1):
        print(f"\n{number}. {figure.scenario}")
        print(f"   answer:        {figure.answer}")
        print(f"   {figure.timing + ':':<15}{figure.seconds:.2f} s")
        print(f"   before:        {figure.before}")
        print(f"   after:         {figure.after}")
        print(f"   left over:     {figure.left_over}")
        bad = ("NOT", "NO ", "LOST", "CHANGED", "HALF")
        failed |= any(word in figure.answer + figure.left_over for word in bad)
        failed |= figure.left_over not in ("none", "–", "0 files under media")
    print("\nRESULT: " + ("FAILED" if failed else "every fault answered clearly, nothing left"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
